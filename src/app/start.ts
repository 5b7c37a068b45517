/**
 * `npm start`, composed: config → stores → the answer workers → channels' ingress → one HTTP
 * server. This thread only verifies, acknowledges and hands on (answer-pool.ts); the workers
 * answer and make every LINE, Slack and store call (answer-backend.ts). The server listens at
 * once (so /healthz answers); until the workers have loaded the index, /readyz and the HTTP
 * question endpoints answer 503 and LINE and Slack events wait in the queue. A fresh clone
 * builds its index in a worker the first time.
 */
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { createInFlight } from '../conversation/in-flight.js';
import { createLogger } from '../logger.js';
import { openStores } from './open-stores.js';
import { yieldToServerThread } from './thread-priority.js';
import { createAnswerPool } from './worker/answer-pool.js';

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
  // The store first: it makes the user-hash salt on a first start, before the workers open it too.
  const { store, state, close: closeStores, redisDegraded } = await openStores(config, logger);
  // One count of work in flight for the whole process: requests, and every job handed to a worker.
  const inFlight = createInFlight();
  const pool = createAnswerPool({ config, logger, inFlight });
  // The rest of this thread loads while the workers load the dictionary: start-up is the workers'.
  const [{ createMetrics }, { createHttpServer }, { mountChannels }, { createHealthRoutes }, { createRemoteConversation }, { createGracefulShutdown }, { seedCuratedAnswers }] =
    await Promise.all([
      import('../metrics/metrics.js'),
      import('../server.js'),
      import('./channels.js'),
      import('./health-routes.js'),
      import('./remote-conversation.js'),
      import('./shutdown.js'),
      import('./curated-seed.js'),
    ]);
  // The workers match curated answers from the store; a fresh one gets the maintainers' file.
  await seedCuratedAnswers(store, path.join(config.corpusDir, 'curated-answers.json'), logger);
  const engine = { isReady: pool.isReady, info: pool.info };
  const metrics = config.metricsEnabled
    ? createMetrics({ indexInfo: () => (pool.isReady() ? pool.info() : undefined), workerMetrics: () => pool.metrics() })
    : undefined;
  const conversation = createRemoteConversation(pool);
  const channels = mountChannels({ config, conversation, pool, state, store, metrics, logger, ready: pool.isReady });
  const routes = [...createHealthRoutes(engine, { redisDegraded }), ...channels.routes, ...(metrics ? [metrics.route] : [])];
  const server = createHttpServer({ routes, logger, limits: config.http });
  // A request counts from its first byte to its response's end: a webhook still being read when
  // the stop comes is acknowledged (and then answered) like any other.
  server.on('request', (_req, res) => void inFlight.track(new Promise((resolve) => res.once('close', resolve)), 'request'));
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info('listening', { port: config.port, host: config.host, channels: channels.names, llm: Boolean(config.llm), answerWorkers: pool.size });
  printPageUrl(server.address(), config.host);

  // Registered before the workers load: a first start may spend a while building the index.
  const shutdown = createGracefulShutdown({
    server,
    inFlight,
    logger,
    graceMs: config.shutdownGraceMs,
    async close() {
      // The workers close their Slack connection, curated matcher and stores, then stop.
      await pool.close(4000);
      await closeStores().catch((error: unknown) => logger.error('closing the store failed', { error }));
    },
  });
  process.on('SIGTERM', () => shutdown.onSignal('SIGTERM'));
  process.on('SIGINT', () => shutdown.onSignal('SIGINT'));

  await pool.ready;
  // The workers and V8's threads exist now: acknowledgements first when the CPU is short.
  yieldToServerThread(config.answerWorkerNice, logger);
  logger.info('ready', { ...pool.info() });
  // `npm run index` activates a new build and the workers swap to it between questions;
  // SIGHUP asks them to look now.
  process.on('SIGHUP', () => pool.checkIndex());
}
