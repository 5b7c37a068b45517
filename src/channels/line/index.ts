/**
 * The LINE channel: a thin adapter from Messaging API webhooks to the answer service.
 * `createLineRoutes` is what the server mounts; `createLineChannel` also exposes `whenIdle()`
 * so that tests and a graceful shutdown can wait for answers still being sent.
 */
import { messagingApi } from '@line/bot-sdk';
import type { LineConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { AnswerService } from '../../qa/types.js';
import type { HttpRoute } from '../../server.js';
import type { ShortLivedState } from '../../state/short-lived-state.js';
import type { UserHasher } from '../../user-hash.js';
import { createLineErrorHandler } from './error-handler.js';
import { createEventHandler } from './event-handler.js';
import { createQuestionFlow, type MemoryOptions, type RateLimitOptions } from './question-flow.js';
import { createLineSender, DEFAULT_RETRY, type RetryOptions } from './sender.js';
import { createWebhookRoute } from './webhook-route.js';
import { PROGRESS_SIGN_DELAY_MS } from '../progress-sign.js';
import { createTtlStore } from '../ttl-store.js';

export interface LineChannelOptions {
  answers: AnswerService;
  config: LineConfig;
  state: ShortLivedState;
  logger: Logger;
  /** Hashes user ids (the store's hasher): raw LINE ids never reach a log or a record. */
  hashUser: UserHasher;
  /** Longer questions are cut to this many characters (and the reply says so). */
  maxQuestionChars: number;
  /** @default Date.now */
  now?: () => number;
  /** @default { max: 10, windowMs: 60000 } */
  rateLimit?: Partial<RateLimitOptions>;
  /** @default { maxTurns: 4, ttlMs: 1800000 } */
  memory?: Partial<MemoryOptions>;
  /** Retries of LINE API calls on 429 and 5xx. @default { retries: 2, baseDelayMs: 500, maxDelayMs: 5000 } */
  retry?: Partial<RetryOptions>;
  /**
   * Past this age of the event, push instead of reply: LINE does not guarantee a reply token
   * for more than about a minute. @default 50000
   */
  replyDeadlineMs?: number;
  /** How to wait between retries; tests pass one that records the delays. */
  sleep?: (ms: number) => Promise<void>;
  /** The loading animation is shown only when an answer takes longer than this. @default 1000 */
  progressDelayMs?: number;
}

export interface LineChannel {
  routes: HttpRoute[];
  /** Resolves once every event received so far has been handled. */
  whenIdle(): Promise<void>;
}

export function createLineChannel(options: LineChannelOptions): LineChannel {
  const { answers, config, state, logger, maxQuestionChars } = options;
  const now = options.now ?? Date.now;
  const client = new messagingApi.MessagingApiClient({ channelAccessToken: config.channelAccessToken, baseURL: config.apiBaseURL });
  const sender = createLineSender({
    client,
    logger,
    now,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    replyDeadlineMs: options.replyDeadlineMs ?? 50_000,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  });
  const flow = createQuestionFlow({
    answers,
    state,
    logger,
    sender,
    // 根拠を見る is tapped soon after an answer, if at all; past this the postback asks again.
    evidence: createTtlStore({ maxEntries: 5_000, ttlMs: 30 * 60_000, now }),
    maxQuestionChars,
    rateLimit: { max: 10, windowMs: 60_000, ...options.rateLimit },
    memory: { maxTurns: 4, ttlMs: 30 * 60_000, ...options.memory },
    now,
    progressDelayMs: options.progressDelayMs ?? PROGRESS_SIGN_DELAY_MS,
  });
  const onError = createLineErrorHandler(logger);
  const handleEvent = createEventHandler({ state, logger, sender, flow, onError, groupPrefix: config.groupPrefix, now, hashUser: options.hashUser });

  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    const settled = work.catch((error: unknown) => void onError(error, { event: 'batch', user: 'unknown' }));
    pending.add(settled);
    void settled.finally(() => pending.delete(settled));
  };

  return {
    routes: [createWebhookRoute({ channelSecret: config.channelSecret, logger, handleEvent, track })],
    async whenIdle() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

export function createLineRoutes(options: LineChannelOptions): HttpRoute[] {
  return createLineChannel(options).routes;
}
