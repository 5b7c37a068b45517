/**
 * The HTTP routes of every configured channel over one conversation: the JSON API and the
 * web page always, LINE and Slack when their credentials are set (their SDKs load only then),
 * the admin page when ADMIN_TOKEN is set. Staff's saves (Slack modal, admin page) reload this
 * replica's curated matcher at once; other replicas read the store on their own timer.
 */
import { createAskRoute } from '../channels/api/ask-route.js';
import { createClientAddress } from '../channels/client-address.js';
import type { HttpQuestionOptions } from '../channels/http-question.js';
import type { SlackChannel } from '../channels/slack/index.js';
import { createWebRoutes } from '../channels/web/web-routes.js';
import type { Config } from '../config.js';
import type { Conversation } from '../conversation/types.js';
import type { Logger } from '../logger.js';
import type { BotMetrics } from '../metrics/metrics.js';
import type { HttpRoute } from '../server.js';
import type { ShortLivedState } from '../state/short-lived-state.js';
import type { BotStore } from '../store/store.js';
import type { LiveCuratedMatcher } from './live-curated.js';

export interface ChannelDeps {
  config: Config;
  conversation: Conversation;
  state: ShortLivedState;
  store: BotStore;
  metrics?: BotMetrics;
  logger: Logger;
  /** False while the index loads (the HTTP question endpoints answer 503; LINE and Slack wait). */
  ready: () => boolean;
  /** The curated answers as this replica matches them (the conversation's matcher). */
  curated: Pick<LiveCuratedMatcher, 'match' | 'reload'>;
}

export interface MountedChannels {
  routes: HttpRoute[];
  /** For the start-up log line. */
  names: string[];
  slack?: SlackChannel;
}

export async function mountChannels({ config, conversation, state, store, metrics, logger, ready, curated }: ChannelDeps): Promise<MountedChannels> {
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

  if (config.line) {
    const { createLineChannel } = await import('../channels/line/index.js');
    routes.push(...counted(createLineChannel({ conversation, config: config.line, state, logger, hashUser: store.hashUser }).routes));
    names.push('line');
  }
  let slack: SlackChannel | undefined;
  if (config.slack) {
    const { createSlackChannel } = await import('../channels/slack/index.js');
    slack = await createSlackChannel({
      conversation,
      config: config.slack,
      state,
      logger,
      feedback: store,
      hashUser: store.hashUser,
      curated: { answers: store.curated, matcher: curated, saved: () => curated.reload() },
    });
    routes.push(...counted(slack.routes));
    names.push(config.slack.appToken ? 'slack (socket mode)' : 'slack');
    // Socket Mode keeps retrying while Slack is unreachable: it must not hold up the other channels.
    slack.start().catch((error: unknown) => logger.error('slack did not start', { error }));
  }
  if (config.adminToken) {
    const { createAdminRoutes } = await import('../channels/admin/admin-routes.js');
    routes.push(
      ...createAdminRoutes({ token: config.adminToken, report: (options) => store.report(options), curated: store.curated, saved: () => curated.reload(), logger }),
    );
    names.push('admin');
  }
  return { routes, names, slack };
}
