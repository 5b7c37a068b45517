/**
 * Turns a resident's question into what retrieval needs: the plan's terms (with the
 * glossary's related words at a lower weight, and English mapped to the plan's Japanese),
 * and the groups of terms whose presence in a passage tells whether the plan covers it.
 */
import { QuestionError } from '../errors.js';
import type { Glossary } from '../corpus/glossary.js';
import type { WeightedTerm } from '../index/bm25.js';
import type { Analyzer } from '../text/analyzer.js';
import { normalizeForMatch } from '../text/normalize.js';
import type { Language } from './types.js';

/** One thing the question asks about: any of `alternatives` in a passage answers for it. */
export interface TermGroup {
  label: string;
  alternatives: string[];
  /**
   * How much a group the plan never mentions counts against it: a noun (天気, ラーメン) names
   * another topic; a verb (探す, 関わる) or an English word the glossary lacks is just phrasing.
   */
  kind: 'topic' | 'phrasing';
}

export interface AnalyzedQuestion {
  /** The question as looked up: trimmed, cut to the size limit. */
  question: string;
  language: Language;
  truncated: boolean;
  /** Japanese text for the bigram and vector searches (an English question's mapped terms). */
  searchText: string;
  words: WeightedTerm[];
  groups: TermGroup[];
}

/** Glossary expansions count, but less than the question's own words. */
export const RELATED_WEIGHT = 0.5;

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
const ENGLISH_STOPWORDS = new Set(
  ('a an the is are was were be been being do does did what whats which who whom whose when where why how can could ' +
    'should would will shall may might must i me my we our you your it its they them their this that these those of ' +
    'in on at to for from by with about as into over under and or not no yes there here any some much many more most ' +
    'tell explain please get gets obtain become status kind type s t than then so if also across all each every').split(' '),
);

const NUMBER_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
};

/** A light English stemmer (policies → policy, volunteered → volunteer), for glossary look-ups only. */
export function stem(word: string): string {
  if (word.length <= 4) return word.replace(/'s$/, '');
  return word
    .replace(/'s$/, '')
    .replace(/ies$/, 'y')
    .replace(/(ss)$/, '$1')
    .replace(/([^s])s$/, '$1')
    .replace(/(..)(ing|ed)$/, '$1');
}

const stemPhrase = (phrase: string) => phrase.split(' ').map(stem).join(' ');

export interface QuestionAnalyzer {
  analyze(question: string): AnalyzedQuestion;
}

export function createQuestionAnalyzer(options: { analyzer: Analyzer; glossary: Glossary; maxChars: number }): QuestionAnalyzer {
  const { analyzer, glossary, maxChars } = options;
  const related = Object.entries(glossary.related).map(([key, values]) => ({ key: analyzer.normalize(key), values }));
  const english = new Map(Object.entries(glossary.english).map(([k, v]) => [stemPhrase(normalizeForMatch(k)), v]));
  const longestPhrase = Math.max(1, ...[...english.keys()].map((k) => k.split(' ').length));

  function clean(question: string): { text: string; truncated: boolean } {
    const text = question.replace(/\s+/g, ' ').trim();
    if (!text) throw new QuestionError('質問が空です。計画について知りたいことを入力してください。');
    if (!/[\p{L}\p{N}]/u.test(text)) {
      throw new QuestionError('質問の文字が見つかりませんでした。計画について知りたいことを言葉で入力してください。');
    }
    const chars = [...text];
    return chars.length > maxChars ? { text: chars.slice(0, maxChars).join(''), truncated: true } : { text, truncated: false };
  }

  function japanese(text: string): Pick<AnalyzedQuestion, 'words' | 'groups' | 'searchText'> {
    const { words, compounds, predicates } = analyzer.analyze(text);
    const phrasing = new Set(predicates);
    const groups: TermGroup[] = [...new Set(words)].map((w) => ({
      label: w,
      alternatives: [w],
      kind: phrasing.has(w) ? 'phrasing' : 'topic',
    }));
    const weighted: WeightedTerm[] = [...words, ...compounds].map((term) => ({ term, weight: 1 }));
    const normalized = analyzer.normalize(text);
    const extra: string[] = [];
    for (const { key, values } of related) {
      if (!normalized.includes(key)) continue;
      const expansions = values.flatMap((v) => analyzer.terms(v));
      extra.push(...values);
      weighted.push(...expansions.map((term) => ({ term, weight: RELATED_WEIGHT })));
      // The resident's word is answered by the plan's word: 若い人 is covered where 若者 is.
      const keyWords = new Set(analyzer.analyze(key).words);
      for (const group of groups) {
        if (keyWords.has(group.label) || group.label.includes(key)) group.alternatives.push(...expansions);
      }
    }
    return { words: weighted, groups, searchText: [text, ...extra].join(' ') };
  }

  function fromEnglish(text: string): Pick<AnalyzedQuestion, 'words' | 'groups' | 'searchText'> {
    const tokens = (normalizeForMatch(text).match(/[a-z0-9][a-z0-9'-]*/g) ?? []).map((t) => NUMBER_WORDS[t] ?? t);
    const groups: TermGroup[] = [];
    const mapped: string[] = [];
    for (let i = 0; i < tokens.length; ) {
      let matched = 0;
      for (let n = Math.min(longestPhrase, tokens.length - i); n > 0 && !matched; n--) {
        const phrase = tokens.slice(i, i + n).join(' ');
        const values = english.get(stemPhrase(phrase));
        if (values) {
          groups.push({ label: phrase, alternatives: values.flatMap((v) => analyzer.terms(v)), kind: 'topic' });
          mapped.push(...values);
          matched = n;
        }
      }
      if (!matched) {
        const word = tokens[i].replace(/'s$/, '');
        if (!ENGLISH_STOPWORDS.has(word) && word.length > 1) groups.push({ label: word, alternatives: [], kind: 'phrasing' });
        matched = 1;
      }
      i += matched;
    }
    // 、 between terms: spaces between Japanese words vanish in normalization and would glue them together.
    const searchText = [...mapped, ...(JAPANESE.test(text) ? [text] : [])].join('、');
    const words = analyzer.terms(searchText).map((term) => ({ term, weight: 1 }));
    return { words, groups, searchText };
  }

  return {
    analyze(question) {
      const { text, truncated } = clean(question);
      const language: Language = JAPANESE.test(text) || !/[a-z]/i.test(text) ? 'ja' : 'en';
      const parts = language === 'ja' ? japanese(text) : fromEnglish(text);
      return { question: text, language, truncated, ...parts };
    },
  };
}
