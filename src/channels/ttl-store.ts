/**
 * Values kept for a while under a short random id, so that a later click (LINE's 根拠を見る,
 * Slack's 👍/👎 and 「チャンネルに投稿」) finds what it belongs to: platforms cap what a button
 * carries (LINE 300 characters of postback data, Slack 2,000 of a button value), so the button
 * carries the id. Bounded in count and age (lru-cache): the least recently used go first.
 */
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface TtlStore<T> {
  /** Keeps `value` and returns its id: 12 URL-safe characters. */
  put(value: T): string;
  /** The value, or undefined once it expired, was pushed out, or was never here (another replica, a restart). */
  get(id: string): T | undefined;
}

export interface TtlStoreOptions {
  /** How many values to keep. */
  maxEntries: number;
  /** How long a value is kept. */
  ttlMs: number;
  /** The clock, for tests. @default performance.now */
  now?: () => number;
}

export function createTtlStore<T extends {}>({ maxEntries, ttlMs, now }: TtlStoreOptions): TtlStore<T> {
  // A clock of one's own is read at every call: lru-cache otherwise reuses a reading for a millisecond.
  const clock = now ? { perf: { now }, ttlResolution: 0 } : {};
  const cache = new LRUCache<string, T>({ max: maxEntries, ttl: ttlMs, ...clock });
  return {
    put(value) {
      const id = randomBytes(9).toString('base64url');
      cache.set(id, value);
      return id;
    },
    get: (id) => cache.get(id),
  };
}
