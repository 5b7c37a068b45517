/**
 * A fresh install starts with the center's own answers: when the store holds no curated answer
 * at all (none switched off either: staff who removed them all meant it), the maintainers' file
 * corpus/curated-answers.json is imported. A missing file is no error; a malformed one stops
 * start-up with what is wrong in it.
 */
import fs from 'node:fs/promises';
import type { Logger } from '../logger.js';
import type { CuratedAnswers } from '../store/curated.js';
import { importCurated, parseCuratedFile } from '../store/curated-file.js';

/** Who the store records as the author of seeded answers (hashed like any other). */
export const SEED_AUTHOR = 'seed';

export async function seedCuratedAnswers(curated: CuratedAnswers, file: string, logger: Logger): Promise<number> {
  if ((await curated.list({ includeInactive: true })).length > 0) return 0;
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const { added } = await importCurated(curated, parseCuratedFile(text, file), SEED_AUTHOR);
  if (added) logger.info('curated answers imported at first start', { file, added });
  return added;
}
