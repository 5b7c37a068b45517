/**
 * What the question analyzer (analyze-question.ts) makes of a question, in a file of its own so
 * that the English mapper it calls can name these types without importing it back.
 */
import type { WeightedTerm } from '../index/bm25.js';
import type { DateMention } from '../text/dates.js';
import type { AnswerType } from '../text/answer-types.js';
import type { Language } from './types.js';

/** One thing the question is about: any of `alternatives` (index terms) in a passage answers for it. */
export interface FocusTerm {
  /** As the question says it: 休眠預金, 若い人, dormant deposit. */
  label: string;
  alternatives: string[];
  /** Character bigrams of its reading, for kana spellings and homophone typos. */
  readings: string[];
  /** A name (広島, France): a plan that never mentions it is not what the question is about. */
  proper: boolean;
  /** The words a compound is made of (ボランティア保険: ボランティア, 保険). */
  parts?: string[];
}

export interface AnalyzedQuestion {
  /** The question as looked up: trimmed, cut to the size limit. */
  question: string;
  language: Language;
  truncated: boolean;
  /** Japanese text for the character-pair, reading and vector searches (an English question's mapped terms). */
  searchText: string;
  words: WeightedTerm[];
  bigrams: WeightedTerm[];
  readings: WeightedTerm[];
  /** The kana runs `readings` is made of (the question's and its expansions', each read on its own). */
  readingRuns: string[];
  focus: FocusTerm[];
  /** What it asks for, in order of precedence (answer-types.ts); empty for an open question. */
  asked: AnswerType[];
  /** Years it names (令和4年度, 2017, FY2016), read as Gregorian years. */
  dates: DateMention[];
  /** The term a "what is X" question asks about. */
  definitionOf?: string;
}
