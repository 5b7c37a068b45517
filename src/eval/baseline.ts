/**
 * The level any engine must clear (shared/eval/README.md): plain BM25 over character bigrams
 * of 400-character windows of the plan text, what Elasticsearch's CJK analyzer does. It is
 * deliberately naive: no parser, no dictionary, no glossary, no fusion. Its passages are
 * judged exactly as the engine's sources are (src/eval/score.ts).
 */
import { Bm25Index } from '../index/bm25.js';

export interface BaselineOptions {
  /** Characters of plan text in one window. @default 400 */
  windowChars?: number;
  /** Windows returned a question. @default 10 */
  limit?: number;
}

/** Returns the text of the best windows for a question, best first. */
export type BaselineSearch = (question: string) => string[];

/**
 * NFKC and lower case, as the CJK analyzer's width folding does. White space is removed, as the
 * judge removes it: PDF extraction breaks words and spaces out letters (`Ｎ Ｐ Ｏ 活 動`).
 */
const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

/** Overlapping character pairs of each run of letters or digits (punctuation and spaces break runs). */
export function cjkBigrams(text: string): string[] {
  const out: string[] = [];
  for (const run of fold(text).match(/[\p{L}\p{N}]+/gu) ?? []) {
    const chars = [...run];
    if (chars.length === 1) out.push(run);
    for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  }
  return out;
}

export function createBigramBaseline(planText: string, options: BaselineOptions = {}): BaselineSearch {
  const size = options.windowChars ?? 400;
  const limit = options.limit ?? 10;
  const chars = [...fold(planText)];
  const windows: string[] = [];
  for (let start = 0; start < chars.length; start += size) windows.push(chars.slice(start, start + size).join(''));
  const index = Bm25Index.build(windows.map(cjkBigrams));
  return (question) => {
    const counts = new Map<string, number>();
    for (const gram of cjkBigrams(question)) counts.set(gram, (counts.get(gram) ?? 0) + 1);
    const query = [...counts].map(([term, weight]) => ({ term, weight }));
    return index.search(query, limit).map((hit) => windows[hit.doc]);
  };
}
