/**
 * The curated-answers file (`npm run curated -- export|import`, corpus/curated-answers.json):
 * JSON, one object with a list of answers, so maintainers can keep the center's answers under
 * version control and a fresh install can start with them.
 *
 *   { "$comment": "…", "answers": [ { "phrasings": ["…", "…"], "answer": "…", "sectionId": null, "active": true } ] }
 *
 * `phrasings` (one or more ways residents ask; the first is the title) and `answer` are
 * required; `sectionId` (a chunk id of the index, e.g. "s12-1") and `active` (default true)
 * are optional. Export adds `id`, `createdAt` and `updatedAt`, which import ignores. A bare
 * list of answers is read too.
 */
import { CuratedError } from '../errors.js';
import type { CuratedAnswer, CuratedAnswers } from './curated.js';
import { cleanPhrasings } from './curated-store.js';

export interface CuratedFileEntry {
  phrasings: string[];
  answer: string;
  sectionId?: string | null;
  active?: boolean;
}

export const CURATED_FILE_COMMENT =
  'Curated answers of the support center: npm run curated -- import FILE (a fresh install imports corpus/curated-answers.json when it has none). ' +
  'Each: phrasings (one or more questions; the first is the title), answer, optional sectionId (a chunk id of the index) and active (default true).';

/** Every entry checked before any is stored: a file with one bad entry changes nothing. */
export function parseCuratedFile(text: string, file = 'the file'): CuratedFileEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new CuratedError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(data) ? data : (data as { answers?: unknown })?.answers;
  if (!Array.isArray(list)) throw new CuratedError(`${file} must hold {"answers": [...]} or a list of answers.`);
  return list.map((entry, i) => {
    const where = `${file}, answer ${i + 1}`;
    if (typeof entry !== 'object' || entry === null) throw new CuratedError(`${where}: not an object.`);
    const { phrasings, answer, sectionId, active } = entry as Record<string, unknown>;
    let cleaned: string[];
    try {
      cleaned = cleanPhrasings(phrasings);
    } catch (error) {
      throw new CuratedError(`${where}: ${(error as Error).message}`);
    }
    if (typeof answer !== 'string' || !answer.trim()) throw new CuratedError(`${where}: "answer" must be the answer text.`);
    if (sectionId !== undefined && sectionId !== null && typeof sectionId !== 'string') throw new CuratedError(`${where}: "sectionId" must be a string or null.`);
    if (active !== undefined && typeof active !== 'boolean') throw new CuratedError(`${where}: "active" must be true or false.`);
    return { phrasings: cleaned, answer: answer.trim(), sectionId: (sectionId as string | null | undefined) ?? null, active: active ?? true };
  });
}

export function serializeCuratedFile(answers: CuratedAnswer[]): string {
  const entries = answers.map((a) => ({
    id: a.id,
    phrasings: a.phrasings,
    answer: a.answer,
    sectionId: a.sectionId,
    active: a.active,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  }));
  return `${JSON.stringify({ $comment: CURATED_FILE_COMMENT, answers: entries }, null, 2)}\n`;
}

/**
 * Adds the entries the store does not have yet (the same title and answer): importing one file
 * twice adds nothing the second time. Returns how many were added and skipped.
 */
export async function importCurated(curated: CuratedAnswers, entries: CuratedFileEntry[], author: string): Promise<{ added: number; skipped: number }> {
  const keyOf = (e: { phrasings: string[]; answer: string }) => `${e.phrasings[0]}\u0000${e.answer}`;
  const existing = new Set((await curated.list({ includeInactive: true })).map(keyOf));
  let added = 0;
  for (const entry of entries) {
    if (existing.has(keyOf(entry))) continue;
    const stored = await curated.add({ phrasings: entry.phrasings, answer: entry.answer, sectionId: entry.sectionId, author });
    if (entry.active === false) await curated.update(stored.id, { active: false, author });
    existing.add(keyOf(entry));
    added += 1;
  }
  return { added, skipped: entries.length - added };
}
