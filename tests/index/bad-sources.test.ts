/** A broken source (or a build that fails) never replaces a working index: the live index is left as it was. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSourceError } from '../../src/errors.js';
import { buildIndex } from '../../src/index/build-index.js';
import { pointerFile } from '../../src/index/index-paths.js';
import { loadIndex } from '../../src/index/load-index.js';
import { makeTempDir, snapshotDir, tempIndex, type TempIndex } from '../helpers/temp-index.js';

let live: TempIndex;
let sources: string;

beforeAll(async () => {
  live = await tempIndex();
  sources = await makeTempDir('bad-sources');
});
afterAll(async () => {
  await live.cleanup();
  await fs.rm(sources, { recursive: true, force: true });
});

const CASES: Array<[string, string, Uint8Array, RegExp]> = [
  ['an empty file', 'empty.txt', new Uint8Array(), /empty/],
  ['a binary file', 'plan.pdf', new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0, 0, 0x93, 0x8c, 0xa4]), /binary/],
  // Latin-1 `café au lait ÿ`: invalid in UTF-8 and in Shift_JIS (see tests/corpus/read-source.test.ts).
  ['a non-UTF-8 file', 'latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x61, 0x75, 0x20, 0x6c, 0x61, 0x69, 0x74, 0x20, 0xff]), /neither UTF-8 nor Shift_JIS/],
  ['prose with no sections', 'prose.txt', new TextEncoder().encode('県民活動はとても大切です。\nみんなで参加しましょう。\n'), /no sections found/],
];

describe('building from a bad source', () => {
  it.each(CASES)('fails on %s and leaves the live index untouched', async (_name, file, bytes, message) => {
    const source = path.join(sources, file);
    await fs.writeFile(source, bytes);
    const pointerBefore = await fs.readFile(pointerFile(live.dir), 'utf8');
    const filesBefore = await snapshotDir(live.dir);

    const error = await buildIndex({ sourceFile: source, planVersion: 'broken', indexDir: live.dir, analyzer: live.stack.analyzer }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSourceError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(source);

    expect(await fs.readFile(pointerFile(live.dir), 'utf8')).toBe(pointerBefore);
    expect(await snapshotDir(live.dir)).toEqual(filesBefore);
    const index = await loadIndex({ indexDir: live.dir, analyzer: live.stack.analyzer });
    expect(index.manifest.build).toBe(live.manifest.build);
    expect(index.chunks).toHaveLength(live.manifest.chunkCount);
  });
});

/** An embedder whose service is down. */
class FailingEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  async embedDocuments(): Promise<number[][]> {
    throw new Error('embedding service unavailable');
  }
  async embedQuery(): Promise<number[]> {
    throw new Error('embedding service unavailable');
  }
}

describe('a build that fails half-way', () => {
  it('leaves no partial build behind and the live index untouched', async () => {
    const filesBefore = await snapshotDir(live.dir);
    await expect(
      buildIndex({
        sourceFile: path.join(live.config.corpusDir, 'yamaguchi-kenmin-katsudo-plan-3rd-revision.txt'),
        planVersion: 'half-way',
        indexDir: live.dir,
        analyzer: live.stack.analyzer,
        embedder: { kind: 'external', name: 'failing', embeddings: new FailingEmbeddings() },
      }),
    ).rejects.toThrow('embedding service unavailable');
    expect(await snapshotDir(live.dir)).toEqual(filesBefore);
  });
});
