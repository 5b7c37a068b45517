/**
 * The text pipeline, one code path for the index and for questions:
 * NFKC + glossary variant folding → kuromoji → base forms → part-of-speech and stopword
 * filtering → terms (words, plus joined noun compounds), and character bigrams as the
 * safety net for words IPADIC does not know (協働, クラウドファンディング, 令和 …).
 */
import { createVariantFolder, normalizeForMatch } from './normalize.js';
import type { Token, Tokenizer } from './tokenizer.js';

export interface AnalyzedText {
  words: string[];
  /** Compounds of adjacent nouns: 県民|活動|団体 → 県民活動, 活動団体, 県民活動団体. */
  compounds: string[];
  /** The words that are verbs or adjectives (a subset of `words`). */
  predicates: string[];
}

export interface Analyzer {
  /** NFKC, lower case, spaces around Japanese removed, glossary variants folded. */
  normalize(text: string): string;
  /** Word terms: content words in base form, and the noun compounds they form. */
  terms(text: string): string[];
  /** The same split in two: single content words, and the compounds built from adjacent nouns. */
  analyze(text: string): AnalyzedText;
  /** Character bigrams of the Japanese runs, whole words of the Latin ones. */
  bigrams(text: string): string[];
}

const CONTENT_POS = new Set(['名詞', '動詞', '形容詞']);
const DROPPED_NOUN_TYPES = new Set(['非自立', '代名詞', '接尾', '特殊']);
const DROPPED_VERB_TYPES = new Set(['非自立', '接尾']);

/** Elasticsearch's kuromoji stopwords and question words that carry no topic. */
export const STOPWORDS = new Set(
  (
    'の に は を た が で て と し れ さ ある いる する こと など ため よう もの なる れる られる できる いう おる ない ' +
    'くださる ください 下さる 何 なに なん どう どの どこ どれ どんな いつ 誰 だれ 教える 知る 知りたい 思う 分かる わかる ' +
    'いい 良い よい 等 ほか 他 これ それ あれ ここ そこ 方 とき 時 中 上 場合 ところ ほしい 欲しい 聞く 質問 ' +
    '説明 詳しい 具体 内容 意味 簡単 すぎる やる 的'
  ).split(' '),
);

const NUMBER = /^[0-9.,%]+$/;
const KATAKANA_LONG = /^[\u30a1-\u30fa\u30fc]{4,}$/;

function termOf(token: Token): string {
  const base = token.basic_form && token.basic_form !== '*' ? token.basic_form : token.surface_form;
  // Elasticsearch's kuromoji_stemmer: センター and センタ are one word.
  return KATAKANA_LONG.test(base) && base.endsWith('ー') ? base.slice(0, -1) : base;
}

function isCompoundPart(token: Token): boolean {
  if (token.pos === '名詞') return token.pos_detail_1 !== '非自立' && token.pos_detail_1 !== '代名詞';
  return token.pos === '接頭詞' && token.pos_detail_1 === '名詞接続';
}

function isContent(token: Token): boolean {
  if (!CONTENT_POS.has(token.pos)) return false;
  if (token.pos === '名詞' && DROPPED_NOUN_TYPES.has(token.pos_detail_1)) return false;
  if (token.pos === '動詞' && DROPPED_VERB_TYPES.has(token.pos_detail_1)) return false;
  return true;
}

/** Digits come out one by one (２３．５ → 2 3 . 5): join them back into one number. */
function mergeNumbers(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    const last = out[out.length - 1];
    if (last && NUMBER.test(last.surface_form) && NUMBER.test(token.surface_form)) {
      const surface = last.surface_form + token.surface_form;
      out[out.length - 1] = { ...last, surface_form: surface, basic_form: surface, pos: '名詞', pos_detail_1: '数' };
    } else if (NUMBER.test(token.surface_form)) {
      out.push({ ...token, basic_form: token.surface_form, pos: '名詞', pos_detail_1: '数' });
    } else out.push(token);
  }
  return out;
}

