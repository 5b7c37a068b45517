/** The default FeedbackSink when there is no store: one log line a vote, with the passages' ids rather than their text. */
import type { Logger } from '../../logger.js';
import type { FeedbackSink } from '../../store/store.js';

export function createLogFeedbackSink(logger: Logger): FeedbackSink {
  return {
    async record(feedback) {
      logger.info('feedback', {
        channel: feedback.channel,
        vote: feedback.vote,
        question: feedback.question,
        answer: feedback.answer.slice(0, 200),
        sources: feedback.sources.map((s) => s.chunkId),
        userHash: feedback.userHash,
        at: feedback.at.toISOString(),
      });
    },
  };
}
