/**
 * ShortLivedState on Redis, so that several replicas share de-duplication, rate limits and
 * conversations. Redis must never hold up an answer: every call has a deadline of its own
 * (node-redis's `timeout` bounds only the wait before a command is written, so a MULTI or a
 * command already sent to a hung server would wait forever). Past the deadline, or when Redis
 * is away, operations go to this process's memory (one warning line, never thrown: a user
 * still gets an answer) and stay there, without waiting on Redis again, until a probe finds
 * that Redis answers (or node-redis has reconnected): then Redis is used again (one info line).
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
  /** A hung Redis must not hold up an answer: past this, the fallback answers. Config: REDIS_TIMEOUT_MS. @default 500 */
  commandTimeoutMs?: number;
  /** While degraded, how often to ask Redis whether it answers again. @default 1000 */
  probeIntervalMs?: number;
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
  const probeIntervalMs = options.probeIntervalMs ?? 1000;

  let usingFallback = false;
  let probing = false;
  let closed = false;
  const recover = (how: string) => {
    if (!usingFallback) return;
    usingFallback = false;
    logger.info(`redis ${how}: short-lived state is shared again`);
  };
  /** One PING at a time until one is answered: a hung server answers it when it wakes up. */
  const probe = () => {
    if (probing || closed) return;
    probing = true;
    const attempt = () => {
      if (closed) return void (probing = false);
      client.ping().then(
        () => {
          probing = false;
          recover('answers again');
        },
        () => setTimeout(attempt, probeIntervalMs).unref(),
      );
    };
    attempt();
  };
  const degrade = (error: unknown) => {
    if (closed) return;
    if (!usingFallback) {
      usingFallback = true;
      logger.warn(
        'redis unavailable: dedupe, rate limits and conversations fall back to this process (not shared across replicas) until it answers again',
        { error, timeoutMs: commandTimeoutMs },
      );
    }
    probe();
  };
  // Without an 'error' listener node-redis would crash the process on a lost connection.
  client.on('error', degrade);
  client.on('ready', () => recover('reconnected'));
  const connected = client.connect().then(
    () => true,
    (error: unknown) => {
      if (!closed) degrade(error);
      return false;
    },
  );

  /** `op`, or an error once the deadline has passed; the late reply, if one comes, is dropped. */
  function withDeadline<T>(op: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${commandTimeoutMs} ms`)), commandTimeoutMs);
    });
    op.catch(() => undefined);
    return Promise.race([op, deadline]).finally(() => clearTimeout(timer));
  }

  async function withFallback<T>(op: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (usingFallback || !client.isReady) {
      degrade(new Error('not connected'));
      return local();
    }
    try {
      return await withDeadline(op());
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
      // close() lets pending commands finish; while reconnecting or hung there are none worth waiting for.
      if (client.isReady && !usingFallback) await client.close().catch(() => client.destroy());
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