export interface AnalyzerVocabulary {
  /** canonical → variant spellings (the glossary's `variants`). */
  variants?: Record<string, string[]>;
  /** Terms of the field that must stay whole (あいかさねっと would split into あい + かさね …). */
  terms?: string[];
}

export function createAnalyzer(tokenizer: Tokenizer, vocabulary: AnalyzerVocabulary = {}): Analyzer {
  const fold = createVariantFolder(vocabulary.variants ?? {});
  const normalize = (text: string) => fold(normalizeForMatch(text));
  let keepWhole: RegExp | undefined;

  /**
   * kuromoji reads the whole text (it needs the context), then the tokens that overlap a
   * term of the field are replaced by that term, kept whole.
   */
  function tokensOf(normalized: string): Array<Token | string> {
    const tokens = mergeNumbers(tokenizer.tokenize(normalized));
    if (!keepWhole) return tokens;
    const spans = [...normalized.matchAll(keepWhole)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, term: m[0] }));
    if (spans.length === 0) return tokens;
    const out: Array<Token | string> = [];
    let offset = 0;
    let span = 0;
    for (const token of tokens) {
      const start = offset;
      offset += token.surface_form.length;
      while (span < spans.length && spans[span].end <= start) span++;
      const s = spans[span];
      if (s && start < s.end && offset > s.start) {
        // Several tokens make one term: push it once per span.
        if (out[out.length - 1] !== s.term || spans[span - 1]?.end === s.start) out.push(s.term);
      } else out.push(token);
    }
    return out;
  }

  function analyze(text: string): AnalyzedText {
    const tokens = tokensOf(normalize(text));
    const words: string[] = [];
    const predicates: string[] = [];
    const compounds: string[] = [];
    let compound: string[] = [];
    const flushCompound = () => {
      // Adjacent pairs and the whole run: 県民|活動|団体 → 県民活動, 活動団体, 県民活動団体.
      if (compound.length >= 2) {
        for (let i = 0; i + 1 < compound.length; i++) compounds.push(compound[i] + compound[i + 1]);
        if (compound.length > 2) compounds.push(compound.join(''));
      }
      compound = [];
    };
    for (const token of tokens) {
      if (typeof token === 'string') {
        flushCompound();
        words.push(token);
        continue;
      }
      if (isCompoundPart(token) && token.pos_detail_1 !== '数') compound.push(token.surface_form);
      else flushCompound();
      if (!isContent(token)) continue;
      const term = termOf(token);
      if (term.length === 0 || STOPWORDS.has(term) || /^[\p{P}\p{S}]+$/u.test(term)) continue;
      words.push(term);
      if (token.pos !== '名詞') predicates.push(term);
    }
    flushCompound();
    return { words, compounds, predicates };
  }

  function terms(text: string): string[] {
    const { words, compounds } = analyze(text);
    return [...words, ...compounds];
  }

  function bigrams(text: string): string[] {
    const out: string[] = [];
    // Latin words and numbers stay whole; Japanese runs become overlapping character pairs.
    for (const run of normalize(text).match(/[a-z0-9][a-z0-9.]*|[^\sa-z0-9\p{P}\p{S}]+/gu) ?? []) {
      if (/^[a-z0-9]/.test(run)) {
        out.push(run);
        continue;
      }
      const chars = [...run];
      if (chars.length === 1) out.push(run);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    }
    return out;
  }

  // Keep whole only the terms kuromoji would break apart; the rest already come out as words or compounds.
  const broken = [...new Set((vocabulary.terms ?? []).map(normalize))].filter((term) => {
    // Phrases with particles (計画の期間) are left to kuromoji; only words are kept whole.
    if ([...term].length < 2 || /[\sの]/.test(term)) return false;
    const { words, compounds } = analyze(term);
    return !words.includes(term) && !compounds.includes(term);
  });
  if (broken.length) {
    broken.sort((a, b) => b.length - a.length);
    keepWhole = new RegExp(broken.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }

  return { normalize, terms, analyze, bigrams };
}
