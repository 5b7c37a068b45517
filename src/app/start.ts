/**
 * `npm start`, composed: config → stores → the answer worker → the conversation → channels →
 * one HTTP server. The server listens at once (so /healthz answers); until the worker has
 * loaded the index, /readyz and the HTTP question endpoints answer 503 and LINE and Slack wait.
 * A fresh clone builds its index in the worker the first time.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { createConversation } from '../conversation/conversation.js';
import { createInFlight } from '../conversation/in-flight.js';
import { readSupportContact } from '../corpus/contacts.js';
import { createLogger } from '../logger.js';
import { createMetrics } from '../metrics/metrics.js';
import { createPassageLookup } from '../qa/passage-lookup.js';
import { createHttpServer } from '../server.js';
import { mountChannels } from './channels.js';
import { seedCuratedAnswers } from './curated-seed.js';
import { createHealthRoutes } from './health-routes.js';
import { createLiveCuratedMatcher } from './live-curated.js';
import { loadTextStack } from './text-stack.js';
import { openStores } from './open-stores.js';
import { createQuestionRecorder } from './question-recorder.js';
import { createGracefulShutdown } from './shutdown.js';
import { createWorkerAnswerService } from './worker/worker-answer-service.js';

/**
 * One plain line on stdout with the address to open: the log lines are JSON on stderr, for
 * machines. 0.0.0.0 and :: listen everywhere, and a browser opens them as localhost.
 */
function printPageUrl(address: string | AddressInfo | null, host: string): void {
  if (!address || typeof address === 'string') return;
  const shown = ['0.0.0.0', '::', ''].includes(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  console.log(`Web page: http://${shown}:${address.port}/  (GET /readyz says when the index is loaded; Ctrl-C stops)`);
}

export async function startServer(config: Config = loadConfig()): Promise<void> {
  const logger = createLogger(config.logLevel);
  // The answer worker starts first: its dictionary and index load while this thread sets up.
  const engine = createWorkerAnswerService({ config, logger });
  const { store, state, close: closeStores, redisDegraded } = await openStores(config, logger);
  await seedCuratedAnswers(store, path.join(config.corpusDir, 'curated-answers.json'), logger);
  const curated = createLiveCuratedMatcher({
    curated: store.curated,
    loadAnalyzer: async () => (await loadTextStack(config)).analyzer,
    reloadMs: config.curatedReloadMs,
    logger,
  });
  const metrics = config.metricsEnabled ? createMetrics({ indexInfo: () => (engine.isReady() ? engine.info() : undefined) }) : undefined;
  // One count of work in flight for the whole process: requests, questions, acknowledged events.
  const inFlight = createInFlight();
  const conversation = createConversation({
    inFlight,
    answers: engine,
    followUps: engine.followUps,
    state,
    limits: { maxQuestionChars: config.maxQuestionChars, questionsPerMinute: config.userRateLimitPerMinute, historyTurns: config.historyTurns },
    // Every channel's questions are logged and counted under its name; the channels do not know.
    log: createQuestionRecorder({ store, metrics, logger, llmConfigured: Boolean(config.llm) }),
    logger,
    hashUser: store.hashUser,
    ready: engine.ready,
    contact: await readSupportContact(config.corpusDir),
    curated,
    passage: createPassageLookup(config.indexDir),
  });
  const channels = await mountChannels({ config, conversation, state, store, metrics, logger, ready: engine.isReady, curated });
  const routes = [...createHealthRoutes(engine, { redisDegraded }), ...channels.routes, ...(metrics ? [metrics.route] : [])];
  const server = createHttpServer({ routes, logger, limits: config.http });
  // A request counts from its first byte to its response's end: a webhook still being read when
  // the stop comes is acknowledged (and then answered) like any other.
  server.on('request', (_req, res) => void inFlight.track(new Promise((resolve) => res.once('close', resolve)), 'request'));
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info('listening', { port: config.port, host: config.host, channels: channels.names, llm: Boolean(config.llm) });
  printPageUrl(server.address(), config.host);

  // Registered before the engine loads: a first start may spend a while building the index.
  const shutdown = createGracefulShutdown({
    server,
    inFlight,
    logger,
    graceMs: config.shutdownGraceMs,
    stopReceiving: async () => void (await channels.slack?.stop()),
    async close() {
      curated.close();
      await closeStores().catch((error: unknown) => logger.error('closing the store failed', { error }));
      await engine.close();
    },
  });
  process.on('SIGTERM', () => shutdown.onSignal('SIGTERM'));
  process.on('SIGINT', () => shutdown.onSignal('SIGINT'));

  await engine.ready;
  logger.info('ready', { ...engine.info() });
  // `npm run index` activates a new build and the worker swaps to it between questions;
  // SIGHUP asks it to look now.
  process.on('SIGHUP', () => engine.checkIndex());
}
