/**
 * Loading refuses a missing, partial, corrupt or foreign index with an IndexError whose code
 * says which, and whose message says to run `npm run index`. Each case damages a copy of a
 * good build, so the cases do not depend on each other.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexError } from '../../src/errors.js';
import { buildDir } from '../../src/index/index-paths.js';
import { loadIndex } from '../../src/index/load-index.js';
import { makeTempDir, tempIndex, type TempIndex } from '../helpers/temp-index.js';

let live: TempIndex;
beforeAll(async () => {
  live = await tempIndex();
});
afterAll(() => live.cleanup());

let copies = 0;
/** A copy of the good build under a new name, changed by `damage`. */
async function damagedCopy(damage: (dir: string) => Promise<void>): Promise<string> {
  const name = `damaged-${++copies}`;
  await fs.cp(buildDir(live.dir, live.manifest.build), buildDir(live.dir, name), { recursive: true });
  await damage(buildDir(live.dir, name));
  return name;
}

async function loadError(options: { indexDir: string; build?: string }): Promise<IndexError> {
  const error = await loadIndex({ ...options, analyzer: live.stack.analyzer }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexError);
  return error as IndexError;
}

describe('loadIndex', () => {
  it('loads an undamaged copy (so the failures below are the damage’s doing)', async () => {
    const build = await damagedCopy(async () => {});
    const index = await loadIndex({ indexDir: live.dir, analyzer: live.stack.analyzer, build });
    expect(index.chunks).toHaveLength(live.manifest.chunkCount);
  });

  it('reports index_missing for a folder with no index', async () => {
    const empty = await makeTempDir('no-index');
    try {
      const error = await loadError({ indexDir: empty });
      expect(error.code).toBe('index_missing');
      expect(error.message).toContain('npm run index');
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
  });

  it('reports index_missing for a folder that does not exist', async () => {
    expect((await loadError({ indexDir: path.join(live.dir, 'nowhere') })).code).toBe('index_missing');
  });

  it('reports index_missing when the pointer names a build that is gone', async () => {
    expect((await loadError({ indexDir: live.dir, build: 'deleted-build' })).code).toBe('index_missing');
  });

  it.each(['lexical.json', 'chunks.json', 'facts.json', 'vectors/hnswlib.index', 'manifest.json'])(
    'reports index_invalid for a partial build (%s deleted)',
    async (file) => {
      const build = await damagedCopy((dir) => fs.rm(path.join(dir, file)));
      const error = await loadError({ indexDir: live.dir, build });
      expect(error.code).toBe('index_invalid');
      expect(error.message).toMatch(/partial/);
      expect(error.message).toContain(file);
      expect(error.message).toContain('npm run index');
    },
  );

  it.each(['chunks.json', 'lexical.json', 'sentences.json', 'profile.json', 'manifest.json', 'embedder.json'])('reports index_invalid for corrupt JSON in %s', async (file) => {
    const build = await damagedCopy((dir) => fs.writeFile(path.join(dir, file), '{"truncated": '));
    const error = await loadError({ indexDir: live.dir, build });
    expect(error.code).toBe('index_invalid');
    expect(error.message).toMatch(/corrupt/);
    expect(error.message).toContain('npm run index');
  });

  it('reports index_invalid for a truncated vector file', async () => {
    const build = await damagedCopy(async (dir) => {
      const file = path.join(dir, 'vectors/hnswlib.index');
      const bytes = await fs.readFile(file);
      await fs.writeFile(file, bytes.subarray(0, bytes.length >> 1));
    });
    const error = await loadError({ indexDir: live.dir, build });
    expect(error.code).toBe('index_invalid');
    expect(error.message).toMatch(/vector index .* cannot be read/);
  });

  it('reports index_invalid when the chunks do not match the manifest', async () => {
    const build = await damagedCopy(async (dir) => {
      const chunks = JSON.parse(await fs.readFile(path.join(dir, 'chunks.json'), 'utf8'));
      await fs.writeFile(path.join(dir, 'chunks.json'), JSON.stringify(chunks.slice(1)));
    });
    const error = await loadError({ indexDir: live.dir, build });
    expect(error.code).toBe('index_invalid');
    expect(error.message).toMatch(/inconsistent/);
  });

  it('reports index_embedder_mismatch for a build made with another embedder', async () => {
    const build = await damagedCopy(async (dir) => {
      const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8'));
      manifest.embedder.name = 'openai:text-embedding-3-small';
      await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    });
    const error = await loadError({ indexDir: live.dir, build });
    expect(error.code).toBe('index_embedder_mismatch');
    expect(error.message).toContain('openai:text-embedding-3-small');
    expect(error.message).toContain('EMBEDDINGS_PROVIDER');
  });
});
