/**
 * What a plan can answer at all, learned from its text when the index is built: which kinds of
 * data it prints (phone numbers, addresses, amounts … see qa/answer-types.ts), the years it
 * speaks of, and the readings of its words (to tell a kana spelling of a plan word from a word
 * the plan never uses).
 */
import type { Chunk } from '../corpus/section.js';
import { typesHeldBy, type DataType } from '../text/answer-types.js';
import type { Analyzer } from '../text/analyzer.js';
import { findDates } from '../text/dates.js';

export interface PlanProfile {
  typesHeld: DataType[];
  /** The earliest and latest Gregorian years the plan names. */
  years: { first: number; last: number } | null;
  /** Reading runs of every passage, `|`-separated: a kana or romaji spelling is in the plan if its reading is in here. */
  readingText: string;
}

export function profilePlan(chunks: Chunk[], analyzer: Analyzer): PlanProfile {
  const text = chunks.map((c) => analyzer.normalize(c.text)).join('\n');
  const years = findDates(text).map((d) => d.year);
  return {
    typesHeld: typesHeldBy(text),
    years: years.length ? { first: Math.min(...years), last: Math.max(...years) } : null,
    readingText: chunks.flatMap((c) => analyzer.readingRuns(`${c.section}\n${c.text}`)).join('|'),
  };
}

