/**
 * The question log behind the conversation layer: every question's outcome goes to the store
 * (for `npm run report`) and into the metrics, under the channel that asked. Recording never
 * fails an answer: a store that cannot write is logged once per outage.
 */
import type { QuestionLog } from '../conversation/types.js';
import type { Logger } from '../logger.js';
import type { AnswerObserver } from '../metrics/metrics.js';
import type { BotStore } from '../store/store.js';

export interface QuestionRecorderOptions {
  store?: Pick<BotStore, 'logQuestion'>;
  metrics?: AnswerObserver;
  logger: Logger;
  /** Whether a model is configured, to tell a model's failure from plain offline answering. */
  llmConfigured: boolean;
}

export function createQuestionRecorder({ store, metrics, logger, llmConfigured }: QuestionRecorderOptions): QuestionLog {
  let storeFailed = false;
  return {
    record(entry) {
      metrics?.observeAnswer(entry.channel, entry.outcome, entry.latencyMs / 1000);
      // A model is configured, yet the answer is extractive and no refusal: the model failed.
      if (llmConfigured && entry.mode === 'extractive' && entry.outcome === 'answered') metrics?.llmFallback(entry.channel);
      store?.logQuestion(entry).then(
        () => void (storeFailed = false),
        (error: unknown) => {
          if (!storeFailed) logger.error('question could not be logged to the store', { error });
          storeFailed = true;
        },
      );
    },
  };
}
