/**
 * `npm start`: one HTTP server with the JSON API and every channel whose credentials are
 * configured. The server listens at once (so /healthz answers) and turns /readyz to 200
 * when the engine has loaded; a fresh clone builds its index here the first time.
 */
import { createHttpApiRoutes } from './channels/http-api.js';
import type { LineChannel } from './channels/line/index.js';
import { createWebRoutes } from './channels/web/web-routes.js';
import { loadConfig } from './config.js';
import { isBotError } from './errors.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics/metrics.js';
import type { AnswerService } from './qa/types.js';
import { createWorkerAnswerService } from './qa/worker/worker-answer-service.js';
import { createHttpServer, type HttpRoute } from './server.js';
import { openStores } from './store/open-stores.js';
import { createAnswerRecorder } from './store/recording-answer-service.js';

/** How long a shutdown waits for answers in flight before exiting anyway. */
const SHUTDOWN_WAIT_MS = 10_000;

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // The answer worker starts first: its dictionary and index load while this thread sets up.
  // It builds the index first on a fresh clone.
  const service = createWorkerAnswerService({ env: process.env, logger });
  const { store, state, close: closeStores } = await openStores(config, logger);
  let answers: AnswerService | undefined;
  const metrics = config.metricsEnabled ? createMetrics({ indexInfo: () => answers?.info() }) : undefined;
  // Every channel's questions are logged and counted under its name; the channels do not know.
  const recordingAnswers = createAnswerRecorder({ store, metrics, logger, llmConfigured: Boolean(config.llm) });
  // The API and web routes answer 503 until the engine has loaded, then through the recorder.
  const recordedWhenLoaded = (channel: string) => {
    let recorded: AnswerService | undefined;
    return () => answers && (recorded ??= recordingAnswers(answers, channel));
  };

  const routes: HttpRoute[] = [...createHttpApiRoutes({ answers: recordedWhenLoaded('api'), state, logger, token: config.webToken })];
  routes.push(...createWebRoutes({ answers: recordedWhenLoaded('web'), state, logger, token: config.webToken }));
  const channels: string[] = ['api'];
  // Channel routes need the answer service; until it has loaded they answer 503 (LINE and Slack retry).
  // Answers are made in the worker, so that this thread acknowledges webhooks at once however
  // busy answering is. Until it is ready, channels wait for it.
  const lazyAnswers: AnswerService = {
    answer: async (q, c) => (await service.ready, service.answer(q, c)),
    stream: async function* (q, c) {
      await service.ready;
      return yield* service.stream(q, c);
    },
    info: () => service.info(),
  };
  let line: LineChannel | undefined;
  // Channel modules (SDKs and all) are loaded only when their channel is configured.
  if (config.line) {
    const { createLineChannel } = await import('./channels/line/index.js');
    line = createLineChannel({ answers: recordingAnswers(lazyAnswers, 'line'), config: config.line, state, logger, hashUser: store.hashUser, maxQuestionChars: config.maxQuestionChars });
    // Webhook 401s (bad signatures) are counted per path in /metrics.
    routes.push(...(metrics?.countSignatureFailures(line.routes) ?? line.routes));
    channels.push('line');
  }

  const slack = config.slack
    ? await (await import('./channels/slack/index.js')).createSlackChannel({
        answers: recordingAnswers(lazyAnswers, 'slack'),
        config: config.slack,
        state,
        logger,
        maxQuestionChars: config.maxQuestionChars,
        feedback: store,
        hashUser: store.hashUser,
      })
    : undefined;
  if (slack) {
    routes.push(...(metrics?.countSignatureFailures(slack.routes) ?? slack.routes));
    channels.push(config.slack?.appToken ? 'slack (socket mode)' : 'slack');
    // Socket Mode keeps retrying while Slack is unreachable: it must not hold up the other channels.
    slack.start().catch((error: unknown) => logger.error('slack did not start', { error }));
  }

  if (metrics) routes.push(metrics.route);
  const server = createHttpServer({ routes, logger });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info('listening', { port: config.port, host: config.host, channels, llm: Boolean(config.llm) });

  // Registered before the engine loads: a first start may spend a while building the index.
  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    // Exit even if something below hangs (a store that will not close, say).
    setTimeout(() => process.exit(0), SHUTDOWN_WAIT_MS + 5000).unref();
    // Stop taking requests; idle keep-alive connections would otherwise hold close() open.
    server.close();
    server.closeIdleConnections();
    // LINE answers after its 200 and Slack after its ack: wait for those answers, bounded.
    const drained = await Promise.race([
      Promise.all([recordingAnswers.whenIdle(SHUTDOWN_WAIT_MS), line?.whenIdle(), slack?.stop().catch(() => undefined)]).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS, false).unref()),
    ]);
    if (!drained) logger.warn('shutdown: answers still in flight, exiting anyway', { inFlight: recordingAnswers.inFlight() });
    await closeStores().catch((error: unknown) => logger.error('closing the store failed', { error }));
    await service.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await service.ready;
  answers = service;
  logger.info('ready', { ...answers.info() });
  // `npm run index` activates a new build and the worker swaps to it between questions;
  // SIGHUP asks it to look now.
  process.on('SIGHUP', () => service.checkIndex());
}

main().catch((error: unknown) => {
  console.error(isBotError(error) ? `error: ${error.message}` : error);
  process.exit(1);
});
