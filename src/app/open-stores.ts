/**
 * What the bot remembers, chosen by configuration: the store (feedback, the question log,
 * curated answers and the salt of the one user hasher) in PostgreSQL with DATABASE_URL, else
 * in the SQLite file at DATA_DB_PATH, and short-lived state in Redis when
 * REDIS_URL is set, else in memory.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { createMemoryState, type ShortLivedState } from '../state/short-lived-state.js';
import { openStore } from '../store/open-store.js';
import type { BotStore } from '../store/store.js';

export interface Stores {
  store: BotStore;
  state: ShortLivedState;
  /** Closes Redis and the database; safe to call once at shutdown. */
  close(): Promise<void>;
  /** With REDIS_URL set: true while short-lived state is served from memory (Redis away or hung), for /readyz. */
  redisDegraded?: () => boolean;
}

/** How long start-up waits for Redis before serving from the in-memory fallback. */
const REDIS_STARTUP_WAIT_MS = 5000;

export async function openStores(config: Config, logger: Logger): Promise<Stores> {
  const store = await openStore(config, logger);
  if (!config.redisUrl) {
    return { store, state: createMemoryState(), close: () => store.close() };
  }
  // Loaded only when configured: the Redis client is a large import for a bot that runs alone.
  const { createRedisState } = await import('../state/redis-state.js');
  const redis = createRedisState({ url: config.redisUrl, logger, commandTimeoutMs: config.redisTimeoutMs });
  // Start anyway when Redis is down (the fallback serves, and it reconnects): one replica
  // without shared dedupe beats no replica at all.
  if (await redis.ready(REDIS_STARTUP_WAIT_MS)) logger.info('short-lived state in redis');
  return {
    store,
    state: redis,
    redisDegraded: () => redis.degraded(),
    async close() {
      await redis.close();
      await store.close();
    },
  };
}
