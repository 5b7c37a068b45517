/**
 * The text pipeline, one code path for the index and for questions:
 * NFKC + glossary variant folding → kuromoji → base forms → part-of-speech and stopword
 * filtering → terms (words, plus joined noun compounds), and character bigrams as the
 * safety net for words IPADIC does not know (協働, クラウドファンディング, 令和 …).
 */
import { LRUCache } from 'lru-cache';
import { createVariantFolder, normalizeForMatch, toKatakana } from './normalize.js';
import type { Token, Tokenizer } from './tokenizer.js';

export interface AnalyzedText {
  words: string[];
  /** Compounds of adjacent nouns: 県民|活動|団体 → 県民活動, 活動団体, 県民活動団体. */
  compounds: string[];
  /** The words that are verbs or adjectives (a subset of `words`). */
  predicates: string[];
  /** Proper nouns as kuromoji marks them (名詞,固有名詞: 地域, 人名, 組織): 広島, 福岡 … (surface forms). */
  properNouns: string[];
  /** Content words in the order they occur, each with its reading (katakana) and part of speech. */
  tokens: ContentToken[];
}

export interface ContentToken {
  term: string;
  reading: string;
  /** 名詞, 動詞, 形容詞, or `term` for a glossary term kept whole. */
  pos: string;
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
  /**
   * Character bigrams of the readings (katakana) of runs of content words: きゅうみんよきん,
   * 休眠予金 and 休眠預金 all read キュウミンヨキン, so a kana-typed or mistyped word finds its kanji.
   */
  readings(text: string): string[];
  /** The runs themselves: the readings of consecutive content words, joined. */
  readingRuns(text: string): string[];
  /**
   * The same analyzer, remembering what it read of each text: kuromoji is most of the time of a
   * large build (which reads every passage five times over: BM25 words and readings, the
   * embedder's fit and vectors, the plan's profile) and of a question (whose text, focus labels
   * and glossary keys are read by several steps). Without `max`, everything is kept for as long
   * as the view is (a build's); with it, the `max` texts used last (a long-lived engine's).
   */
  remembering(options?: { max?: number }): Analyzer;
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

/** Elasticsearch's kuromoji_stemmer: センター and センタ are one word. */
const stemKatakana = (word: string) => (KATAKANA_LONG.test(word) && word.endsWith('ー') ? word.slice(0, -1) : word);

function termOf(token: Token): string {
  return stemKatakana(token.basic_form && token.basic_form !== '*' ? token.basic_form : token.surface_form);
}

/**
 * Nouns, noun prefixes and numbers chain into compounds (第2次, 施策1, 3本柱 name things);
 * punctuation never does, although kuromoji tags an unknown `?` as a noun.
 */
function isCompoundPart(token: Token): boolean {
  // 何 is tagged a numeral (何年度, 何団体): a question word, not part of a name.
  if (!/[\p{L}\p{N}]/u.test(token.surface_form) || token.surface_form === '何') return false;
  if (token.pos === '名詞') return token.pos_detail_1 !== '非自立' && token.pos_detail_1 !== '代名詞';
  return token.pos === '接頭詞' && (token.pos_detail_1 === '名詞接続' || token.pos_detail_1 === '数接続');
}

/** The i-row kana of each u-row kana: the 連用形 of a 五段 verb (見直す → 見直し). */
const I_ROW: Record<string, string> = { う: 'い', く: 'き', ぐ: 'ぎ', す: 'し', つ: 'ち', ぬ: 'に', ぶ: 'び', む: 'み', る: 'り' };

/**
 * A verb's 連用形, which Japanese uses as its noun: 見直す → 見直し, 集まる → 集まり, 育てる → 育て.
 * The plan writes 「必要に応じた見直し」 where a resident asks 「見直されますか」.
 */
export function verbStem(token: Token): string | undefined {
  const base = token.basic_form;
  if (token.pos !== '動詞' || !base || base === '*' || base.length < 2) return undefined;
  if (token.conjugated_type.startsWith('一段')) return base.slice(0, -1);
  if (token.conjugated_type.startsWith('五段')) return I_ROW[base.slice(-1)] ? base.slice(0, -1) + I_ROW[base.slice(-1)] : undefined;
  return undefined;
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

/**
 * IPADIC reads 「NPO法って」「活用法って」 as the verb 法る (のっとる) + て, where a resident writes a
 * law's name and the colloquial topic marker って, and the verb then spoils the words before it
 * (npo becomes an interjection). Every law the plan names ends in 法, and no one asks with 法って
 * meaning のっとって: the text is read with は in the marker's place, and the は read back as って.
 */
function readLawTopic(normalized: string, tokenize: (text: string) => Token[]): Token[] {
  const tokens = tokenize(normalized);
  const at = tokens.findIndex((t, i) => t.basic_form === '法る' && t.surface_form === '法っ' && tokens[i + 1]?.surface_form === 'て');
  if (at < 0) return tokens;
  const marker = tokens.slice(0, at).reduce((n, t) => n + t.surface_form.length, 0) + 1;
  const reread = readLawTopic(`${normalized.slice(0, marker)}は${normalized.slice(marker + 2)}`, tokenize);
  let offset = 0;
  return reread.map((token) => {
    const start = offset;
    offset += token.surface_form.length;
    return start === marker && token.surface_form === 'は' ? { ...token, surface_form: 'って', basic_form: 'って', reading: 'ッテ', pronunciation: 'ッテ' } : token;
  });
}

/** A glossary term kept whole, with the reading of the tokens it replaced. */
type Item = Token | { whole: string; reading: string };

/** Parts of speech whose readings make a run: the words, not the particles between them. */
const READ_POS = new Set(['名詞', '動詞', '形容詞', '接頭詞', '副詞', '連体詞']);

/** kuromoji's reading, or the surface itself for unknown words (hiragana read as katakana). */
function readingOf(token: Token): string {
  return token.reading && token.reading !== '*' ? token.reading : toKatakana(token.surface_form);
}

export interface AnalyzerVocabulary {
  /** canonical → variant spellings (the glossary's `variants`). */
  variants?: Record<string, string[]>;
  /** Terms of the field that must stay whole (あいかさねっと would split into あい + かさね …). */
  terms?: string[];
}

export function createAnalyzer(tokenizer: Pick<Tokenizer, 'tokenize'>, vocabulary: AnalyzerVocabulary = {}): Analyzer {
  const fold = createVariantFolder(vocabulary.variants ?? {});
  const normalize = (text: string) => fold(normalizeForMatch(text));
  let keepWhole: RegExp | undefined;
  /** The words and compounds a term kept whole is made of. */
  const partsOf = new Map<string, { words: string[]; compounds: string[] }>();

  /**
   * kuromoji reads the whole text (it needs the context), then the tokens that overlap a
   * term of the field are replaced by that term, kept whole, read as its tokens read.
   */
  function tokensOf(normalized: string): Item[] {
    const tokens = mergeNumbers(readLawTopic(normalized, (text) => tokenizer.tokenize(text)));
    if (!keepWhole) return tokens;
    const spans = [...normalized.matchAll(keepWhole)].map((m) => ({ start: m.index!, end: m.index! + m[0].length, term: m[0] }));
    if (spans.length === 0) return tokens;
    const out: Item[] = [];
    let offset = 0;
    let span = 0;
    let lastSpan = -1;
    for (const token of tokens) {
      const start = offset;
      offset += token.surface_form.length;
      while (span < spans.length && spans[span].end <= start) span++;
      const s = spans[span];
      if (s && start < s.end && offset > s.start) {
        // A token that reaches out of the term keeps what lies outside it: 山口 + 県知事 around
        // the term 山口県 still says 知事.
        if (lastSpan !== span && start < s.start) out.push(...mergeNumbers(tokenizer.tokenize(normalized.slice(start, s.start))));
        // Several tokens make one term: push it once per span.
        if (lastSpan === span) (out[out.length - 1] as { reading: string }).reading += readingOf(token);
        else out.push({ whole: s.term, reading: readingOf(token) });
        lastSpan = span;
        const next = spans[span + 1];
        if (offset > s.end && !(next && next.start < offset)) {
          out.push(...mergeNumbers(tokenizer.tokenize(normalized.slice(s.end, offset))));
          lastSpan = -1;
        }
        continue;
      }
      out.push(token);
      lastSpan = -1;
    }
    return out;
  }

  const analyze = (text: string) => analysisOf(tokensOf(normalize(text)));
  const readingRuns = (text: string) => runsOf(tokensOf(normalize(text)));

  function analysisOf(items: Item[]): AnalyzedText {
    const words: string[] = [];
    const predicates: string[] = [];
    const compounds: string[] = [];
    const properNouns: string[] = [];
    const content: ContentToken[] = [];
    let compound: string[] = [];
    const flushCompound = () => {
      // Adjacent pairs and the whole run: 県民|活動|団体 → 県民活動, 活動団体, 県民活動団体.
      if (compound.length >= 2) {
        for (let i = 0; i + 1 < compound.length; i++) compounds.push(compound[i] + compound[i + 1]);
        if (compound.length > 2) compounds.push(compound.join(''));
      }
      compound = [];
    };
    for (const item of items) {
      if ('whole' in item) {
        // A term of the field is a noun: it chains with its neighbours (あいかさねっと + 登録).
        compound.push(item.whole);
        words.push(item.whole, ...(partsOf.get(item.whole)?.words ?? []));
        compounds.push(...(partsOf.get(item.whole)?.compounds ?? []));
        content.push({ term: item.whole, reading: item.reading, pos: 'term' });
        continue;
      }
      const token = item;
      if (isCompoundPart(token)) compound.push(token.surface_form);
      else flushCompound();
      // 固有名詞,一般 holds ordinary words kuromoji happens to know as names (平成): only places, people, organizations.
      if (token.pos === '名詞' && token.pos_detail_1 === '固有名詞' && token.pos_detail_2 !== '一般') properNouns.push(token.surface_form);
      if (!isContent(token)) continue;
      const term = termOf(token);
      if (term.length === 0 || STOPWORDS.has(term) || /^[\p{P}\p{S}]+$/u.test(term)) continue;
      words.push(term);
      content.push({ term, reading: readingOf(token), pos: token.pos });
      if (token.pos !== '名詞') predicates.push(term);
      // The stem is spelled as the plan spells it (取り組み → 取組), as text is before tokenizing.
      const verb = verbStem(token);
      const stem = verb && fold(verb);
      if (stem && stem !== term && !STOPWORDS.has(stem)) {
        words.push(stem);
        predicates.push(stem);
      }
    }
    flushCompound();
    return { words, compounds, predicates, properNouns, tokens: content };
  }

  function runsOf(items: Item[]): string[] {
    const runs: string[] = [];
    let run = '';
    for (const item of items) {
      // Only the kana of a term kept whole: 第2次 reads ダイジ, NPO法人 ホウジン.
      if ('whole' in item) run += item.reading.replace(/[^\u30a1-\u30fc]/g, '');
      else if (READ_POS.has(item.pos) && item.pos_detail_1 !== '数' && !/^[\p{P}\p{S}\p{N}a-z]+$/u.test(item.surface_form)) {
        run += readingOf(item);
      } else if (run) {
        runs.push(run);
        run = '';
      }
    }
    if (run) runs.push(run);
    return runs;
  }

  function readingPairs(runs: string[]): string[] {
    const out: string[] = [];
    for (const run of runs) {
      const chars = [...run];
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    }
    return out;
  }

  const termsOf = ({ words, compounds }: AnalyzedText) => [...words, ...compounds];

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

  /*
   * Terms of the field are kept whole: kuromoji splits 山口ゆめ花博 one way alone and another way
   * inside 「開催する山口ゆめ花博では」, so the same term would not meet itself. A term kept whole
   * still gives its parts as words (山口, 花博 …), so that a question naming a part finds it.
   * A term that kuromoji already reads as one word needs nothing.
   */
  const whole = [...new Set((vocabulary.terms ?? []).map(normalize))].filter((term) => {
    // Phrases with particles (計画の期間) are left to kuromoji; only words are kept whole.
    if ([...term].length < 2 || /[\sの]/.test(term)) return false;
    return !analyze(term).words.includes(stemKatakana(term));
  });
  for (const term of whole) {
    // kuromoji's split of a kana name (あいかさねっと → あい + かさ …) names nothing.
    if (/^[\u3040-\u309f]+$/.test(term)) continue;
    const { words, compounds } = analyze(term);
    partsOf.set(term, { words: words.filter((w) => w !== term), compounds: compounds.filter((c) => c !== term) });
  }
  if (whole.length) {
    whole.sort((a, b) => b.length - a.length);
    keepWhole = new RegExp(whole.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  }

  const plain: Analyzer = {
    normalize,
    analyze,
    terms: (text) => termsOf(analyze(text)),
    bigrams,
    readingRuns,
    readings: (text) => readingPairs(readingRuns(text)),
    remembering({ max } = {}) {
      // One kuromoji pass gives a text's analysis and its reading runs. Frozen: every caller of
      // a text gets the one result, so none may change it for the others.
      type Read = { analysis: AnalyzedText; runs: readonly string[] };
      const memo: { get(text: string): Read | undefined; set(text: string, read: Read): unknown } = max ? new LRUCache<string, Read>({ max }) : new Map<string, Read>();
      const read = (text: string) => {
        let known = memo.get(text);
        if (!known) {
          const items = tokensOf(normalize(text));
          memo.set(text, (known = deepFreeze({ analysis: analysisOf(items), runs: runsOf(items) })));
        }
        return known;
      };
      return {
        ...plain,
        analyze: (text) => read(text).analysis,
        terms: (text) => termsOf(read(text).analysis),
        readingRuns: (text) => read(text).runs as string[],
        readings: (text) => readingPairs(read(text).runs as string[]),
      };
    },
  };
  return plain;
}

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === 'object' && !Object.isFrozen(inner)) deepFreeze(inner as object);
  return Object.freeze(value);
}
