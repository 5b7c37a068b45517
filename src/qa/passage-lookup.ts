/**
 * A passage of the live index by its id, for what names one from outside retrieval: a curated
 * answer's plan section (src/store/curated.ts `sectionId`). Reads the live build's chunks.json
 * (the pointer says which), once per build: an `npm run index` that activates a new build is
 * seen at the next look-up, without the answer worker.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Chunk } from '../corpus/section.js';
import { buildDir, readPointer } from '../index/index-paths.js';
import type { Source } from './types.js';

/** The passage with this chunk id (or this exact heading path), as an answer's source; undefined when the live index has none. */
export type PassageLookup = (id: string) => Promise<Source | undefined>;

export function createPassageLookup(indexDir: string): PassageLookup {
  let loaded: { build: string; chunks: Chunk[] } | undefined;
  return async (id) => {
    const pointer = await readPointer(indexDir);
    if (!pointer) return undefined;
    if (loaded?.build !== pointer.build) {
      const chunks = JSON.parse(await fs.readFile(path.join(buildDir(indexDir, pointer.build), 'chunks.json'), 'utf8')) as Chunk[];
      loaded = { build: pointer.build, chunks };
    }
    const chunk = loaded.chunks.find((c) => c.id === id) ?? loaded.chunks.find((c) => c.section === id);
    return chunk && { rank: 1, score: 1, section: chunk.section, text: chunk.text, chunkId: chunk.id };
  };
}
