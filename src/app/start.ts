/**
 * `npm start`, composed: config → stores → the answer workers → channels' ingress → one HTTP
 * server. This thread only verifies, acknowledges and hands on (answer-pool.ts); the workers
 * answer and make every LINE, Slack and store call (answer-backend.ts). The server listens at
 * once (so /healthz answers); until the workers have loaded the index, /readyz and the HTTP
 * question endpoints answer 503 and LINE and Slack events wait in the queue. A fresh clone
 * builds its index in a worker the first time.
 */
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../config.js';
import { createLogger } from '../logger.js';
import { openStores } from './open-stores.js';
import { createAnswerPool } from './worker/answer-pool.js';

/** How long a shutdown waits for answers in flight before exiting anyway. */
const SHUTDOWN_WAIT_MS = 10_000;

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
  const { store, state, close: closeStores } = await openStores(config, logger);
  const pool = createAnswerPool({ config, logger });
  // The rest of this thread loads while the workers load the dictionary: start-up is the workers'.
  const [{ createMetrics }, { createHttpServer }, { mountChannels }, { createHealthRoutes }, { createRemoteConversation }] = await Promise.all([
    import('../metrics/metrics.js'),
    import('../server.js'),
    import('./channels.js'),
    import('./health-routes.js'),
    import('./remote-conversation.js'),
  ]);
  const engine = { isReady: pool.isReady, info: pool.info };
  const metrics = config.metricsEnabled
    ? createMetrics({ indexInfo: () => (pool.isReady() ? pool.info() : undefined), workerMetrics: () => pool.metrics() })
    : undefined;
  const conversation = createRemoteConversation(pool);
  const channels = mountChannels({ config, conversation, pool, state, store, metrics, logger, ready: pool.isReady });
  const routes = [...createHealthRoutes(engine), ...channels.routes, ...(metrics ? [metrics.route] : [])];
  const server = createHttpServer({ routes, logger });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info('listening', { port: config.port, host: config.host, channels: channels.names, llm: Boolean(config.llm), answerWorkers: pool.size });
  printPageUrl(server.address(), config.host);

  // Registered before the engine loads: a first start may spend a while building the index.
  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    // Exit even if something below hangs (a store that will not close, say).
    setTimeout(() => process.exit(0), SHUTDOWN_WAIT_MS + 5000).unref();
    // Stop taking requests; idle keep-alive connections would otherwise hold close() open.
    server.close();
    server.closeIdleConnections();
    // LINE answers after its 200 and Slack after its ack: wait for those answers, bounded.
    if (!(await pool.whenIdle(SHUTDOWN_WAIT_MS))) {
      logger.warn('shutdown: answers still in flight, exiting anyway', { inFlight: pool.inFlight() });
    }
    // The workers close their Slack connection and stores, then stop.
    await pool.close(5000);
    await closeStores().catch((error: unknown) => logger.error('closing the store failed', { error }));
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));

  await pool.ready;
  logger.info('ready', { ...pool.info() });
  // `npm run index` activates a new build and the worker swaps to it between questions;
  // SIGHUP asks it to look now.
  process.on('SIGHUP', () => pool.checkIndex());
}
