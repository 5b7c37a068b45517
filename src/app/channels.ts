/**
 * The HTTP routes of every configured channel, as the server's thread mounts them: the JSON
 * API and the web page always, LINE and Slack when their credentials are set. This thread
 * verifies, acknowledges and hands on; the answer workers do the rest (answer-backend.ts), so
 * neither platform SDK is loaded here.
 */
import type { webhook } from '@line/bot-sdk';
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
  store: Pick<BotStore, 'hashUser'>;
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

/** A Slack channel's requests go to one worker (its threads' turns stay in order). */
function slackKey({ body }: SlackDelivery): string {
  const channel = body.event?.channel ?? body.channel_id ?? body.channel?.id ?? body.container?.channel_id ?? body.user?.id ?? body.user_id;
  return `slack:${channel ?? ''}`;
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
    clientAddress: createClientAddress(config.trustProxy),
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
    routes.push(...counted([createSlackIngressRoute({ signingSecret: config.slack.signingSecret, slashCommand, logger, plan: () => conversation.plan(), forward, claimOnce: (key, ttlMs) => state.claimOnce(key, ttlMs) })]));
    names.push('slack');
  }
  return { routes, names };
}
