/**
 * Curated answers in memory, for channel tests until the real store (17a's, src/store/) is at
 * hand: the CuratedAnswers contract kept in an array, and a matcher that takes a question when
 * it equals a phrasing after the text pipeline's folding. The real matcher is fuzzier; these
 * tests are about the channel, not about matching.
 */
import type { CuratedAnswer, CuratedAnswers, CuratedMatcher } from '../../src/store/curated.js';
import { normalizeForMatch } from '../../src/text/normalize.js';
import { testHasher } from './conversation.js';

export interface MemoryCurated {
  answers: CuratedAnswers;
  matcher: CuratedMatcher;
  /** What is stored, for assertions. */
  rows: CuratedAnswer[];
}

const fold = (text: string) => normalizeForMatch(text).replace(/\s+/g, '').replace(/[?？!！。.、,]+$/u, '');

export function memoryCurated(): MemoryCurated {
  const rows: CuratedAnswer[] = [];
  const copy = (row: CuratedAnswer): CuratedAnswer => ({ ...row, phrasings: [...row.phrasings] });
  const answers: CuratedAnswers = {
    async list(options) {
      return rows.filter((row) => options?.includeInactive || row.active).map(copy);
    },
    async get(id) {
      const row = rows.find((r) => r.id === id);
      return row && copy(row);
    },
    async add(draft) {
      const now = new Date();
      const row: CuratedAnswer = {
        id: rows.length + 1,
        phrasings: [...draft.phrasings],
        answer: draft.answer,
        sectionId: draft.sectionId ?? null,
        authorHash: testHasher(draft.author),
        createdAt: now,
        updatedAt: now,
        active: true,
      };
      rows.push(row);
      return copy(row);
    },
    async update(id, change) {
      const row = rows.find((r) => r.id === id);
      if (!row) return undefined;
      if (change.phrasings) row.phrasings = [...change.phrasings];
      if (change.answer !== undefined) row.answer = change.answer;
      if (change.sectionId !== undefined) row.sectionId = change.sectionId;
      if (change.active !== undefined) row.active = change.active;
      row.authorHash = testHasher(change.author);
      row.updatedAt = new Date();
      return copy(row);
    },
  };
  const matcher: CuratedMatcher = {
    match(question) {
      const key = fold(question);
      for (const row of rows) {
        const phrasing = row.active ? row.phrasings.find((p) => fold(p) === key) : undefined;
        if (phrasing) return { answer: copy(row), score: 1, phrasing };
      }
      return undefined;
    },
  };
  return { answers, matcher, rows };
}
