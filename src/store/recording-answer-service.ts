/**
 * Wraps the AnswerService so that every question's outcome is logged to the store and counted
 * in the metrics, under the channel that asked. Channels stay unaware: main.ts hands each one
 * `recordingAnswers(answers, 'line')`. Recording never fails an answer; it also counts answers
 * in flight, so that a graceful shutdown can wait for them.
 */
import { isQuestionError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AnswerObserver } from '../metrics/metrics.js';
import type { Answer, AnswerService } from '../qa/types.js';
import type { BotStore, Outcome } from './store.js';

export interface AnswerRecorderOptions {
  store?: Pick<BotStore, 'logQuestion'>;
  metrics?: AnswerObserver;
  logger: Logger;
  /** Whether an LLM is configured, to tell an LLM fallback from plain offline answering. */
  llmConfigured: boolean;
  /** @default Date.now */
  now?: () => number;
}

export interface AnswerRecorder {
  (answers: AnswerService, channel: string): AnswerService;
  /** Answers being made right now, across channels. */
  inFlight(): number;
  /** Resolves true when no answer is in flight, or false after `timeoutMs`. */
  whenIdle(timeoutMs: number): Promise<boolean>;
}

export function createAnswerRecorder(options: AnswerRecorderOptions): AnswerRecorder {
  const { store, metrics, logger, llmConfigured } = options;
  const now = options.now ?? Date.now;
  let inFlight = 0;
  let idleWaiters: Array<() => void> = [];
  let storeFailed = false;

  const settle = () => {
    inFlight -= 1;
    if (inFlight > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };

  const record = (channel: string, question: string, started: number, answer: Answer | undefined, error?: unknown, user?: string) => {
    // A refused question ("！？") was neither answered nor failed: the user is told what to type.
    if (isQuestionError(error)) return;
    const latencyMs = performance.now() - started;
    const outcome: Outcome = !answer ? 'failed' : answer.abstained ? 'abstained' : 'answered';
    metrics?.observeAnswer(channel, outcome, latencyMs / 1000);
    if (answer && llmConfigured && answer.mode === 'extractive' && !answer.abstained) metrics?.llmFallback(channel);
    const entry = { channel, question, outcome, mode: answer?.mode, latencyMs, topSection: answer?.sources[0]?.section, userHash: user, at: new Date(now()) };
    store?.logQuestion(entry).then(
      () => void (storeFailed = false),
      (e: unknown) => {
        // Once per outage, not once per question.
        if (!storeFailed) logger.error('question could not be logged to the store', { error: e });
        storeFailed = true;
      },
    );
  };

  const recorder = (answers: AnswerService, channel: string): AnswerService => ({
    async answer(question, context) {
      inFlight += 1;
      const started = performance.now();
      try {
        const answer = await answers.answer(question, context);
        record(channel, question, started, answer, undefined, context?.user);
        return answer;
      } catch (error) {
        record(channel, question, started, undefined, error, context?.user);
        throw error;
      } finally {
        settle();
      }
    },
    async *stream(question, context) {
      inFlight += 1;
      const started = performance.now();
      try {
        const answer = yield* answers.stream(question, context);
        record(channel, question, started, answer, undefined, context?.user);
        return answer;
      } catch (error) {
        record(channel, question, started, undefined, error, context?.user);
        throw error;
      } finally {
        // Also reached when the reader stops early (the client went away): nothing to record then.
        settle();
      }
    },
    info: () => answers.info(),
  });

  return Object.assign(recorder, {
    inFlight: () => inFlight,
    whenIdle: (timeoutMs: number) =>
      inFlight === 0
        ? Promise.resolve(true)
        : new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), timeoutMs);
            idleWaiters.push(() => {
              clearTimeout(timer);
              resolve(true);
            });
          }),
  });
}
