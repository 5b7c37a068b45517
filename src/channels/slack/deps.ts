/** What the Slack listeners share: the conversation layer, state and the small stores around them. */
import type { Conversation } from '../../conversation/types.js';
import type { Logger } from '../../logger.js';
import type { Answer } from '../../qa/types.js';
import type { ShortLivedState } from '../../state/short-lived-state.js';
import type { FeedbackSink } from '../../store/store.js';
import type { UserHasher } from '../../user-hash.js';
import type { TtlStore } from '../ttl-store.js';

export interface SlackDeps {
  conversation: Conversation;
  state: ShortLivedState;
  logger: Logger;
  feedback: FeedbackSink;
  /** Answers by id, for the buttons under them. */
  store: TtlStore<StoredAnswer>;
  /** Hashes user ids for feedback records (the conversation layer's hasher). */
  hashUser: UserHasher;
  /** Wait before the 👀 reaction: a fast answer needs none. */
  progressDelayMs: number;
  /** Set when staff may write curated answers: answers then carry 「回答を登録・修正」. */
  curating: boolean;
}

/** An answer kept for its buttons: 👍/👎 record the question and sources, 「チャンネルに投稿」 posts it. */
export interface StoredAnswer {
  question: string;
  answer: Answer;
}

/** The id a Slack user is known by (rate limit, hashes): Slack user ids are unique within a workspace. */
export const slackUserKey = (teamId: string | undefined, userId: string | undefined) => `slack:${teamId ?? ''}:${userId ?? ''}`;
