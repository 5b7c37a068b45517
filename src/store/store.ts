/**
 * What the bot remembers for good: feedback on answers and a log of questions with their
 * outcome, for `npm run report`. User ids enter already hashed by their channel and are keyed
 * again with the store's salt, so the database never holds a raw LINE or Slack id.
 */
import type { FeedbackSink } from '../channels/slack/feedback.js';
import type { AnswerMode } from '../qa/types.js';

export type Outcome = 'answered' | 'abstained' | 'failed';

export interface QuestionRecord {
  /** Which channel asked: 'line', 'slack', 'api' … */
  channel: string;
  question: string;
  outcome: Outcome;
  /** Absent when the answer failed. */
  mode?: AnswerMode;
  latencyMs: number;
  /** Heading path of the best source, when there was one. */
  topSection?: string;
  /** A user id (raw or hashed by the channel); the store keys it with its salt before writing. */
  user?: string;
  at: Date;
}

export interface ReportOptions {
  since: Date;
  /** Rows per list. @default 10 */
  limit?: number;
}

export interface Report {
  since: string;
  until: string;
  /** Questions the bot most often could not answer from the plan. */
  abstained: Array<{ question: string; count: number }>;
  /** Answers with the most 👎 (and their 👍 for balance). */
  disliked: Array<{ question: string; answer: string; down: number; up: number }>;
  /** Sections most often at the top of an answer: what people ask about. */
  topics: Array<{ section: string; count: number }>;
  channels: Array<{ channel: string; total: number; answered: number; abstained: number; failed: number; answerRate: number }>;
}

export interface BotStore extends FeedbackSink {
  logQuestion(record: QuestionRecord): Promise<void>;
  report(options: ReportOptions): Report;
  /** Deletes rows older than the retention period; returns how many went. */
  purge(): number;
  /** Stops the daily purge and closes the database (checkpointing the WAL). */
  close(): void;
}
