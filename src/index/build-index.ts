/**
 * Builds one index version from a plan source: sections → chunks → BM25 over kuromoji terms
 * and character bigrams → embeddings in hnswlib. Everything is written into a temporary
 * folder that is renamed into `<indexDir>/builds/<build>` only when complete, so a killed
 * build leaves nothing half-written behind. Going live is a separate step (activateBuild).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { chunkSections } from '../corpus/chunk.js';
import { extractFacts } from '../corpus/facts.js';
import { splitSentences } from '../corpus/sentences.js';
import { readPlanSections } from '../corpus/read-source.js';
import type { PlanIdentity } from '../corpus/plan-identity.js';
import type { Chunk } from '../corpus/section.js';
import type { Analyzer } from '../text/analyzer.js';
import { Bm25Index } from './bm25.js';
import type { LexicalJson, SentenceEntry } from './lexical.js';
import { profilePlan } from './plan-profile.js';
import { INDEX_FORMAT, type IndexManifest } from './manifest.js';
import { OfflineEmbeddings } from './offline-embeddings.js';
import { buildsDir, INDEX_FILES } from './index-paths.js';
import { fileChecksums } from './manifest.js';
import { makeBuildTemp } from './stale-builds.js';

/**
 * What a build is doing, for a progress display: the stage, and how far into it. A stage that
 * is not counted reports 0 of 0 once, when it starts; a counted one reports `done` of `total`
 * as it goes (texts analyzed for `lexical`, chunks for `embed`), its first report being its start.
 */
export interface BuildProgress {
  stage: BuildStage;
  done: number;
  total: number;
}
export type BuildStage = 'sections' | 'lexical' | 'fit' | 'embed' | 'vectors' | 'write';
export type BuildProgressFn = (progress: BuildProgress) => void;

/** Chunks embedded per call: small enough that a 100× corpus reports often, large enough to keep an API's batching. */
export const EMBED_BATCH = 512;
/** The lexical stage reports after every this many texts analyzed. */
const LEXICAL_STEP = 256;

export type EmbedderChoice =
  | { kind: 'offline' }
  | { kind: 'external'; name: string; embeddings: EmbeddingsInterface };

export interface BuildIndexOptions {
  sourceFile: string;
  planVersion: string;
  planTitle?: string;
  /** What the plan calls itself, recorded in the manifest. */
  plan?: PlanIdentity;
  indexDir: string;
  analyzer: Analyzer;
  embedder?: EmbedderChoice;
  /** Package versions recorded in the manifest. */
  versions?: Record<string, string>;
  now?: () => Date;
  /** Called as the build moves on; `npm run index` draws it (scripts/progress-display.ts). */
  onProgress?: BuildProgressFn;
}

/** The text a chunk is indexed under: its heading path first (a strong field), then the passage. */
export const indexedText = (chunk: Pick<Chunk, 'section' | 'text'>) => `${chunk.section}\n${chunk.text}`;

/** Word terms of a chunk; the heading path counts twice, as headings name what a passage is about. */
export function chunkTerms(analyzer: Analyzer, chunk: Pick<Chunk, 'section' | 'text'>): string[] {
  const heading = chunk.section.split(' > ').slice(1).join(' ');
  return [...analyzer.terms(indexedText(chunk)), ...analyzer.terms(heading)];
}

/** A chunk's own heading (the last of its path): what each of its sentences is about too. */
export const ownHeading = (chunk: Pick<Chunk, 'section'>) => chunk.section.split(' > ').slice(-1)[0] ?? '';

/**
 * The lexical indexes: BM25 over words, character pairs and readings, once over whole passages
 * and once over their sentences (each with its passage's own heading), so that a question is
 * matched at the grain of the fact it asks for as well as of the section.
 */
export function buildLexical(
  analyzer: Analyzer,
  chunks: Chunk[],
  analyzed?: (done: number, total: number) => void,
): { lexical: LexicalJson; sentences: SentenceEntry[] } {
  const texts = chunks.map(indexedText);
  const sentences: SentenceEntry[] = chunks.flatMap((chunk, index) => splitSentences(chunk.text).map((text) => ({ chunk: index, text })));
  const withHeading = (entry: SentenceEntry) => `${entry.text}\n${ownHeading(chunks[entry.chunk])}`;
  // Tokenizing is most of a large build's time: count the texts through the six passes.
  const total = 3 * (chunks.length + sentences.length);
  let done = 0;
  analyzed?.(0, total);
  const counted = <T, R>(items: T[], analyze: (item: T) => R): R[] =>
    items.map((item) => {
      const result = analyze(item);
      if (++done % LEXICAL_STEP === 0 || done === total) analyzed?.(done, total);
      return result;
    });
  return {
    lexical: {
      chunks: {
        words: Bm25Index.build(counted(chunks, (c) => chunkTerms(analyzer, c))).toJSON(),
        bigrams: Bm25Index.build(counted(texts, (t) => analyzer.bigrams(t))).toJSON(),
        readings: Bm25Index.build(counted(texts, (t) => analyzer.readings(t))).toJSON(),
      },
      sentences: {
        words: Bm25Index.build(counted(sentences, (e) => analyzer.terms(withHeading(e)))).toJSON(),
        bigrams: Bm25Index.build(counted(sentences, (e) => analyzer.bigrams(withHeading(e)))).toJSON(),
        readings: Bm25Index.build(counted(sentences, (e) => analyzer.readings(withHeading(e)))).toJSON(),
      },
    },
    sentences,
  };
}

