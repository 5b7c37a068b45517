/**
 * The text pipeline with the real glossary: one code path for chunks and questions, so that
 * variant spellings, widths and numbers meet in the same terms.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTextStack, type TextStack } from '../../src/app/text-stack.js';
import { loadConfig } from '../../src/config.js';
import { chunkTerms } from '../../src/index/build-index.js';
import { createQuestionAnalyzer } from '../../src/qa/analyze-question.js';
import { createAnalyzer, STOPWORDS } from '../../src/text/analyzer.js';
import { loadTokenizer } from '../../src/text/tokenizer.js';

let stack: TextStack;
beforeAll(async () => {
  stack = await loadTextStack(loadConfig({}));
});
const terms = (text: string) => stack.analyzer.terms(text);

describe('analyzer: normalization', () => {
  it('reads half-width katakana and folds the glossary variant: ｸﾗﾌｧﾝ → クラウドファンディング', () => {
    expect(stack.analyzer.normalize('ｸﾗﾌｧﾝ')).toBe('クラウドファンディング');
    expect(terms('ｸﾗﾌｧﾝで集める')).toContain('クラウドファンディング');
    expect(terms('ｸﾗﾌｧﾝで集める')).toEqual(terms('クラウドファンディングで集める'));
  });

  it('folds ＮＰＯ, NPO and ｎｐｏ into one term', () => {
    expect(terms('ＮＰＯ法人')).toEqual(terms('NPO法人'));
    expect(terms('ｎｐｏ法人')).toEqual(terms('NPO法人'));
    expect(terms('NPO法人')).toContain('npo');
    expect(terms('NPO法人')).toContain('npo法人');
  });

  it('folds 寄付 into the plan’s 寄附', () => {
    expect(terms('寄付')).toEqual(['寄附']);
    expect(terms('寄付を集める')).toEqual(terms('寄附を集める'));
  });

  it('joins digits back into one number: ６１．６ → 61.6', () => {
    expect(terms('参加割合は６１．６％です')).toContain('61.6%');
    expect(terms('６１．６')).toEqual(['61.6']);
    expect(terms('６１．６')).toEqual(terms('61.6'));
  });
});

describe('analyzer: terms', () => {
  it('drops particles, auxiliaries and stopwords', () => {
    const t = terms('休眠預金とは何ですか。教えてください');
    expect(t).toEqual(expect.arrayContaining(['休眠', '預金', '休眠預金']));
    for (const word of ['とは', '何', 'です', 'か', '教える', 'ください', '。']) expect(t).not.toContain(word);
    expect(t.filter((w) => STOPWORDS.has(w))).toEqual([]);
  });

  it('reads 「〜法って」 as a law and the topic marker, not as the verb 法る', () => {
    expect(new Set(terms('NPO法っていつ施行されたの？'))).toEqual(new Set(terms('NPO法はいつ施行されたの？')));
    expect(terms('休眠預金等活用法って何？')).toContain('休眠預金等活用法');
    expect(terms('npo法って何')).not.toContain('法る');
  });

  it('uses base forms and builds noun compounds, verbs with their 連用形', () => {
    const { words, compounds, predicates } = stack.analyzer.analyze('県民活動団体が活動を広げた');
    expect(words).toEqual(expect.arrayContaining(['県民', '活動', '団体', '広げる']));
    // 県民活動団体 is a glossary term, kept whole as a word, with its own compounds.
    expect([...words, ...compounds]).toEqual(expect.arrayContaining(['県民活動', '活動団体', '県民活動団体']));
    expect(predicates).toEqual(['広げる', '広げ']);
  });

  it('reads a verb and its noun alike: 見直されます and 見直し', () => {
    expect(terms('計画は見直されますか')).toContain('見直し');
    expect(terms('必要に応じた見直しを行います')).toContain('見直し');
  });

  it('keeps a glossary term whole however kuromoji splits it in context, with its parts', () => {
    expect(terms('開催する山口ゆめ花博では')).toEqual(expect.arrayContaining(['山口ゆめ花博', '山口']));
    expect(terms('ゆめ花博のボランティア')).toContain('山口ゆめ花博');
    expect(stack.analyzer.normalize('山口ゆめ花博')).toBe('山口ゆめ花博');
  });

  it('keeps あいかさねっと whole (kuromoji alone splits it)', async () => {
    const plain = createAnalyzer(await loadTokenizer());
    expect(plain.terms('あいかさねっとを活用する')).not.toContain('あいかさねっと');
    expect(terms('あいかさねっとを活用する')).toEqual(['あいかさねっと', '活用']);
    expect(terms('「あいかさねっと」の利用促進')).toContain('あいかさねっと');
  });

  it('makes character bigrams of Japanese and keeps Latin words whole', () => {
    expect(stack.analyzer.bigrams('休眠預金')).toEqual(['休眠', '眠預', '預金']);
    expect(stack.analyzer.bigrams('ＮＰＯ法人')).toEqual(['npo', '法人']);
  });

  it('returns no terms for symbols only', () => {
    expect(terms('？！…「」')).toEqual([]);
  });
});

describe('analyzer: index side and question side agree', () => {
  it.each(['休眠預金を民間公益活動に活用する', 'ＮＰＯ法人への寄付を促進する', 'ｸﾗﾌｧﾝによる寄附募集', '参加割合は６１．６％'])(
    'gives a question the terms its text has in a chunk: %s',
    (text) => {
      const questions = createQuestionAnalyzer({ analyzer: stack.analyzer, glossary: stack.glossary, maxChars: 500 });
      const own = questions.analyze(text).words.filter((w) => w.weight === 1).map((w) => w.term);
      expect(own).toEqual(terms(text));
      const indexed = chunkTerms(stack.analyzer, { section: '本文 > 第5章 施策の展開方向', text });
      for (const term of own) expect(indexed).toContain(term);
    },
  );

  it('matches a resident’s spelling to the plan’s text', () => {
    const plan = new Set(terms('県民活動団体への寄附に対する県民や事業者等の理解促進'));
    expect(terms('寄付').every((t) => plan.has(t))).toBe(true);
  });
});

describe('analyzer: readings', () => {
  const readings = (text: string) => stack.analyzer.readings(text);
  const shared = (a: string, b: string) => readings(a).filter((g) => readings(b).includes(g)).length / readings(a).length;

  it('reads kana typed for kanji as the kanji read: きゅうみんよきん and 休眠預金', () => {
    expect(readings('きゅうみんよきん')).toEqual(readings('休眠預金'));
  });

  it('reads a homophone typo as its word: 促進機関 and 促進期間', () => {
    expect(readings('県民活動促進機関')).toEqual(readings('県民活動促進期間'));
  });

  it('reads katakana and hiragana spellings alike: アイカサネット and あいかさねっと', () => {
    expect(shared('アイカサネット', 'あいかさねっと')).toBe(1);
  });

  it('leaves particles out of the runs', () => {
    expect(readings('休眠預金の活用')).not.toContain('ンノ');
  });
});

describe('analyzer: compounds and proper nouns', () => {
  it('chains numbers and nouns into compounds, but never 何 or punctuation', () => {
    const { compounds } = stack.analyzer.analyze('第2次の計画って何年度？本当？');
    expect(terms('第2次の計画')).toContain('第2次');
    expect(stack.analyzer.analyze('第4次の改定').compounds).toContain('第4次');
    expect(compounds.some((c) => c.includes('何') || c.includes('?'))).toBe(false);
  });

  it('keeps a glossary term whole with its compounds, however its long vowel is typed', () => {
    expect(terms('県民活動支援センタ－の運営')).toEqual(expect.arrayContaining(['県民活動支援センター', '支援センター']));
  });

  it('names the proper nouns kuromoji marks', () => {
    expect(stack.analyzer.analyze('広島県の計画').properNouns).toEqual(['広島']);
  });
});

describe('analyzer: a view that remembers (index builds)', () => {
  const texts = ['休眠預金を活用した助成制度があります。', 'きゅうみんよきん', 'NPO法人の認定を受けるには', '山口ゆめ花博で活動する県民活動団体'];

  it('reads as the analyzer does', () => {
    const view = stack.analyzer.remembering();
    for (const text of texts) {
      for (let round = 0; round < 2; round++) {
        expect(view.analyze(text)).toEqual(stack.analyzer.analyze(text));
        expect(view.terms(text)).toEqual(stack.analyzer.terms(text));
        expect(view.readings(text)).toEqual(stack.analyzer.readings(text));
        expect(view.readingRuns(text)).toEqual(stack.analyzer.readingRuns(text));
        expect(view.bigrams(text)).toEqual(stack.analyzer.bigrams(text));
      }
    }
  });

  it('tokenizes each text once, for every kind of reading, and hands out results no caller can change', async () => {
    const tokenizer = await loadTokenizer();
    const read: string[] = [];
    const counting = createAnalyzer({ tokenize: (text: string) => (read.push(text), tokenizer.tokenize(text)) });
    const view = counting.remembering();
    view.terms(texts[0]);
    view.readings(texts[0]);
    view.analyze(texts[0]);
    view.readingRuns(texts[0]);
    expect(read).toHaveLength(1);
    expect(() => view.analyze(texts[0]).words.push('x')).toThrow(TypeError);
    expect(() => view.analyze(texts[0]).tokens[0].term = 'x').toThrow(TypeError);
    const terms = view.terms(texts[0]);
    terms.push('x'); // a fresh array each time
    expect(view.terms(texts[0])).not.toContain('x');
    expect(() => view.readingRuns(texts[0]).push('x')).toThrow(TypeError);
    // A second view starts empty; the analyzer itself remembers nothing.
    counting.remembering().terms(texts[0]);
    counting.terms(texts[0]);
    counting.terms(texts[0]);
    expect(read).toHaveLength(4);
  });

  it('with a bound, keeps the texts used last and reads a forgotten one again', async () => {
    const tokenizer = await loadTokenizer();
    const read: string[] = [];
    const view = createAnalyzer({ tokenize: (text: string) => (read.push(text), tokenizer.tokenize(text)) }).remembering({ max: 2 });
    view.terms(texts[0]);
    view.terms(texts[1]);
    view.terms(texts[0]); // used last: kept
    view.terms(texts[2]); // texts[1] goes
    expect(read).toHaveLength(3);
    view.terms(texts[0]);
    expect(read).toHaveLength(3);
    view.terms(texts[1]);
    expect(read).toHaveLength(4);
  });
});
