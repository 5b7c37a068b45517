/**
 * Test harness: the real LINE webhook route on a real HTTP server, the real MessagingApiClient
 * pointed at the fake LINE API, and signed webhook requests sent with fetch.
 */
import type { SupportContact } from '../../../src/corpus/contacts.js';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createLineChannel, type LineChannelOptions } from '../../../src/channels/line/index.js';
import type { ConversationLimits, FollowUps } from '../../../src/conversation/types.js';
import { createLogger } from '../../../src/logger.js';
import { createFixedAnswerService } from '../../../src/qa/fixed-answer-service.js';
import type { Answer, AnswerContext, AnswerService, IndexInfo } from '../../../src/qa/types.js';
import { createHttpServer } from '../../../src/server.js';
import { createMemoryState, type ShortLivedState } from '../../../src/state/short-lived-state.js';
import { startFakeLineApi } from '../../fakes/fake-line-api.js';
import { testConversation, testHasher, TEST_INFO } from '../../helpers/conversation.js';

export const SECRET = 'test-channel-secret';

export const sign = (body: string | Buffer, secret = SECRET) => createHmac('sha256', secret).update(body).digest('base64');

export function answerFor(question: string): Answer {
  if (question.includes('天気')) {
    return { answer: '計画の中に、その質問に答える箇所は見つかりませんでした。', abstained: true, mode: 'extractive', language: 'ja', sources: [] };
  }
  return {
    answer: '**休眠預金**とは、10年以上取引のない預金のことです。\n- 民間公益活動に活用されます。',
    abstained: false,
    mode: 'extractive',
    language: 'ja',
    standaloneQuestion: question,
    sources: [
      {
        rank: 1,
        score: 0.9,
        section: '本文 > 第５章 施策の展開方向 > 2 施策の展開 > (5) 休眠預金の活用等による民間公益活動の促進',
        text: '休眠預金等活用法に基づき、休眠預金を民間公益活動の促進に活用する。',
        chunkId: 'c1',
      },
      { rank: 2, score: 0.5, section: '本文 > 第５章 施策の展開方向 > (4) 自立的活動に向けた財政基盤の強化', text: '財政基盤の強化を図る。', chunkId: 'c2' },
    ],
  };
}

let eventSeq = 0;

/** A webhook event with sensible defaults; `source` decides one-to-one, group or room. */
export function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  eventSeq += 1;
  return {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: `01EVENT${eventSeq}`,
    deliveryContext: { isRedelivery: false },
    replyToken: `reply-token-${eventSeq}`,
    source: { type: 'user', userId: 'U-alice' },
    message: { type: 'text', id: `m${eventSeq}`, text: '休眠預金とは何ですか？', quoteToken: 'q' },
    ...overrides,
  };
}

export const textEvent = (text: string, overrides: Record<string, unknown> = {}) =>
  event({ message: { type: 'text', id: `m-${eventSeq}`, text, quoteToken: 'q' }, ...overrides });

export type HarnessOptions = Partial<Omit<LineChannelOptions, 'conversation' | 'config' | 'state' | 'logger' | 'hashUser'>> & {
  respond?: (question: string, context?: AnswerContext) => Answer | Promise<Answer>;
  /** An answer service of its own instead of `respond` (the real one, say). */
  answers?: AnswerService;
  /** The conversation layer's limits. @default 500 characters, 10 questions a minute, 4 turns */
  limits?: Partial<ConversationLimits>;
  /** @default one that looks every question up as it is (and records what it saw) */
  followUps?: FollowUps;
  /** What the answer service says of its index (the plan's name, say). */
  info?: IndexInfo;
  /** The support center's contact that refusals add. */
  contact?: SupportContact;
  /** The short-lived state under the channel and the conversation. @default a fresh memory state */
  state?: ShortLivedState;
};

export async function startHarness(options: HarnessOptions = {}) {
  const api = await startFakeLineApi();
  const asked: { question: string; context?: AnswerContext }[] = [];
  const logLines: string[] = [];
  const logger = createLogger('debug', (line) => logLines.push(line));
  const { respond = answerFor, answers, limits, followUps, info = TEST_INFO, contact, state = createMemoryState(), ...rest } = options;
  const fixed = createFixedAnswerService((question, context) => {
    asked.push({ question, context });
    return respond(question, context);
  }, info);
  const { conversation, followUpCalls } = testConversation(answers ?? fixed, { limits, followUps, state, logger, contact });
  const channel = createLineChannel({
    conversation,
    config: { channelSecret: SECRET, channelAccessToken: 'test-token', apiBaseURL: api.baseURL, groupPrefix: '?' },
    state,
    logger,
    hashUser: testHasher,
    retry: { baseDelayMs: 1, maxDelayMs: 20 },
    // The loading animation at once, so that the tests see it; the bot waits a second.
    progressDelayMs: 0,
    ...rest,
  });
  const server = createHttpServer({ routes: channel.routes, logger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/line/webhook`;

  /** Posts a raw body, signed correctly unless a signature (or null for none) is given. */
  const post = (body: string, signature: string | null = sign(body)) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-line-signature': signature }) }, body });

  /** Posts a batch, waits for the 200 and for the background work. */
  const deliver = async (...events: Record<string, unknown>[]) => {
    const res = await post(JSON.stringify({ destination: 'Ubot', events }));
    await channel.whenIdle();
    return res;
  };

  return {
    api,
    asked,
    /** What the follow-up step was asked, with the history it saw. */
    followUpCalls,
    logLines,
    /** The webhook's URL. */
    url,
    post,
    deliver,
    whenIdle: channel.whenIdle,
    replies: () => api.ok('/v2/bot/message/reply'),
    pushes: () => api.ok('/v2/bot/message/push'),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await api.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
