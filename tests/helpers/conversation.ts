/** A conversation layer for channel tests: over any answer service, with a follow-up step that records what it was asked. */
import { createConversation } from '../../src/conversation/conversation.js';
import type { ConversationLimits, FollowUps, QuestionLog } from '../../src/conversation/types.js';
import type { SupportContact } from '../../src/corpus/contacts.js';
import type { PlanIdentity } from '../../src/corpus/plan-identity.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { AnswerService, IndexInfo, Source, Turn } from '../../src/qa/types.js';
import type { CuratedMatcher } from '../../src/store/curated.js';
import { createMemoryState, type ShortLivedState } from '../../src/state/short-lived-state.js';
import { createUserHasher } from '../../src/user-hash.js';

/** The salt the channel tests hash with, so that a test can compute the hash it expects. */
export const testHasher = createUserHasher('test-user-hash-salt');

/** The plan as corpus/plans.json names it today. */
export const TEST_PLAN: PlanIdentity = {
  title: '山口県県民活動促進基本計画',
  revision: '第3次改定',
  period: '平成30〜34年度',
  english: { title: 'Yamaguchi Prefecture civic-activity plan', revision: '3rd revision' },
};
export const TEST_INFO: IndexInfo = { planVersion: 'test', build: 'test', chunkCount: 0, embedder: 'none', plan: TEST_PLAN };

export interface TestConversationOptions {
  limits?: Partial<ConversationLimits>;
  state?: ShortLivedState;
  logger?: Logger;
  log?: QuestionLog;
  /** @default a step that looks every question up as it is, and records the history it saw */
  followUps?: FollowUps;
  /** The support center's contact that refusals add (corpus/contacts.json). @default none */
  contact?: SupportContact;
  /** Curated answers asked before the answer service. @default none */
  curated?: CuratedMatcher;
  passage?: (id: string) => Promise<Source | undefined>;
}

export function testConversation(answers: AnswerService, options: TestConversationOptions = {}) {
  const followUpCalls: Array<{ question: string; history: Turn[] }> = [];
  const followUps: FollowUps = options.followUps ?? {
    async resolve(question, history) {
      followUpCalls.push({ question, history });
      return { lookup: question, followUp: false };
    },
  };
  const conversation = createConversation({
    answers,
    followUps,
    state: options.state ?? createMemoryState(),
    limits: { maxQuestionChars: 500, questionsPerMinute: 10, historyTurns: 4, ...options.limits },
    log: options.log,
    logger: options.logger ?? silentLogger,
    hashUser: testHasher,
    contact: options.contact,
    curated: options.curated,
    passage: options.passage,
  });
  return { conversation, followUpCalls };
}
