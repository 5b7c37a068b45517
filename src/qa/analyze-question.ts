/**
 * Turns a resident's question into what retrieval and the refusal need:
 * - the terms to search with (its own words; glossary words at a lower weight; words that
 *   only frame the question, such as 方法 or 教えて, lower still), as words, character pairs
 *   and readings;
 * - its focus: the things it is about, each with the spellings that answer for it;
 * - what it asks for (a number, a date, a phone number …) and the years it names.
 * English questions are mapped to the plan's Japanese terms first, then read the same way.
 */
import { QuestionError } from '../errors.js';
import type { Glossary } from '../corpus/glossary.js';
import type { WeightedTerm } from '../index/bm25.js';
import type { Analyzer } from '../text/analyzer.js';
import { findDates } from '../text/dates.js';
import { normalizeForMatch, sanitize } from '../text/normalize.js';
import { askedTypes } from '../text/answer-types.js';
import { createEnglishMapper } from './english-terms.js';
import type { EnglishLexicon } from '../corpus/english-lexicon.js';
import { isFrameWord } from './question-frame.js';
import type { Language } from './types.js';

export type { AnalyzedQuestion, FocusTerm } from './analyzed-question.js';
import type { AnalyzedQuestion, FocusTerm } from './analyzed-question.js';

/** Glossary expansions count, but less than the question's own words. */
export const RELATED_WEIGHT = 0.5;
/** Words that only frame the question (question-frame.ts). */
export const FRAME_WEIGHT = 0.3;
/** Verbs and adjectives: how it is asked more than what about. */
export const PREDICATE_WEIGHT = 0.5;

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
// 「ってそもそも何」「っていったいなに」: an adverb between って and 何 still asks what a thing is.
const DEFINITION_ENDING = /((?<!こ)とは|って(そもそも|いったい|結局)?(何|なに|なん)|って(?=どういう)|の定義|の意味)/;

export interface QuestionAnalyzer {
  analyze(question: string): AnalyzedQuestion;
}

/** Counts of each gram, capped at 2: a question that repeats a word asks no more about it. */
function weighted(grams: string[], weight = 1): WeightedTerm[] {
  const counts = new Map<string, number>();
  for (const g of grams) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts].map(([term, n]) => ({ term, weight: weight * Math.min(n, 2) }));
}

