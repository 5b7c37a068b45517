/**
 * A build killed half way leaves a `.tmp-*` folder in `<indexDir>/builds/` (buildIndex renames
 * it into place only when complete). `npm run index` removes those left from earlier runs;
 * a young one may belong to a build running right now, so it is left alone.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { buildsDir } from './index-paths.js';

/** A build takes seconds; a temporary folder this old was abandoned. @default 5 minutes */
export const STALE_TEMP_MS = 5 * 60_000;

/** Removes abandoned `.tmp-*` build folders; returns their names. */
export async function removeStaleTemps(indexDir: string, options: { olderThanMs?: number; now?: number } = {}): Promise<string[]> {
  const olderThanMs = options.olderThanMs ?? STALE_TEMP_MS;
  const now = options.now ?? Date.now();
  const dir = buildsDir(indexDir);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names.filter((n) => n.startsWith('.tmp-'))) {
    const full = path.join(dir, name);
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat || now - stat.mtimeMs <= olderThanMs) continue;
    await fs.rm(full, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
