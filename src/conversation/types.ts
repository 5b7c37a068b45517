/**
 * The conversation layer's vocabulary: one question asked in a chat (AskRequest), how it ended
 * (AskOutcome), and what the layer is built from. Channels speak only this: they turn their
 * platform's requests into an AskRequest and an AskOutcome into their platform's messages.
 */
import type { PlanIdentity } from '../corpus/plan-identity.js';
import type { Answer, Source, Turn } from '../qa/types.js';
import type { QuestionRecord } from '../store/store.js';

export interface AskRequest {
  /** Which channel asked (`line`, `slack`, `web`, `api`): the question log and the metrics count by it. */
  channel: string;
  /**
   * One conversation: its turns are kept under this key (a LINE chat and user, a Slack thread,
   * a browser tab's conversationId). Without one, the question stands alone and nothing is kept.
   */
  chatKey?: string;
  /** Who asked, with the channel in front (`line:U…`, `slack:T…:U…`, `http:<client>`): the rate limit counts by it, logs see its hash. */
  userKey: string;
  /** The question as the user typed it. */
  text: string;
  /** Cancels the answer when the asker has gone (the reader closed the page). */
  signal?: AbortSignal;
  /** Streams the answer's text as it is made; the outcome still carries the final answer, which replaces it. */
  onDelta?: (text: string) => void;
}

export type AskOutcome =
  | {
      /** `shortened`: answered, but the question was cut to the size limit (the answer says so). */
      kind: 'answered' | 'shortened';
      /** The question as read (control characters and lone surrogates dropped, cut to the size limit). */
      question: string;
      /** Its text starts with the notices: the question was cut, a follow-up was looked up as … */
      answer: Answer;
      /** Set when the question was a follow-up: what was looked up instead. */
      lookedUp?: string;
    }
  | {
      kind: 'rate-limited';
      message: string;
      /** The first question over the limit in this window: a chat says so once, then stays quiet. */
      firstOver: boolean;
    }
  /** `busy`: not asked at all, because more questions waited than the answer workers could answer in time. */
  | { kind: 'empty' | 'refused' | 'failed' | 'busy'; message: string };

export type AnsweredOutcome = Extract<AskOutcome, { kind: 'answered' | 'shortened' }>;
export type UnansweredOutcome = Exclude<AskOutcome, AnsweredOutcome>;
export const isAnswered = (outcome: AskOutcome): outcome is AnsweredOutcome => outcome.kind === 'answered' || outcome.kind === 'shortened';

export interface Conversation {
  ask(request: AskRequest): Promise<AskOutcome>;
  /** The passages behind a question, looked up again (LINE's 根拠を見る once its stored sources expired); [] when none. */
  sources(question: string): Promise<Source[]>;
  /** What the live plan calls itself, for greetings, help texts and labels; waits for the index to load. */
  plan(): Promise<PlanIdentity>;
  /** Registers a channel's own work that shutdown must wait for (the answer sent after a webhook's 200), counted under `kind`. */
  track<T>(work: Promise<T>, kind?: string): Promise<T>;
  /** Questions and tracked work in flight now, across channels. */
  inFlight(): number;
  /** Resolves true once nothing is in flight, or false after `timeoutMs` (no bound when left out). */
  whenIdle(timeoutMs?: number): Promise<boolean>;
}

/** The question to look up for a follow-up. Implemented by src/conversation/follow-up.ts, where the analyzer is. */
export interface FollowUps {
  /** `history` is never empty. Never throws: at worst the question is looked up as it is. */
  resolve(question: string, history: Turn[], signal?: AbortSignal): Promise<{ lookup: string; followUp: boolean }>;
}

export interface ConversationLimits {
  /** Longer questions are cut to this many characters, and the answer says so. Config: MAX_QUESTION_CHARS. */
  maxQuestionChars: number;
  /** Questions one user may ask a minute, on any channel. Config: USER_RATE_LIMIT_PER_MINUTE. */
  questionsPerMinute: number;
  /** Earlier turns a conversation keeps for follow-ups (0: none). Config: HISTORY_TURNS. */
  historyTurns: number;
  /** A conversation is forgotten after this much silence. @default 1800000 (30 min) */
  historyTtlMs?: number;
}

/** Where each question's outcome goes (the store's question log and the metrics, in src/app). Never fails an answer. */
export interface QuestionLog {
  record(entry: QuestionRecord): void;
}
