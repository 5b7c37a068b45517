/**
 * The one answer service, composed as a LangChain runnable sequence of named steps:
 * retrieve → compose. It answers a question that stands alone: turning a follow-up into one
 * is the conversation layer's step (src/conversation), before this. The compose step is extractive
 * offline; with a model configured it asks the model and falls back to the extractive
 * answer on any failure. The engine (index + analyzers) is read once per question, so an
 * index swap between questions never mixes two versions in one answer.
 */
import { Runnable, type RunnableConfig } from '@langchain/core/runnables';
import { isBotError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Engine } from './engine.js';
import { abstentionText, shortenedNote } from './answer-texts.js';
import { composeExtractiveAnswer, type ComposedAnswer } from './extractive-answer.js';
import { SURE_REFUSALS } from './refusal.js';
import type { RetrievalResult } from './hybrid-search.js';
import type { LlmAnswer, LlmAnswerer } from './llm/types.js';
import type { Answer, AnswerContext, AnswerService, Source } from './types.js';

export interface AnswerServiceOptions {
  /** The live engine; read once per question. */
  engine: () => Engine;
  llm?: LlmAnswerer;
  logger: Logger;
}

interface ChainInput {
  question: string;
  engine: Engine;
  signal?: AbortSignal;
}

interface Retrieved extends ChainInput {
  standalone: string;
  retrieval: RetrievalResult;
}

/**
 * A named step of the chain. RunnableLambda would open an AsyncLocalStorage context for every
 * call, with a LangSmith RunTree of its own (a uuid7 from the crypto RNG, timestamps), so that
 * runnables called inside it inherit its config: about a twentieth of an answer worker's time,
 * for steps that call none that way (the model's chain is given its signal). A step is still
 * a Runnable run under its name (callbacks, tracers), so the chain stays a LangChain sequence.
 * Measured alone, the two-step chain's own cost per answer: about 60 µs with RunnableLambda,
 * 10–18 µs with this.
 */
class ChainStep<I, O> extends Runnable<I, O> {
  lc_namespace = ['kenmin_katsudo', 'answer'];

  constructor(
    private readonly step: (input: I) => Promise<O>,
    readonly name: string,
  ) {
    super();
  }

  invoke(input: I, options?: Partial<RunnableConfig>): Promise<O> {
    return this._callWithConfig(this.step, input, { ...options, runName: options?.runName ?? this.name });
  }
}

export function toSources(retrieval: RetrievalResult): Source[] {
  return retrieval.passages.map((p) => ({
    rank: p.rank,
    score: Number(p.score.toFixed(5)),
    section: p.chunk.section,
    text: p.chunk.text,
    chunkId: p.chunk.id,
  }));
}

/** Keeps the sources the model cited, in citation order; all of them when it cited none. */
function citedSources(sources: Source[], citedRanks: number[]): Source[] {
  const cited = citedRanks.map((r) => sources.find((s) => s.rank === r)).filter((s): s is Source => Boolean(s));
  return cited.length ? [...new Set(cited)] : sources;
}

export function createAnswerService(options: AnswerServiceOptions): AnswerService {
  const { llm, logger } = options;

  // Named steps, each adding one field to what flows through (as RunnablePassthrough.assign would).
  const retrieve = new ChainStep(async (input: ChainInput): Promise<Retrieved> => {
    const analyzed = input.engine.analyzeQuestion(input.question);
    // What was looked up: a question over the size limit is cut.
    return { ...input, standalone: analyzed.question, retrieval: await input.engine.search(analyzed) };
  }, 'retrieve');

  /** Whatever the answer, a shortened question is said to be shortened. */
  const noteFor = (retrieval: RetrievalResult) => (retrieval.question.truncated ? shortenedNote(retrieval.question.language) : '');

  function extractive(input: Retrieved): Answer & { composed: ComposedAnswer } {
    const { engine, retrieval, standalone } = input;
    const composed = composeExtractiveAnswer(retrieval, { analyzer: engine.analyzer, index: engine.index, plan: engine.info.plan });
    return {
      answer: noteFor(retrieval) + composed.answer,
      abstained: composed.abstained,
      mode: 'extractive',
      language: retrieval.question.language,
      sources: composed.abstained ? [] : toSources(retrieval),
      standaloneQuestion: standalone,
      composed,
    };
  }

  /**
   * With a model, the model decides: it gets the passages for every question unless the offline
   * step is sure the plan cannot answer it (a kind of data it prints nowhere, a name or a year it
   * never mentions, a topic it never speaks of). The model may abstain itself.
   */
  const offlineIsFinal = (offline: ReturnType<typeof extractive>) =>
    !llm ||
    (offline.abstained && offline.composed.refusal !== undefined && SURE_REFUSALS.includes(offline.composed.refusal.kind));
  const withoutDetail = ({ composed: _composed, ...answer }: ReturnType<typeof extractive>): Answer => answer;
  const inputFor = (input: Retrieved, language: Answer['language']) => ({
    question: input.standalone,
    language,
    passages: toSources(input.retrieval),
    plan: input.engine.info.plan,
  });

  function fromLlm(input: Retrieved, offline: Answer, result: LlmAnswer): Answer {
    const language = input.retrieval.question.language;
    const note = noteFor(input.retrieval);
    if (result.abstained) return { ...offline, answer: note + abstentionText(language, input.engine.info.plan), abstained: true, mode: 'llm', sources: [] };
    const sources = toSources(input.retrieval);
    return { ...offline, answer: note + result.text, abstained: false, mode: 'llm', sources: citedSources(sources, result.citedRanks) };
  }

  // The answerer already logged the failure at warn; this line records the fallback itself.
  const logFallback = (error: unknown) =>
    logger.info('answering offline after llm failure', { reason: isBotError(error) ? (error as { reason?: string }).reason ?? error.code : 'error' });

  const compose = new ChainStep(async (input: Retrieved): Promise<Answer> => {
    const detailed = extractive(input);
    const offline = withoutDetail(detailed);
    if (offlineIsFinal(detailed) || input.retrieval.passages.length === 0) return offline;
    try {
      return fromLlm(input, offline, await llm!.answer(inputFor(input, offline.language), input.signal));
    } catch (error) {
      logFallback(error);
      return offline;
    }
  }, 'compose');

  const chain = retrieve.pipe(compose);
  const begin = (question: string, context?: AnswerContext): ChainInput => ({
    question,
    engine: options.engine(),
    signal: context?.signal,
  });

  return {
    answer: (question, context) => chain.invoke(begin(question, context)),

    async *stream(question, context) {
      const retrieved = await retrieve.invoke(begin(question, context));
      const detailed = extractive(retrieved);
      const offline = withoutDetail(detailed);
      if (offlineIsFinal(detailed) || retrieved.retrieval.passages.length === 0) {
        yield offline.answer;
        return offline;
      }
      try {
        const generator = llm!.stream(inputFor(retrieved, offline.language), context?.signal);
        const note = noteFor(retrieved.retrieval);
        if (note) yield note;
        let step = await generator.next();
        while (!step.done) {
          yield step.value;
          step = await generator.next();
        }
        return fromLlm(retrieved, offline, step.value);
      } catch (error) {
        // Deltas already shown must be replaced by the channel with this final answer.
        logFallback(error);
        yield offline.answer;
        return offline;
      }
    },

    info: () => options.engine().info,
  };
}
