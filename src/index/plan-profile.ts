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
  /** The reading of each of the plan's words and compounds → that term: ちゅうかんしえんだんたい → 中間支援団体. */
  readingTerms: Record<string, string>;
}

export function profilePlan(chunks: Chunk[], analyzer: Analyzer): PlanProfile {
  const text = chunks.map((c) => analyzer.normalize(c.text)).join('\n');
  const years = findDates(text).map((d) => d.year);
  return {
    typesHeld: typesHeldBy(text),
    years: years.length ? { first: Math.min(...years), last: Math.max(...years) } : null,
    readingText: chunks.flatMap((c) => analyzer.readingRuns(`${c.section}\n${c.text}`)).join('|'),
    readingTerms: readingTermsOf(chunks, analyzer),
  };
}

/** Each reading names the plan's most frequent term of that reading (寄附 over 寄付, as the plan writes). */
function readingTermsOf(chunks: Chunk[], analyzer: Analyzer): Record<string, string> {
  const counts = new Map<string, number>();
  for (const c of chunks) for (const t of analyzer.terms(c.text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  const best = new Map<string, [string, number]>();
  for (const [term, n] of counts) {
    // Two kana or fewer read alike across too many words (カイ, シン) to say which one is meant;
    // three (チイキ) are kept for words typed in hiragana (reading-resolver.ts).
    const reading = analyzer.readingRuns(term).join('');
    // Numbers and Latin letters are spelled, not read (6ボランティア is ⑥ of a list).
    if ([...term].length < 2 || [...reading].length < 3 || reading === term || /[0-9a-z]/.test(term)) continue;
    const held = best.get(reading);
    if (!held || n > held[1]) best.set(reading, [term, n]);
  }
  return Object.fromEntries([...best].map(([reading, [term]]) => [reading, term]));
}

