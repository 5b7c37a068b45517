/** Normalization shared by the index and questions: width, case, spaces, variant spellings. */
import { describe, expect, it } from 'vitest';
import { createVariantFolder, foldWidth, normalizeForMatch, sanitize, toKatakana } from '../../src/text/normalize.js';

describe('foldWidth (display-safe)', () => {
  it('folds full-width ASCII and the ideographic space, keeping ① and 〇', () => {
    expect(foldWidth('ＮＰＯ法人（５）　６１．６％ ①〇')).toBe('NPO法人(5) 61.6% ①〇');
  });
});

describe('normalizeForMatch', () => {
  it.each([
    ['half-width katakana', 'ｸﾗｳﾄﾞﾌｧﾝﾃﾞｨﾝｸﾞ', 'クラウドファンディング'],
    ['full-width letters, any case', 'ＮＰＯ', 'npo'],
    ['half-width letters', 'NPO', 'npo'],
    ['full-width digits', '６１．６％', '61.6%'],
    ['spaced-out PDF text, letters joined again', 'Ｎ Ｐ Ｏ 活 動', 'npo活動'],
    ['a word broken across lines', 'やまぐち\n県民活動支援センター', 'やまぐち県民活動支援センター'],
    ['spaces between English words', '  dormant   deposit ', 'dormant deposit'],
  ])('folds %s', (_name, input, expected) => {
    expect(normalizeForMatch(input)).toBe(expected);
  });
});

describe('createVariantFolder', () => {
  const fold = createVariantFolder({ 寄附: ['寄付'], 社会的インパクトボンド: ['ソーシャル・インパクト・ボンド', 'SIB'], NPO: ['ＮＰＯ'] });

  it('replaces variant spellings by the canonical one', () => {
    expect(fold(normalizeForMatch('寄付を集める'))).toBe('寄附を集める');
    expect(fold(normalizeForMatch('ソーシャル・インパクト・ボンド'))).toBe('社会的インパクトボンド');
  });

  it('matches ASCII variants as whole words only', () => {
    expect(fold('sibの活用')).toBe('社会的インパクトボンドの活用');
    expect(fold('possible')).toBe('possible');
  });

  it('does nothing without variants', () => {
    expect(createVariantFolder({})('寄付')).toBe('寄付');
  });
});

describe('sanitize and the long-vowel mark', () => {
  it('drops NUL, other controls and lone surrogates, keeping newlines and real pairs', () => {
    expect(sanitize('休眠\u0000預金\u0007\n\ud800とは😀\udc00')).toBe('休眠預金\nとは😀');
    expect(normalizeForMatch('a\u0000b')).toBe('ab');
    // Tab and newline are text; every other C0 control, DEL and the C1 controls are not.
    const controls = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).filter((c) => c < ' ' || (c >= '\u007f' && c <= '\u009f'));
    expect(sanitize(`a${controls.join('')}b`)).toBe('a\t\n\rb');
    expect(sanitize('\udc00\ud800')).toBe('');
  });

  it('reads a dash after katakana as the long-vowel mark', () => {
    expect(normalizeForMatch('センタ－')).toBe('センター');
    expect(normalizeForMatch('ｾﾝﾀｰ')).toBe('センター');
    expect(normalizeForMatch('平成28-29年')).toBe('平成28-29年');
  });

  it('reads hiragana as katakana for comparing readings', () => {
    expect(toKatakana('きゅうみんよきん・NPO')).toBe('キュウミンヨキン・NPO');
  });
});
