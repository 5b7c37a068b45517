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
import type { PlanFacts } from '../corpus/facts.js';
import type { Bm25Index } from './bm25.js';
import { lexicalFromJson, type LexicalFields, type LexicalJson, type SentenceEntry } from './lexical.js';
import type { PlanProfile } from './plan-profile.js';
import { buildDir, pointerFile, readPointer } from './index-paths.js';
import { INDEX_FORMAT, sha256Of, type IndexManifest } from './manifest.js';
import { OFFLINE_EMBEDDER_NAME, OfflineEmbeddings, type OfflineEmbedderState } from './offline-embeddings.js';

export interface LoadedIndex {
  manifest: IndexManifest;
  chunks: Chunk[];
  /** BM25 over whole passages (words also gives the idf that weighs a question's terms). */
  words: Bm25Index;
  bigrams: Bm25Index;
  readings: Bm25Index;
  /** The passages' sentences, and BM25 over them. */
  sentences: { list: SentenceEntry[] } & LexicalFields;
  facts: PlanFacts;
  profile: PlanProfile;
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

/**
 * Every file the manifest has a SHA-256 for must still have it: the structural checks catch a
 * truncated or mangled file, this one a file changed in place (edited, swapped, a bit flipped
 * on disk). Run last, so that damage the other checks name is named so.
 */
async function verifyChecksums(dir: string, manifest: IndexManifest): Promise<void> {
  for (const [file, expected] of Object.entries(manifest.sha256 ?? {})) {
    const actual = await sha256Of(path.join(dir, file)).catch(() => undefined);
    if (actual !== expected) {
      throw new IndexError(
        'index_invalid',
        `The index at ${dir} is corrupt: ${file} ${actual ? 'does not match its SHA-256 in manifest.json (changed since the build)' : 'is missing'}. ${REBUILD}`,
        dir,
      );
    }
  }
}

/** A live build that could not be loaded, and the earlier one served instead. */
export interface IndexFallback {
  broken: string;
  error: IndexError;
  serving: string;
}

/**
 * Loads `<indexDir>/current.json`'s build, or the named build. When the live build is broken
 * (missing, partial, corrupt, its files not matching their checksums) and the pointer records
 * earlier builds, the most recent one that loads is served instead and `onFallback` hears of
 * it; with none, the live build's error is thrown. No pointer at all is `index_missing` (a
 * fresh clone builds then); a pointer to a build that is gone is `index_invalid`, never a
 * reason to build another plan from corpus/.
 */
export async function loadIndex(options: {
  indexDir: string;
  analyzer: Analyzer;
  embedder?: ExpectedEmbedder;
  build?: string;
  onFallback?: (fallback: IndexFallback) => void;
}): Promise<LoadedIndex> {
  const { indexDir, analyzer } = options;
  const expected = options.embedder ?? { kind: 'offline' };
  if (options.build) return loadBuild(buildDir(indexDir, options.build), analyzer, expected);
  const pointer = await readPointer(indexDir);
  if (!pointer) throw new IndexError('index_missing', `No index found in ${indexDir}. Run \`npm run index\` first.`, indexDir);
  try {
    return await loadBuild(buildDir(indexDir, pointer.build), analyzer, expected, pointerFile(indexDir));
  } catch (error) {
    // Another embedder than configured is a setting to fix, not damage: an older build would not match either.
    if (!(error instanceof IndexError) || error.code === 'index_embedder_mismatch') throw error;
    for (const previous of pointer.previous) {
      const index = await loadBuild(buildDir(indexDir, previous), analyzer, expected).catch(() => undefined);
      if (!index) continue;
      options.onFallback?.({ broken: pointer.build, error, serving: previous });
      return index;
    }
    throw error;
  }
}

/** Loads one build folder; `namedBy` is the pointer file when it is the live one (a missing live build is then damage, not a fresh start). */
export async function loadBuild(dir: string, analyzer: Analyzer, expected: ExpectedEmbedder, namedBy?: string): Promise<LoadedIndex> {
  try {
    await fs.access(dir);
  } catch {
    if (namedBy) {
      throw new IndexError(
        'index_invalid',
        `${namedBy} names the build ${path.basename(dir)}, but ${dir} does not exist. Restore that folder, ` +
          'point current.json at a build that exists (`npm run index -- --rollback`), or run `npm run index` to build and activate a new one.',
        dir,
      );
    }
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
  let lexical: ReturnType<typeof lexicalFromJson>;
  try {
    lexical = lexicalFromJson(await readJson<LexicalJson>(dir, 'lexical.json'));
  } catch (error) {
    if (error instanceof IndexError) throw error;
    throw new IndexError('index_invalid', `The index at ${dir} is corrupt: lexical.json: ${(error as Error).message}. ${REBUILD}`, dir, { cause: error });
  }
  const sentenceList = await readJson<SentenceEntry[]>(dir, 'sentences.json');
  const { words, bigrams, readings } = lexical.chunks;
  if (words.size !== chunks.length || bigrams.size !== chunks.length || readings.size !== chunks.length) {
    throw new IndexError('index_invalid', `The index at ${dir} is inconsistent: the lexical index does not match the chunks. ${REBUILD}`, dir);
  }
  if (!Array.isArray(sentenceList) || sentenceList.length !== lexical.sentences.words.size || sentenceList.some((e) => !chunks[e?.chunk])) {
    throw new IndexError('index_invalid', `The index at ${dir} is inconsistent: sentences.json does not match its index. ${REBUILD}`, dir);
  }
  const facts = await readJson<PlanFacts>(dir, 'facts.json');
  const profile = await readJson<PlanProfile>(dir, 'profile.json');
  if (!Array.isArray(facts?.indicators) || !Array.isArray(facts.events) || !Array.isArray(facts.definitions)) {
    throw new IndexError('index_invalid', `The index at ${dir} is corrupt: facts.json lacks its lists. ${REBUILD}`, dir);
  }
  if (!Array.isArray(profile?.typesHeld) || typeof profile.readingText !== 'string' || typeof profile.readingTerms !== 'object') {
    throw new IndexError('index_invalid', `The index at ${dir} is corrupt: profile.json lacks its fields. ${REBUILD}`, dir);
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
  await verifyChecksums(dir, manifest);
  return {
    manifest,
    chunks,
    words,
    bigrams,
    readings,
    sentences: { list: sentenceList, ...lexical.sentences },
    facts,
    profile,
    vectors,
    embeddings,
    dir,
  };
}