export function createQuestionAnalyzer(options: {
  analyzer: Analyzer;
  glossary: Glossary;
  lexicon?: EnglishLexicon;
  maxChars: number;
}): QuestionAnalyzer {
  const { analyzer, glossary, maxChars } = options;
  const related = Object.entries(glossary.related).map(([key, values]) => ({ key: analyzer.normalize(key), values }));
  const english = createEnglishMapper({ analyzer, glossary, lexicon: options.lexicon });

  function clean(question: string): { text: string; truncated: boolean } {
    const text = sanitize(question).replace(/\s+/g, ' ').trim();
    if (!text) throw new QuestionError('質問が空です。計画について知りたいことを入力してください。');
    if (!/[\p{L}\p{N}]/u.test(text)) {
      throw new QuestionError('質問の文字が見つかりませんでした。計画について知りたいことを言葉で入力してください。');
    }
    const chars = [...text];
    return chars.length > maxChars ? { text: chars.slice(0, maxChars).join(''), truncated: true } : { text, truncated: false };
  }

  /** A focus term for a noun or compound: its alternatives are its own term and its glossary words. */
  function focusOf(label: string, proper: boolean, extra: string[] = []): FocusTerm {
    return { label, alternatives: [label, ...extra], readings: analyzer.readings(label), proper };
  }

  function japanese(text: string): Pick<AnalyzedQuestion, 'words' | 'focus' | 'searchText' | 'definitionOf'> & { readTexts: string[] } {
    const { words, compounds, predicates, properNouns } = analyzer.analyze(text);
    const isPredicate = new Set(predicates);
    const weightOf = (term: string) => (isFrameWord(term) ? FRAME_WEIGHT : isPredicate.has(term) ? PREDICATE_WEIGHT : 1);
    const terms: WeightedTerm[] = [
      ...words.map((term) => ({ term, weight: weightOf(term) })),
      ...compounds.map((term) => ({ term, weight: analyzer.analyze(term).words.every(isFrameWord) ? FRAME_WEIGHT : 1 })),
    ];

    // The focus: the longest noun compounds, and the nouns that are part of none; never a frame word.
    const longest = compounds.filter((c) => !compounds.some((o) => o !== c && o.includes(c)));
    const nouns = words.filter((w) => !isPredicate.has(w) && !longest.some((c) => c.includes(w)));
    const focus: FocusTerm[] = [];
    const labels = [...new Set([...longest, ...nouns])];
    // A part of a longer label (基本 of 基本目標, a term kept whole) is not a focus of its own.
    for (const label of labels.filter((l) => !labels.some((o) => o !== l && o.includes(l)))) {
      const parts = analyzer.analyze(label).words.filter((w) => !isFrameWord(w));
      // Numbers are counts and ordinals (3つ, 2つ目), read as such; not things asked about.
      if (parts.length === 0 || isFrameWord(label) || /^[\d.,%]+$/.test(label)) continue;
      // A long katakana compound (パブリックサポートテスト) names a thing, as a proper noun does.
      const named = properNouns.some((p) => label.includes(p)) || /^[\u30a1-\u30fc]{7,}$/.test(label);
      const own = parts.filter((p) => p !== label);
      focus.push({ ...focusOf(label, named, own), ...(own.length > 1 ? { parts: own } : {}) });
    }

    const normalized = analyzer.normalize(text);
    const extra: string[] = [];
    for (const { key, values } of related) {
      if (!normalized.includes(key)) continue;
      const expansions = values.flatMap((v) => analyzer.terms(v));
      extra.push(...values);
      terms.push(...expansions.map((term) => ({ term, weight: RELATED_WEIGHT })));
      // The resident's word is answered by the plan's word: 若い人 is covered where 若者 is.
      const keyWords = new Set(analyzer.analyze(key).words);
      const owner = focus.find((f) => f.label.includes(key) || keyWords.has(f.label));
      if (owner) owner.alternatives.push(...expansions);
      // A resident's noun (若い人) is a focus of its own; a verb (できた) only phrases the question.
      else if (analyzer.analyze(key).words.some((w) => !isPredicate.has(w) && !analyzer.analyze(key).predicates.includes(w)))
        focus.push({ ...focusOf(key, false, expansions), alternatives: expansions });
    }
    const definition = normalized.match(DEFINITION_ENDING);
    const definitionOf = definition ? longestTermBefore(normalized.slice(0, definition.index)) : undefined;
    // The question and its expansions are read apart: the question's reading, made above for its
    // words, is used again rather than made anew with the expansions appended.
    const readTexts = extra.length ? [text, extra.join(' ')] : [text];
    return { words: terms, focus, searchText: [text, ...extra].join(' '), definitionOf, readTexts };
  }

  /** The term a definition question names: its longest compound or word (a glossary term is a word). */
  function longestTermBefore(text: string): string | undefined {
    const { words, compounds } = analyzer.analyze(text);
    const candidates = [...compounds, ...words].filter((t) => !isFrameWord(t));
    return candidates.sort((a, b) => b.length - a.length)[0];
  }

  return {
    analyze(question) {
      const { text, truncated } = clean(question);
      const language: Language = JAPANESE.test(text) || !/[a-z]/i.test(text) ? 'ja' : 'en';
      const normalized = normalizeForMatch(text);
      const { readTexts, ...parts } = language === 'ja' ? japanese(text) : { ...english.map(text), readTexts: undefined };
      const read = readTexts ?? [parts.searchText];
      const asked = askedTypes(normalized);
      // 「なんのため」 asks why: only a definition question has a term to define.
      parts.definitionOf = parts.definitionOf && asked.includes('definition') ? analyzer.normalize(parts.definitionOf) : undefined;
      return {
        question: text,
        language,
        truncated,
        ...parts,
        bigrams: weighted(analyzer.bigrams(parts.searchText)),
        readings: weighted(read.flatMap((t) => analyzer.readings(t))),
        readingRuns: read.flatMap((t) => analyzer.readingRuns(t)),
        asked,
        dates: findDates(normalized),
      };
    },
  };
}
