/**
 * ShortLivedState on Redis, so that several replicas share de-duplication, rate limits and
 * conversations. If Redis goes away, every operation falls back to this process's memory
 * (logged once, never thrown: a user still gets an answer) and Redis is used again as soon as
 * node-redis has reconnected.
 */
import { createClient } from 'redis';
import type { Logger } from '../logger.js';
import type { Turn } from '../qa/types.js';
import { createMemoryState, type ShortLivedState } from './short-lived-state.js';

export interface RedisStateOptions {
  url: string;
  logger: Logger;
  /** Keeps our keys apart from other apps on a shared Redis. @default 'kenmin:' */
  keyPrefix?: string;
  /** A hung Redis must not hold up an answer: past this, the fallback answers. @default 500 */
  commandTimeoutMs?: number;
  /** Longest wait between reconnection attempts. @default 5000 */
  maxReconnectDelayMs?: number;
  /** For the in-memory fallback. @default Date.now */
  now?: () => number;
}

export interface RedisState extends ShortLivedState {
  /** Resolves true once connected, false if not within `timeoutMs` (the fallback serves meanwhile). */
  ready(timeoutMs: number): Promise<boolean>;
  /** True while operations go to the in-memory fallback. */
  degraded(): boolean;
  close(): Promise<void>;
}

export function createRedisState(options: RedisStateOptions): RedisState {
  const { logger, keyPrefix = 'kenmin:', commandTimeoutMs = 500, maxReconnectDelayMs = 5000 } = options;
  const fallback = createMemoryState(options.now);
  const client = createClient({
    url: options.url,
    // Fail at once while disconnected instead of queueing: the fallback answers then.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 2000,
      // Back off 100 ms, 200 ms … up to the cap, and keep trying: Redis may come back any time.
      reconnectStrategy: (retries) => Math.min(100 * 2 ** Math.min(retries, 10), maxReconnectDelayMs),
    },
  });
  const redis = client.withCommandOptions({ timeout: commandTimeoutMs });

  let usingFallback = false;
  const degrade = (error: unknown) => {
    if (usingFallback) return;
    usingFallback = true;
    logger.error('redis unavailable: dedupe, rate limits and conversations fall back to this process (not shared across replicas) until it returns', {
      error,
    });
  };
  // Without an 'error' listener node-redis would crash the process on a lost connection.
  client.on('error', degrade);
  client.on('ready', () => {
    if (usingFallback) logger.info('redis reconnected: short-lived state is shared again');
    usingFallback = false;
  });
  let closed = false;
  const connected = client.connect().then(
    () => true,
    (error: unknown) => {
      if (!closed) degrade(error);
      return false;
    },
  );

  async function withFallback<T>(op: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (!client.isReady) {
      degrade(new Error('not connected'));
      return local();
    }
    try {
      return await op();
    } catch (error) {
      degrade(error);
      return local();
    }
  }
  const k = (key: string) => keyPrefix + key;

  return {
    claimOnce: (key, ttlMs) =>
      withFallback(
        async () => (await redis.set(k(key), '1', { condition: 'NX', expiration: { type: 'PX', value: ttlMs } })) === 'OK',
        () => fallback.claimOnce(key, ttlMs),
      ),
    hit: (key, windowMs) =>
      withFallback(
        async () => {
          // INCR with the expiry set on the first hit, atomically: a counter left without an
          // expiry (say the connection drops between two commands) would rate-limit a user forever.
          const [, count] = await redis.multi().set(k(key), '0', { condition: 'NX', expiration: { type: 'PX', value: windowMs } }).incr(k(key)).exec();
          return Number(count);
        },
        () => fallback.hit(key, windowMs),
      ),
    getTurns: (conversationKey) =>
      withFallback(
        async () => (await redis.lRange(k(conversationKey), 0, -1)).flatMap(parseTurn),
        () => fallback.getTurns(conversationKey),
      ),
    addTurn: (conversationKey, turn, maxTurns, ttlMs) =>
      withFallback(
        async () => {
          const key = k(conversationKey);
          await redis.multi().rPush(key, JSON.stringify(turn)).lTrim(key, -maxTurns, -1).pExpire(key, ttlMs).exec();
        },
        () => fallback.addTurn(conversationKey, turn, maxTurns, ttlMs),
      ),
    ready: (timeoutMs) =>
      Promise.race([connected.then(() => client.isReady), new Promise<boolean>((resolve) => setTimeout(resolve, timeoutMs, false).unref())]),
    degraded: () => usingFallback || !client.isReady,
    async close() {
      closed = true;
      // close() lets pending commands finish; while reconnecting there are none worth waiting for.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}

/** A turn another version wrote differently is skipped rather than breaking the conversation. */
function parseTurn(raw: string): Turn[] {
  try {
    const value = JSON.parse(raw) as Partial<Turn>;
    if (typeof value?.question !== 'string' || typeof value.answer !== 'string') return [];
    return [{ question: value.question, answer: value.answer, ...(typeof value.lookedUp === 'string' ? { lookedUp: value.lookedUp } : {}) }];
  } catch {
    return [];
  }
}
