/**
 * Loads and validates an index build. Anything wrong (no build, a partial folder, corrupt
 * JSON, another embedder than configured) is an IndexError that says what to run.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { IndexError } from '../errors.js';
import type { Chunk } from '../corpus/section.js';
import type { Analyzer } from '../text/analyzer.js';
import { Bm25Index } from './bm25.js';
import { buildDir, readPointer } from './index-paths.js';
import { INDEX_FORMAT, type IndexManifest } from './manifest.js';
import { OFFLINE_EMBEDDER_NAME, OfflineEmbeddings, type OfflineEmbedderState } from './offline-embeddings.js';

export interface LoadedIndex {
  manifest: IndexManifest;
  chunks: Chunk[];
  words: Bm25Index;
  bigrams: Bm25Index;
  vectors: HNSWLib;
  embeddings: EmbeddingsInterface;
  dir: string;
}

export type ExpectedEmbedder = { kind: 'offline' } | { kind: 'external'; name: string; embeddings: EmbeddingsInterface };

const REBUILD = 'Run `npm run index` to build it again.';

async function readJson<T>(dir: string, name: string): Promise<T> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(dir, name), 'utf8');
  } catch (error) {
    throw new IndexError('index_invalid', `The index at ${dir} is partial: ${name} is missing. ${REBUILD}`, dir, { cause: error });
  }
  try {
    return JSON.parse(raw) as T;
  } catch (error) {
    throw new IndexError('index_invalid', `The index at ${dir} is corrupt: ${name} is not valid JSON. ${REBUILD}`, dir, { cause: error });
  }
}

/** Loads `<indexDir>/current.json`'s build, or the named build. */
export async function loadIndex(options: {
  indexDir: string;
  analyzer: Analyzer;
  embedder?: ExpectedEmbedder;
  build?: string;
}): Promise<LoadedIndex> {
  const { indexDir, analyzer } = options;
  const build = options.build ?? (await readPointer(indexDir).catch(() => undefined))?.build;
  if (!build) throw new IndexError('index_missing', `No index found in ${indexDir}. Run \`npm run index\` first.`, indexDir);
  return loadBuild(buildDir(indexDir, build), analyzer, options.embedder ?? { kind: 'offline' });
}

export async function loadBuild(dir: string, analyzer: Analyzer, expected: ExpectedEmbedder): Promise<LoadedIndex> {
  try {
    await fs.access(dir);
  } catch {
    throw new IndexError('index_missing', `No index found at ${dir}. Run \`npm run index\` first.`, dir);
  }
  const manifest = await readJson<IndexManifest>(dir, 'manifest.json');
  if (manifest.format !== INDEX_FORMAT) {
    throw new IndexError('index_invalid', `The index at ${dir} has format ${manifest.format}; this version reads ${INDEX_FORMAT}. ${REBUILD}`, dir);
  }
  for (const file of manifest.files ?? []) {
    await fs.access(path.join(dir, file)).catch((cause) => {
      throw new IndexError('index_invalid', `The index at ${dir} is partial: ${file} is missing. ${REBUILD}`, dir, { cause });
    });
  }
  const expectedName = expected.kind === 'offline' ? OFFLINE_EMBEDDER_NAME : expected.name;
  if (manifest.embedder?.name !== expectedName) {
    throw new IndexError(
      'index_embedder_mismatch',
      `The index at ${dir} was built with the embedder "${manifest.embedder?.name}", but "${expectedName}" is configured ` +
        '(EMBEDDINGS_PROVIDER). Rebuild with `npm run index`, or set EMBEDDINGS_PROVIDER to match.',
      dir,
    );
  }

  const chunks = await readJson<Chunk[]>(dir, 'chunks.json');
  if (!Array.isArray(chunks) || chunks.length !== manifest.chunkCount) {
    throw new IndexError('index_invalid', `The index at ${dir} is inconsistent: ${chunks?.length} chunks, manifest says ${manifest.chunkCount}. ${REBUILD}`, dir);
  }
  let words: Bm25Index, bigrams: Bm25Index;
  try {
    words = Bm25Index.fromJSON(await readJson(dir, 'bm25-words.json'));
    bigrams = Bm25Index.fromJSON(await readJson(dir, 'bm25-bigrams.json'));
  } catch (error) {
    if (error instanceof IndexError) throw error;
    throw new IndexError('index_invalid', `The index at ${dir} is corrupt: ${(error as Error).message}. ${REBUILD}`, dir, { cause: error });
  }
  if (words.size !== chunks.length || bigrams.size !== chunks.length) {
    throw new IndexError('index_invalid', `The index at ${dir} is inconsistent: the lexical index does not match the chunks. ${REBUILD}`, dir);
  }

  const embeddings =
    expected.kind === 'offline'
      ? new OfflineEmbeddings(analyzer, await readJson<OfflineEmbedderState>(dir, 'embedder.json'))
      : expected.embeddings;
  let vectors: HNSWLib;
  try {
    vectors = await HNSWLib.load(path.join(dir, 'vectors'), embeddings);
  } catch (error) {
    throw new IndexError('index_invalid', `The vector index at ${dir} cannot be read: ${(error as Error).message}. ${REBUILD}`, dir, { cause: error });
  }
  if (vectors.index.getCurrentCount() !== chunks.length) {
    throw new IndexError('index_invalid', `The vector index at ${dir} holds ${vectors.index.getCurrentCount()} vectors for ${chunks.length} chunks. ${REBUILD}`, dir);
  }
  return { manifest, chunks, words, bigrams, vectors, embeddings, dir };
}
