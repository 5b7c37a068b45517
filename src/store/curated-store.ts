/**
 * Curated answers in the store's `curated_answer` table (migration 002). Phrasings are kept as a
 * JSON list; authors enter hashed with the store's one hasher, like every other user id.
 */
import type { Kysely, Selectable } from 'kysely';
import { CuratedError } from '../errors.js';
import type { UserHasher } from '../user-hash.js';
import type { CuratedAnswer, CuratedAnswers, CuratedDraft } from './curated.js';
import type { CuratedTable, StoreSchema } from './schema.js';

function toAnswer(row: Selectable<CuratedTable>): CuratedAnswer {
  return {
    id: Number(row.id),
    phrasings: JSON.parse(row.phrasings) as string[],
    answer: row.answer,
    sectionId: row.section_id,
    authorHash: row.author_hash,
    createdAt: new Date(Number(row.created_at)),
    updatedAt: new Date(Number(row.updated_at)),
    active: Number(row.active) === 1,
  };
}

/** Trimmed, blank ones and repeats dropped; at least one must remain. */
export function cleanPhrasings(phrasings: unknown): string[] {
  if (!Array.isArray(phrasings) || phrasings.some((p) => typeof p !== 'string')) throw new CuratedError('phrasings must be a list of questions (strings).');
  const cleaned = [...new Set((phrasings as string[]).map((p) => p.trim()).filter(Boolean))];
  if (cleaned.length === 0) throw new CuratedError('a curated answer needs at least one phrasing of the question.');
  return cleaned;
}

function cleanAnswer(answer: unknown): string {
  if (typeof answer !== 'string' || !answer.trim()) throw new CuratedError('a curated answer needs its answer text.');
  return answer.trim();
}

const cleanSection = (sectionId: unknown): string | null => {
  if (sectionId === undefined || sectionId === null || sectionId === '') return null;
  if (typeof sectionId !== 'string') throw new CuratedError('sectionId must be a section id (a string) or null.');
  return sectionId.trim() || null;
};

/** `writable` throws when the store was opened read-only. */
export function createCuratedAnswers(db: Kysely<StoreSchema>, hashUser: UserHasher, now: () => number, writable: () => void = () => undefined): CuratedAnswers {
  const get = async (id: number) => {
    const row = await db.selectFrom('curated_answer').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toAnswer(row) : undefined;
  };
  return {
    async list(options = {}) {
      let query = db.selectFrom('curated_answer').selectAll().orderBy('id');
      if (!options.includeInactive) query = query.where('active', '=', 1);
      return (await query.execute()).map(toAnswer);
    },
    get: (id) => (Number.isSafeInteger(id) ? get(id) : Promise.resolve(undefined)),
    async add(draft: CuratedDraft) {
      writable();
      const at = now();
      const row = await db
        .insertInto('curated_answer')
        .values({
          phrasings: JSON.stringify(cleanPhrasings(draft.phrasings)),
          answer: cleanAnswer(draft.answer),
          section_id: cleanSection(draft.sectionId),
          author_hash: hashUser(draft.author),
          created_at: at,
          updated_at: at,
          active: 1,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAnswer(row);
    },
    async update(id, change) {
      writable();
      if (!Number.isSafeInteger(id)) return undefined;
      const values: Partial<Selectable<CuratedTable>> = { author_hash: hashUser(change.author), updated_at: now() };
      if (change.phrasings !== undefined) values.phrasings = JSON.stringify(cleanPhrasings(change.phrasings));
      if (change.answer !== undefined) values.answer = cleanAnswer(change.answer);
      if (change.sectionId !== undefined) values.section_id = cleanSection(change.sectionId);
      if (change.active !== undefined) values.active = change.active ? 1 : 0;
      const row = await db.updateTable('curated_answer').set(values).where('id', '=', id).returningAll().executeTakeFirst();
      return row ? toAnswer(row) : undefined;
    },
  };
}
