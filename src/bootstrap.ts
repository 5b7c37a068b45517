/**
 * Wires the engine from configuration: glossary → kuromoji → analyzer → index (built first
 * when none exists, so a fresh clone answers after `npm ci`) → engine → answer service.
 * `npm start`, `npm run ask` and `npm run eval` all start here, so they answer alike.
 */
import path from 'node:path';
import type { Config } from './config.js';
import { loadGlossary, type Glossary } from './corpus/glossary.js';
import { planToBuild, readPlanRegistry } from './corpus/plan-registry.js';
import { IndexError, isIndexError } from './errors.js';
import type { EmbedderChoice } from './index/build-index.js';
import { buildPlanIndex } from './index/build-plan.js';
import { activateBuild, buildDir } from './index/index-paths.js';
import { createLiveIndexWatcher, type LiveIndexWatcher } from './index/live-index.js';
import { loadIndex, type ExpectedEmbedder } from './index/load-index.js';
import type { IndexManifest } from './index/manifest.js';
import type { Logger } from './logger.js';
import { createAnswerService, type AnswerServiceOptions } from './qa/answer-service.js';
import { createEngine, type Engine } from './qa/engine.js';
import type { AnswerService } from './qa/types.js';
import { createAnalyzer, type Analyzer } from './text/analyzer.js';
import { loadTokenizer } from './text/tokenizer.js';

export interface TextStack {
  glossary: Glossary;
  analyzer: Analyzer;
}

export async function loadTextStack(config: Pick<Config, 'corpusDir'>): Promise<TextStack> {
  const [glossary, tokenizer] = await Promise.all([
    loadGlossary(path.join(config.corpusDir, 'glossary.json')),
    loadTokenizer(),
  ]);
  return { glossary, analyzer: createAnalyzer(tokenizer, glossaryVocabulary(glossary)) };
}

/** Every Japanese term the glossary names is a term of the field, to be kept whole by the tokenizer. */
export function glossaryVocabulary(glossary: Glossary) {
  const japanese = (t: string) => /[\u3040-\u30ff\u3400-\u9fff]/.test(t);
  const terms = [
    ...Object.keys(glossary.variants),
    ...Object.values(glossary.related).flat(),
    ...Object.values(glossary.english).flat(),
  ].filter(japanese);
  return { variants: glossary.variants, terms };
}

/** The embedder the configuration asks for, for building and for loading. */
export async function configuredEmbedder(config: Config): Promise<EmbedderChoice & ExpectedEmbedder> {
  if (config.embeddingsProvider === 'offline' || !config.llm) return { kind: 'offline' };
  const { createOpenAIEmbeddings } = await import('./qa/llm/embeddings.js');
  return {
    kind: 'external',
    name: `openai:${config.openaiEmbeddingsModel}`,
    embeddings: createOpenAIEmbeddings(config.llm, config.openaiEmbeddingsModel),
  };
}

/** Builds the current plan of corpus/plans.json into a new index version and makes it live. */
export async function buildCurrentPlan(config: Config, stack: TextStack, logger: Logger): Promise<IndexManifest> {
  const target = planToBuild(await readPlanRegistry(config.corpusDir), config.corpusDir);
  const manifest = await buildPlanIndex({ target, indexDir: config.indexDir, analyzer: stack.analyzer, embedder: await configuredEmbedder(config) });
  await activateBuild(config.indexDir, manifest.build);
  logger.info('index built', { build: manifest.build, chunks: manifest.chunkCount, plan: manifest.planVersion });
  return manifest;
}

/** Loads the live index, building it first when there is none yet. */
export async function loadEngine(config: Config, stack: TextStack, logger: Logger, build?: string): Promise<Engine> {
  const embedder = await configuredEmbedder(config);
  let index;
  try {
    index = await loadIndex({ indexDir: config.indexDir, analyzer: stack.analyzer, embedder, build });
  } catch (error) {
    if (!(isIndexError(error) && error.code === 'index_missing' && !build)) throw error;
    logger.info('no index yet: building it from corpus/ (once)', { indexDir: config.indexDir });
    await buildCurrentPlan(config, stack, logger);
    index = await loadIndex({ indexDir: config.indexDir, analyzer: stack.analyzer, embedder });
  }
  return createEngine({ index, analyzer: stack.analyzer, glossary: stack.glossary, maxQuestionChars: config.maxQuestionChars });
}

/** The model step when a model is configured; the follow-up rewriter always (offline it carries the topic over). */
export async function llmOptions(config: Config, stack: TextStack, logger: Logger): Promise<Pick<AnswerServiceOptions, 'llm' | 'rewriter'>> {
  const { createFollowUpRewriter } = await import('./qa/llm/rewrite-follow-up.js');
  const extractKeyTerms = keyTermsOf(stack);
  if (!config.llm) return { rewriter: createFollowUpRewriter({ timeoutMs: 0, logger, extractKeyTerms }) };
  const { createChatModel } = await import('./qa/llm/chat-model.js');
  const { createLlmAnswerer } = await import('./qa/llm/llm-answer.js');
  const model = createChatModel(config.llm);
  const { timeoutMs } = config.llm;
  return {
    llm: createLlmAnswerer({ model, timeoutMs, logger }),
    // A third of the budget: a follow-up must not make the user wait twice LLM_TIMEOUT_MS.
    rewriter: createFollowUpRewriter({ model, timeoutMs: Math.max(1000, Math.round(timeoutMs / 3)), logger, extractKeyTerms }),
  };
}

/** Nouns of a question, for carrying a topic into a follow-up without a model. */
export const keyTermsOf = (stack: TextStack) => (text: string) => {
  const { words, compounds } = stack.analyzer.analyze(text);
  return compounds.length ? [compounds[compounds.length - 1]] : words;
};

/** The answer service over the live index, or over an older `build` when one is asked for. */
export async function createDefaultAnswerService(
  config: Config,
  logger: Logger,
  options: { build?: string } = {},
): Promise<{ answers: AnswerService; engine: () => Engine; stack: TextStack; swap(next: Engine): void }> {
  const stack = await loadTextStack(config);
  let live = await loadEngine(config, stack, logger, options.build);
  const engine = () => live;
  const answers = createAnswerService({ engine, logger, ...(await llmOptions(config, stack, logger)) });
  return { answers, engine, stack, swap: (next) => void (live = next) };
}

/** Every plan version answers this; a new build that cannot does not go live. */
export const SMOKE_QUESTION = '休眠預金とは何ですか';

/**
 * Follows `npm run index` in a running bot (issue 6): a newly activated build is loaded and
 * asked SMOKE_QUESTION while the old engine answers, then swapped in between questions.
 */
export function watchIndexSwaps(
  config: Config,
  service: { engine: () => Engine; stack: TextStack; swap(next: Engine): void },
  logger: Logger,
  options: { sighup?: boolean } = {},
): LiveIndexWatcher {
  return createLiveIndexWatcher({
    indexDir: config.indexDir,
    engine: service.engine,
    swap: service.swap,
    logger,
    // A worker thread gets no signals: there the main thread forwards SIGHUP.
    sighup: options.sighup ?? true,
    async prepare(build) {
      const next = await loadEngine(config, service.stack, logger, build);
      const smoke = await createAnswerService({ engine: () => next, logger }).answer(SMOKE_QUESTION);
      if (!smoke.sources.length) {
        throw new IndexError('index_invalid', `Build ${build} finds no passage for 「${SMOKE_QUESTION}」: not swapped in.`, buildDir(config.indexDir, build));
      }
      return next;
    },
  });
}