/** Embeds `texts` in batches of EMBED_BATCH, telling `embedded` the running count after each. */
async function embedInBatches(embeddings: EmbeddingsInterface, texts: string[], embedded: (done: number) => void): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH) {
    vectors.push(...(await embeddings.embedDocuments(texts.slice(start, start + EMBED_BATCH))));
    embedded(vectors.length);
  }
  return vectors;
}

export async function buildIndex(options: BuildIndexOptions): Promise<IndexManifest> {
  const { indexDir, planVersion } = options;
  // Every passage is read by several stages below; kuromoji reads each text once.
  const analyzer = options.analyzer.remembering();
  const progress = options.onProgress ?? (() => {});
  const now = options.now?.() ?? new Date();
  progress({ stage: 'sections', done: 0, total: 0 });
  const { text, sections } = await readPlanSections(options.sourceFile);
  const chunks = chunkSections(sections);

  const texts = chunks.map(indexedText);
  const { lexical, sentences: sentenceList } = buildLexical(analyzer, chunks, (done, total) => progress({ stage: 'lexical', done, total }));

  const choice = options.embedder ?? { kind: 'offline' };
  if (choice.kind === 'offline') progress({ stage: 'fit', done: 0, total: 0 });
  const embeddings = choice.kind === 'offline' ? OfflineEmbeddings.fit(analyzer, texts) : choice.embeddings;
  progress({ stage: 'embed', done: 0, total: chunks.length });
  const vectorList = await embedInBatches(embeddings, texts, (done) => progress({ stage: 'embed', done, total: chunks.length }));
  progress({ stage: 'vectors', done: 0, total: 0 });
  const documents = chunks.map((c, i) => new Document({ pageContent: texts[i], metadata: { chunkId: c.id } }));
  // What HNSWLib.fromDocuments does, with the embedding done above in counted batches.
  const vectors = new HNSWLib(embeddings, { space: 'cosine' });
  await vectors.addVectors(vectorList, documents);
  const dimensions = vectors.index.getNumDimensions();
  const embedderName = choice.kind === 'offline' ? (embeddings as OfflineEmbeddings).state.name : choice.name;

  const build = `${planVersion.replace(/[^\w.-]+/g, '_')}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
  const manifest: IndexManifest = {
    format: INDEX_FORMAT,
    build,
    planVersion,
    planTitle: options.planTitle,
    plan: options.plan,
    sourceFile: path.basename(options.sourceFile),
    sourceSha256: createHash('sha256').update(text).digest('hex'),
    embedder: { name: embedderName, dimensions },
    chunkCount: chunks.length,
    sectionCount: sections.length,
    builtAt: now.toISOString(),
    versions: options.versions ?? {},
    files: [...INDEX_FILES],
  };

  progress({ stage: 'write', done: 0, total: 0 });
  // Named after this host and process, so that the next run can tell it abandoned if this one is killed.
  const tmp = await makeBuildTemp(indexDir, build);
  try {
    const write = (name: string, data: unknown) => fs.writeFile(path.join(tmp, name), JSON.stringify(data));
    await write('chunks.json', chunks);
    await write('sections.json', sections);
    await write('lexical.json', lexical);
    await write('sentences.json', sentenceList);
    await write('facts.json', extractFacts(chunks));
    await write('profile.json', profilePlan(chunks, analyzer));
    if (choice.kind === 'offline') await write('embedder.json', (embeddings as OfflineEmbeddings).state);
    await vectors.save(path.join(tmp, 'vectors'));
    // Each file's SHA-256, checked at load: a file changed or damaged since is refused.
    manifest.sha256 = await fileChecksums(tmp);
    // The manifest goes last: a folder without one was never finished.
    await write('manifest.json', manifest);
    await fs.rename(tmp, path.join(buildsDir(indexDir), build));
  } catch (error) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw error;
  }
  return manifest;
}
