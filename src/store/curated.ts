/**
 * Curated answers: what staff of the support center teach the bot for questions the plan does
 * not answer (the center's phone number, its hours, this year's grant deadline). They live in
 * the shared store, so every replica answers with them; the matcher (src/qa/curated-match.ts)
 * decides which question gets one.
 */
export interface CuratedAnswer {
  id: number;
  /** One or more ways residents ask it; the first is the title. */
  phrasings: string[];
  answer: string;
  /** A plan section id (chunk/section id of the index) the answer rests on, shown as its source. */
  sectionId: string | null;
  /** Who wrote or last changed it, hashed with the store's hasher. */
  authorHash: string;
  createdAt: Date;
  updatedAt: Date;
  active: boolean;
}
export interface CuratedDraft {
  phrasings: string[];
  answer: string;
  sectionId?: string | null;
  /** Raw author id ('slack:U123', 'admin', 'cli'); the store hashes it. */
  author: string;
}
export interface CuratedAnswers {
  list(options?: { includeInactive?: boolean }): Promise<CuratedAnswer[]>;
  get(id: number): Promise<CuratedAnswer | undefined>;
  add(draft: CuratedDraft): Promise<CuratedAnswer>;
  /** Replaces the given fields; `active: false` switches it off. Undefined when no such id. */
  update(id: number, change: Partial<Omit<CuratedDraft, 'author'>> & { active?: boolean; author: string }): Promise<CuratedAnswer | undefined>;
}
/** Matches a question against the active curated phrasings (src/qa/curated-match.ts, 17a). */
export interface CuratedMatch {
  answer: CuratedAnswer;
  score: number;
  phrasing: string;
}
export interface CuratedMatcher {
  match(question: string): CuratedMatch | undefined;
}
