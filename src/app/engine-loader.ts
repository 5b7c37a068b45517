/**
 * From configuration to a loaded engine: the embedder it asks for, the live index (built first
 * when there is none, so that a fresh clone answers after `npm ci`), and the engine over it.
 */
import type { Config } from '../config.js';
import { planToBuild, readPlanRegistry } from '../corpus/plan-registry.js';
import { isIndexError } from '../errors.js';
import type { EmbedderChoice } from '../index/build-index.js';
import { buildPlanIndex } from '../index/build-plan.js';
import { activateBuild } from '../index/index-paths.js';
import { loadIndex, type ExpectedEmbedder, type IndexFallback } from '../index/load-index.js';
import { removeStaleTemps } from '../index/stale-builds.js';
import type { IndexManifest } from '../index/manifest.js';
import type { Logger } from '../logger.js';
import { createEngine, type Engine } from '../qa/engine.js';
import type { TextStack } from './text-stack.js';

/** The embedder the configuration asks for, for building and for loading. */
export async function configuredEmbedder(config: Config): Promise<EmbedderChoice & ExpectedEmbedder> {
  if (config.embeddingsProvider === 'offline' || !config.llm) return { kind: 'offline' };
  const { createOpenAIEmbeddings } = await import('../qa/llm/embeddings.js');
  return {
    kind: 'external',
    name: `openai:${config.openaiEmbeddingsModel}`,
    embeddings: createOpenAIEmbeddings(config.llm, config.openaiEmbeddingsModel),
  };
}

/** Builds the current plan of corpus/plans.json into a new index version and makes it live. */
export async function buildCurrentPlan(config: Config, stack: TextStack, logger: Logger): Promise<IndexManifest> {
  const target = planToBuild(await readPlanRegistry(config.corpusDir), config.corpusDir);
  const stale = await removeStaleTemps(config.indexDir);
  if (stale.length) logger.info('removed unfinished build folders left by an interrupted run', { stale });
  const manifest = await buildPlanIndex({ target, indexDir: config.indexDir, analyzer: stack.analyzer, embedder: await configuredEmbedder(config) });
  await activateBuild(config.indexDir, manifest.build);
  logger.info('index built', { build: manifest.build, chunks: manifest.chunkCount, plan: manifest.planVersion });
  return manifest;
}

/**
 * Loads the live index (or an older `build`), building it first only when there is no pointer
 * at all (a fresh clone). A broken live build with an earlier good one recorded serves that one,
 * with an error line naming the broken build; a pointer to nothing is an error, never a rebuild.
 */
export async function loadEngine(config: Config, stack: TextStack, logger: Logger, build?: string): Promise<Engine> {
  const embedder = await configuredEmbedder(config);
  let index;
  const onFallback = ({ broken, error, serving }: IndexFallback) =>
    logger.error('live index build is broken: serving the previous good build until it is repaired (npm run index)', {
      broken,
      serving,
      error,
    });
  try {
    index = await loadIndex({ indexDir: config.indexDir, analyzer: stack.analyzer, embedder, build, onFallback });
  } catch (error) {
    if (!(isIndexError(error) && error.code === 'index_missing' && !build)) throw error;
    logger.info('no index yet: building it from corpus/ (once)', { indexDir: config.indexDir });
    await buildCurrentPlan(config, stack, logger);
    index = await loadIndex({ indexDir: config.indexDir, analyzer: stack.analyzer, embedder });
  }
  return createEngine({ index, analyzer: stack.analyzer, glossary: stack.glossary, lexicon: stack.lexicon, maxQuestionChars: config.maxQuestionChars });
}
