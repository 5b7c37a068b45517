/**
 * Facts read from the plan when the index is built, so that a number or a date question is
 * answered from them with the passage they stand in:
 * - indicators: the rows of the 【評価指標】 tables (名称, 現状値 with its date, 目標値);
 * - events: sentences that date something (平成30年1月より「休眠預金等活用法」が施行され…);
 * - definitions: sentences that say what a term is (〜とは「…」であり, 〜は、…の略, …「〜」は).
 */
import { findDates } from '../text/dates.js';
import { normalizeForMatch } from '../text/normalize.js';
import { isIndicatorHeader, parseIndicatorLine, type IndicatorRow } from './indicator-table.js';
import type { Chunk } from './section.js';
import { splitSentences } from './sentences.js';

export interface IndicatorFact extends IndicatorRow {
  chunkId: string;
}

export interface EventFact {
  chunkId: string;
  sentence: string;
  /** The dates it names, as written and as Gregorian years. */
  dates: Array<{ text: string; year: number; month?: number; fiscal: boolean }>;
}

export interface DefinitionFact {
  chunkId: string;
  /** The term defined, normalized (NFKC, lower case). */
  term: string;
  sentence: string;
}

export interface PlanFacts {
  indicators: IndicatorFact[];
  events: EventFact[];
  definitions: DefinitionFact[];
}

/** Term-first definitions: 県民活動とは、「…」であり / 中間支援団体は、…団体であり / NPOは、… の略. */
const TERM_FIRST = /^([^、。「」()]{2,24}?)(?:とは|は)、?[「『]?.{4,}?(?:であり|である|をいう|のこと|の略|とします)/;
/** Description-first: …仕組みであり、…目指す「社会的インパクトボンド」は, …提供する「あいかさねっと(…)」を開設. */
const QUOTED_TERM = /^(.{12,}?)[「『]([^「」『』]{2,24}?)(?:\([^)]*\))?[」』]?\s*(?:は、|は|を開設|という)/;

export function findDefinition(sentence: string): string | undefined {
  const normalized = normalizeForMatch(sentence);
  const first = normalized.match(TERM_FIRST);
  // A term is a noun phrase: 「地域の課題が…中にあっては」 is a clause, not a term.
  if (first && !/[がをにでて]|する|した/.test(first[1])) return first[1].replace(/^[※*]\s*/, '');
  const quoted = normalized.match(QUOTED_TERM);
  // The description must say what the thing is (…仕組み, …提供する), not only what happened to it.
  if (quoted && /(仕組み|制度|団体|活動|組織|法人|提供する|ネット|であり|を目的)/.test(quoted[1])) return quoted[2];
  return undefined;
}

export function extractFacts(chunks: Chunk[]): PlanFacts {
  const facts: PlanFacts = { indicators: [], events: [], definitions: [] };
  for (const chunk of chunks) {
    const lines = chunk.text.split('\n');
    const header = lines.findIndex(isIndicatorHeader);
    if (header >= 0) {
      for (const line of lines.slice(header + 1)) {
        const row = parseIndicatorLine(line);
        if (row) facts.indicators.push({ ...row, chunkId: chunk.id });
      }
    }
    for (const sentence of splitSentences(chunk.text)) {
      const dates = findDates(normalizeForMatch(sentence)).map(({ text, year, month, fiscal }) => ({ text, year, ...(month ? { month } : {}), fiscal }));
      if (dates.length) facts.events.push({ chunkId: chunk.id, sentence, dates });
      const term = findDefinition(sentence);
      if (term) facts.definitions.push({ chunkId: chunk.id, term, sentence });
    }
  }
  return facts;
}
