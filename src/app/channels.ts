/**
 * The HTTP routes of every configured channel, as the server's thread mounts them: the JSON
 * API and the web page always, LINE and Slack when their credentials are set. This thread
 * verifies, acknowledges and hands on; the answer workers do the rest (answer-backend.ts), so
 * neither platform SDK is loaded here. The admin page (with ADMIN_TOKEN) is served here too,
 * over the store.
 */
import type { webhook } from '@line/bot-sdk';
import { createAdminRoutes } from '../channels/admin/admin-routes.js';
import { createAskRoute } from '../channels/api/ask-route.js';
import { createClientAddress } from '../channels/client-address.js';
import type { HttpQuestionOptions } from '../channels/http-question.js';
import { chatIdOf } from '../channels/line/event-handler.js';
import { createWebhookRoute } from '../channels/line/webhook-route.js';
import { createSlackIngressRoute, type SlackDelivery } from '../channels/slack/ingress-route.js';
import { createWebRoutes } from '../channels/web/web-routes.js';
import type { Config } from '../config.js';
import type { Conversation } from '../conversation/types.js';
import type { Logger } from '../logger.js';
import type { BotMetrics } from '../metrics/metrics.js';
import type { HttpRoute } from '../server.js';
import type { ShortLivedState } from '../state/short-lived-state.js';
import type { BotStore } from '../store/store.js';
import type { AnswerPool } from './worker/answer-pool.js';

export interface ChannelDeps {
  config: Config;
  /** The conversation over the answer workers (remote-conversation.ts). */
  conversation: Conversation;
  pool: AnswerPool;
  /** For the HTTP endpoints' per-client request limit. */
  state: ShortLivedState;
  /** The curated answers and the report are for the admin page, which this thread serves. */
  store: Pick<BotStore, 'hashUser' | 'curated' | 'report'>;
  metrics?: BotMetrics;
  logger: Logger;
  /** False while the index loads (the HTTP question endpoints answer 503; LINE and Slack wait in the queue). */
  ready: () => boolean;
}

export interface MountedChannels {
  routes: HttpRoute[];
  /** For the start-up log line. */
  names: string[];
}

/** One chat's events in order, each chat to the worker it hashes to. */
function groupByChat(events: webhook.Event[]): Map<string, webhook.Event[]> {
  const byChat = new Map<string, webhook.Event[]>();
  events.forEach((event, i) => {
    const key = `line:${chatIdOf(event.source) ?? `#${i}`}`;
    byChat.set(key, [...(byChat.get(key) ?? []), event]);
  });
  return byChat;
}

/**
 * A Slack thread's requests go to one worker, one after another (its turns stay in order); other
 * threads of the same channel are answered beside them, not behind them: a busy channel would
 * otherwise answer one mention at a time. A command or a click is keyed by its user.
 */
function slackKey({ body }: SlackDelivery): string {
  const channel = body.event?.channel ?? body.channel_id ?? body.channel?.id ?? body.container?.channel_id ?? '';
  const thread = body.event ? (body.event.thread_ts ?? body.event.ts) : (body.user?.id ?? body.user_id);
  return `slack:${channel}:${thread ?? ''}`;
}

export function mountChannels({ config, conversation, pool, state, store, metrics, logger, ready }: ChannelDeps): MountedChannels {
  const http: HttpQuestionOptions = {
    conversation,
    state,
    logger,
    ready,
    hashUser: store.hashUser,
    token: config.webToken,
    ratePerMinute: config.apiRateLimitPerMinute,
    clientAddress: createClientAddress(config.trustProxy, logger),
  };
  const routes: HttpRoute[] = [createAskRoute(http), ...createWebRoutes(http)];
  const names = ['api', 'web'];
  // Webhook 401s (bad signatures) are counted per path in /metrics.
  const counted = (channelRoutes: HttpRoute[]) => metrics?.countSignatureFailures(channelRoutes) ?? channelRoutes;
  const failed = (what: string) => (error: unknown) => logger.error(`${what} could not be handed to an answer worker`, { error });

  if (config.line) {
    const accept = (events: webhook.Event[]) => {
      for (const [key, chatEvents] of groupByChat(events)) {
        pool.run(key, { kind: 'line', events: chatEvents }, { whenBusy: 'tell' }).catch(failed('LINE events'));
      }
    };
    routes.push(...counted([createWebhookRoute({ channelSecret: config.line.channelSecret, logger, accept })]));
    names.push('line');
  }
  if (config.slack?.appToken) {
    // Socket Mode: the first answer worker holds the connection; nothing arrives over HTTP.
    names.push('slack (socket mode)');
  } else if (config.slack) {
    const forward = (delivery: SlackDelivery) => void pool.run(slackKey(delivery), { kind: 'slack', delivery }, { whenBusy: 'tell' }).catch(failed('A Slack request'));
    const slashCommand = config.slack.slashCommand;
    const forwardForAck = (delivery: SlackDelivery) =>
      new Promise<unknown>((resolve) => {
        const options = { whenBusy: 'tell' as const, urgent: true, onAck: resolve };
        pool.run(slackKey(delivery), { kind: 'slack', delivery }, options).then(() => resolve(undefined), (error: unknown) => (failed('A Slack submission')(error), resolve(undefined)));
      });
    routes.push(...counted([createSlackIngressRoute({ signingSecret: config.slack.signingSecret, slashCommand, logger, plan: () => conversation.plan(), forward, forwardForAck, claimOnce: (key, ttlMs) => state.claimOnce(key, ttlMs) })]));
    names.push('slack');
  }
  if (config.adminToken) {
    // Saved straight to the store: the workers' matchers read it within CURATED_RELOAD_SECONDS.
    routes.push(...createAdminRoutes({ token: config.adminToken, report: (options) => store.report(options), curated: store.curated, logger }));
    names.push('admin');
  }
  return { routes, names };
}
