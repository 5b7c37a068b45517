/**
 * The Slack channel: a bolt App over the conversation layer. In HTTP mode its events, slash commands
 * and button clicks all arrive at `POST /slack/events`, where the ingress (ingress-route.ts)
 * verifies and acknowledges them and hands them to `deliver` (forwarded-receiver.ts): in this
 * process through `routes`, or from the server's thread to an answer worker (src/app). With
 * `config.appToken` it uses Socket Mode instead and contributes no route.
 */
import { App, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { SlackConfig } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Conversation } from '../../conversation/types.js';
import type { HttpRoute } from '../../server.js';
import type { ShortLivedState } from '../../state/short-lived-state.js';
import type { CuratedAnswers, CuratedMatcher } from '../../store/curated.js';
import { registerActions } from './actions.js';
import { registerCuration } from './curation.js';
import { createCuratorCheck } from './curators.js';
import { toBoltLogger } from './bolt-logger.js';
import type { SlackDeps } from './deps.js';
import { PROGRESS_SIGN_DELAY_MS } from '../progress-sign.js';
import { createTtlStore } from '../ttl-store.js';
import { createLogFeedbackSink } from './feedback.js';
import type { FeedbackSink } from '../../store/store.js';
import type { UserHasher } from '../../user-hash.js';
import { ForwardedReceiver } from './forwarded-receiver.js';
import { createSlackIngressRoute, type SlackDelivery } from './ingress-route.js';
import { registerQuestionHandlers } from './questions.js';
import { slackErrorCode, toChannelApiError } from './web-api-errors.js';

export type { FeedbackRecord, FeedbackSink } from '../../store/store.js';

/** A retried event must be forgotten no sooner than Slack stops retrying (about an hour). */
const EVENT_DEDUPE_MS = 2 * 60 * 60_000;

export interface SlackChannelOptions {
  conversation: Conversation;
  config: SlackConfig;
  /** For event de-duplication and vote de-duplication (the conversation keeps its own state). */
  state: ShortLivedState;
  logger: Logger;
  /** Where 👍/👎 clicks go. @default a sink that logs them */
  feedback?: FeedbackSink;
  /** Hashes user ids (the store's hasher): raw ids never reach a log or a record. */
  hashUser: UserHasher;
  /** The 👀 reaction is added only when an answer takes longer than this. @default 1000 */
  progressDelayMs?: number;
  /**
   * Curated answers and their matcher: answers then carry 「回答を登録・修正」, which only
   * `config.curators` may use when set. @default no curating from Slack
   */
  curated?: { answers: CuratedAnswers; matcher: CuratedMatcher; saved?: () => void | Promise<void> };
}

export interface SlackChannel {
  /** `POST /slack/events` in HTTP mode, handing requests to `deliver`; empty in Socket Mode. */
  routes: HttpRoute[];
  /** Runs the app on a request the ingress verified and acknowledged (HTTP mode); resolves when its listeners are done. */
  deliver(delivery: SlackDelivery): Promise<void>;
  /** Connects in Socket Mode; nothing to do in HTTP mode (our server listens). */
  start(): Promise<void>;
  /** Disconnects, then waits for answers still being made. */
  stop(): Promise<void>;
  /** Resolves once nothing is in flight (for tests; shutdown waits on the conversation). */
  idle(): Promise<void>;
}

export async function createSlackChannel(options: SlackChannelOptions): Promise<SlackChannel> {
  const { config, logger, state } = options;
  const boltLogger = toBoltLogger(logger);
  const clientOptions = {
    slackApiUrl: config.apiURL,
    // A person is waiting: a couple of quick retries, not bolt's default of ten over 30 minutes.
    retryConfig: { retries: 2, factor: 2, minTimeout: 500 },
    timeout: 10_000,
  };
  const forwarded = config.appToken ? undefined : new ForwardedReceiver();
  // Socket Mode (no public URL needed) opens its connection with apps.connections.open, which
  // must go to the same API URL as everything else.
  const receiver: Receiver =
    forwarded ?? new SocketModeReceiver({ appToken: config.appToken!, logger: boltLogger, installerOptions: { clientOptions } });
  const app = new App({
    token: config.botToken,
    receiver,
    logger: boltLogger,
    // Conversation memory lives in ShortLivedState, which several replicas can share.
    convoStore: false,
    // auth.test runs in init() below, so a bad token fails start-up instead of the first event.
    deferInitialization: true,
    clientOptions,
  });

  // Listeners go on after their ack: the conversation's one in-flight count covers them, for shutdown.
  app.use(async ({ next }) => void (await options.conversation.track(next(), 'slack event')));
  // Slack retries an event it thinks we missed (X-Slack-Retry-Num). Whether the first delivery
  // arrived (here or on another replica) is what the event_id claim knows: a retry of an event
  // never seen is answered, one of an event already taken is not.
  app.use(async ({ context, body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !(await state.claimOnce(`slack:event:${eventId}`, EVENT_DEDUPE_MS))) {
      logger.info('slack duplicate event ignored', { eventId, retryNum: context.retryNum, retryReason: context.retryReason });
      return;
    }
    if (context.retryNum !== undefined) logger.info('slack retry of an event not seen before: answering it', { eventId, retryNum: context.retryNum, retryReason: context.retryReason });
    await next();
  });
  // One place for what a listener did not handle: logged once with Slack's error code.
  app.error(async (error) => {
    logger.error('slack listener failed', { slackError: slackErrorCode(error), error });
  });

  const deps: SlackDeps = {
    conversation: options.conversation,
    state,
    logger,
    feedback: options.feedback ?? createLogFeedbackSink(logger),
    // A button may be clicked hours later; a day's answers of a support center fit easily.
    store: createTtlStore({ maxEntries: 2_000, ttlMs: 24 * 60 * 60_000 }),
    hashUser: options.hashUser,
    progressDelayMs: options.progressDelayMs ?? PROGRESS_SIGN_DELAY_MS,
    curating: Boolean(options.curated),
  };
  registerQuestionHandlers(app, deps, config.slashCommand);
  registerActions(app, deps);
  if (options.curated) {
    const isCurator = createCuratorCheck({ curators: config.curators ?? [], logger });
    registerCuration(app, { ...options.curated, isCurator }, logger);
  }

  try {
    await app.init();
  } catch (error) {
    const wrapped = toChannelApiError('auth.test', error);
    wrapped.message += ': check SLACK_BOT_TOKEN and SLACK_API_URL';
    throw wrapped;
  }

  const idle = async () => void (await options.conversation.whenIdle());
  const deliver = async (delivery: SlackDelivery) => {
    if (!forwarded) throw new Error('Slack in Socket Mode takes no forwarded requests');
    try {
      await forwarded.deliver(delivery);
    } catch (error) {
      // The ack is long gone: what failed can only be logged.
      logger.error('slack request failed after its ack', { slackError: slackErrorCode(error), error });
    }
  };
  const plan = () => options.conversation.plan();
  return {
    routes: forwarded
      ? [createSlackIngressRoute({ signingSecret: config.signingSecret, slashCommand: config.slashCommand, logger, plan, forward: (d) => void options.conversation.track(deliver(d), 'slack event'), claimOnce: (key, ttlMs) => state.claimOnce(key, ttlMs) })]
      : [],
    deliver,
    start: async () => {
      await app.start();
    },
    stop: async () => {
      await app.stop();
      await idle();
    },
    idle,
  };
}
