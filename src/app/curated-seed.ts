/**
 * A fresh install starts with the center's own answers: when the store holds no curated answer
 * at all (none switched off either: staff who removed them all meant it), the maintainers' file
 * corpus/curated-answers.json is imported, once: replicas starting together on one new database
 * claim it in the store, and one imports. A missing file is no error; a malformed one stops
 * start-up with what is wrong in it.
 */
import fs from 'node:fs/promises';
import type { Logger } from '../logger.js';
import type { BotStore } from '../store/store.js';
import { importCurated, parseCuratedFile } from '../store/curated-file.js';

/** Who the store records as the author of seeded answers (hashed like any other). */
export const SEED_AUTHOR = 'seed';

export async function seedCuratedAnswers(store: Pick<BotStore, 'curated' | 'claimOnce'>, file: string, logger: Logger): Promise<number> {
  if ((await store.curated.list({ includeInactive: true })).length > 0) return 0;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  // Read and checked before the claim: a malformed file fails this start, and the next one tries again.
  const entries = parseCuratedFile(text, file);
  if (!(await store.claimOnce('curated_seed'))) return 0;
  const { added } = await importCurated(store.curated, entries, SEED_AUTHOR);
  if (added) logger.info('curated answers imported at first start', { file, added });
  return added;
}
