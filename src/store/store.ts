/**
 * What the bot remembers for good: feedback on answers and a log of questions with their
 * outcome, for `npm run report`. User ids enter hashed (src/user-hash.ts, keyed with the salt
 * the store keeps), so the database never holds a raw LINE or Slack id.
 */
import type { AnswerMode, AnswerOutcome, Source } from '../qa/types.js';
import type { UserHasher } from '../user-hash.js';
import type { CuratedAnswers } from './curated.js';

export type Outcome = AnswerOutcome;

/** One 👍/👎 on an answer. */
export interface FeedbackRecord {
  channel: 'slack' | 'line' | 'web';
  vote: 'up' | 'down';
  /** The question as asked; empty when the answer had already been forgotten. */
  question: string;
  answer: string;
  sources: Source[];
  /** The voter's id hashed with the store's hasher: stable per user, not reversible. */
  userHash: string;
  at: Date;
}

/** Where 👍/👎 clicks go: the store, or a log line when there is none. */
export interface FeedbackSink {
  record(feedback: FeedbackRecord): Promise<void>;
}

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
  /** Who asked, hashed with the store's hasher. */
  userHash?: string;
  /** The curated answer given instead of one from the plan, when there was one. */
  curatedId?: number;
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
  /** Questions and refusals (abstained) per day, in Japan's time (Asia/Tokyo), oldest first; days without questions left out. */
  daily: Array<{ day: string /* YYYY-MM-DD */; questions: number; refused: number }>;
  /** How often each curated answer was given, most first; the title is its first phrasing. */
  curated: Array<{ id: number; title: string; count: number }>;
}

export interface BotStore extends FeedbackSink {
  logQuestion(record: QuestionRecord): Promise<void>;
  /** Hashes user ids with the salt this store keeps: what logs, feedback and the question log use. */
  hashUser: UserHasher;
  /** Answers staff wrote for what the plan does not say. */
  curated: CuratedAnswers;
  /**
   * True for the first caller ever to claim `key` in this store, false for every later one, on
   * any replica: for what one replica alone must do once (the first start's import).
   */
  claimOnce(key: string): Promise<boolean>;
  report(options: ReportOptions): Promise<Report>;
  /** Deletes feedback and question-log rows older than the retention period; returns how many went. Curated answers stay. */
  purge(): Promise<number>;
  /** Stops the daily purge and closes the database (checkpointing SQLite's WAL, ending PostgreSQL's pool). */
  close(): Promise<void>;
}
