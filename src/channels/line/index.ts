/**
 * The LINE channel: a thin adapter from Messaging API webhooks to the conversation layer.
 * `createLineRoutes` is what the server mounts; `createLineChannel` also exposes `whenIdle()`
 * so that tests can wait for answers still being sent (shutdown waits on the conversation).
 */
import { messagingApi, type webhook } from '@line/bot-sdk';
import type { LineConfig } from '../../config.js';
import type { Conversation } from '../../conversation/types.js';
import type { Logger } from '../../logger.js';
import type { HttpRoute } from '../../server.js';
import type { ShortLivedState } from '../../state/short-lived-state.js';
import type { UserHasher } from '../../user-hash.js';
import { PROGRESS_SIGN_DELAY_MS } from '../progress-sign.js';
import { createTtlStore } from '../ttl-store.js';
import { createLineErrorHandler } from './error-handler.js';
import { createEventHandler, type EventContext } from './event-handler.js';
import { createQuestionReplies } from './reply-to-question.js';
import { createLineSender, DEFAULT_RETRY, type RetryOptions } from './sender.js';
import { createWebhookRoute, handleBatch } from './webhook-route.js';

export interface LineChannelOptions {
  conversation: Conversation;
  config: LineConfig;
  /** For webhook de-duplication (the conversation keeps its own state). */
  state: ShortLivedState;
  logger: Logger;
  /** Hashes user ids for logs (the conversation layer's hasher): raw LINE ids never reach a log. */
  hashUser: UserHasher;
  /** @default Date.now */
  now?: () => number;
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
  /** POST /line/webhook, handing its events to `handleEvents` in this process. */
  routes: HttpRoute[];
  /**
   * Handles a verified batch (one chat's events in order) and resolves when its answers are
   * sent: what the webhook route calls here, and an answer worker calls for the server's thread.
   */
  handleEvents(events: webhook.Event[], context?: EventContext): Promise<void>;
  /** Resolves once every event received so far has been handled. */
  whenIdle(): Promise<void>;
}

export function createLineChannel(options: LineChannelOptions): LineChannel {
  const { conversation, config, state, logger, hashUser } = options;
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
  const replies = createQuestionReplies({
    conversation,
    logger,
    sender,
    // 根拠を見る is tapped soon after an answer, if at all; past this the postback asks again.
    evidence: createTtlStore({ maxEntries: 5_000, ttlMs: 30 * 60_000, now }),
    progressDelayMs: options.progressDelayMs ?? PROGRESS_SIGN_DELAY_MS,
  });
  const onError = createLineErrorHandler(logger);
  const handleEvent = createEventHandler({ state, logger, sender, conversation, replies, onError, groupPrefix: config.groupPrefix, now, hashUser });
  const handleEvents = (events: webhook.Event[], context?: EventContext) =>
    handleBatch(events, (event) => handleEvent(event, context), (error) => logger.error('LINE event failed', { error })).catch(
      (error: unknown) => void onError(error, { event: 'batch', user: 'unknown' }),
    );
  // The answers are sent after the 200: the conversation's one in-flight count covers them.
  const accept = (events: webhook.Event[]) => void conversation.track(handleEvents(events), 'line webhook');

  return {
    routes: [createWebhookRoute({ channelSecret: config.channelSecret, logger, accept })],
    handleEvents,
    whenIdle: async () => void (await conversation.whenIdle()),
  };
}

export function createLineRoutes(options: LineChannelOptions): HttpRoute[] {
  return createLineChannel(options).routes;
}
