/**
 * Where 👍/👎 clicks go. A later issue stores them in SQLite; until then they are logged.
 * Records carry a hashed user id, never the raw one.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from '../../logger.js';
import type { Source } from '../../qa/types.js';

export interface FeedbackRecord {
  channel: 'slack' | 'line' | 'web';
  vote: 'up' | 'down';
  /** The question as asked; empty when the answer had already been forgotten. */
  question: string;
  answer: string;
  sources: Source[];
  /** A keyed hash of the user id (see `hashUserId`): stable per user, not reversible. */
  userHash: string;
  at: Date;
}

export interface FeedbackSink {
  record(feedback: FeedbackRecord): Promise<void>;
}

/** The default sink: one log line a vote, with the passages' ids rather than their text. */
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

/**
 * Slack user ids are short and guessable, so a plain hash could be reversed by trying them
 * all; an HMAC keyed with the app's signing secret cannot.
 */
export function hashUserId(secret: string, teamId: string | undefined, userId: string): string {
  return createHmac('sha256', secret).update(`slack:${teamId ?? ''}:${userId}`).digest('hex').slice(0, 16);
}
