/**
 * Short-lived state the channels share: webhook de-duplication, rate-limit counters and
 * conversation memory. In memory by default; the interface is async so that a Redis-backed
 * implementation can replace it when several replicas serve one bot.
 */
import type { Turn } from '../qa/types.js';

export interface ShortLivedState {
  /** True the first time `key` is seen within `ttlMs`; false for a duplicate. */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Counts one hit for `key` in the current window and returns the count so far. */
  hit(key: string, windowMs: number): Promise<number>;
  /** The last turns of a conversation, oldest first. */
  getTurns(conversationKey: string): Promise<Turn[]>;
  /** Appends a turn, keeping at most `maxTurns`, forgotten after `ttlMs` of silence. */
  addTurn(conversationKey: string, turn: Turn, maxTurns: number, ttlMs: number): Promise<void>;
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

export function createMemoryState(now: () => number = Date.now): ShortLivedState {
  const claims = new Map<string, number>();
  const counters = new Map<string, Expiring<number>>();
  const conversations = new Map<string, Expiring<Turn[]>>();
  let operations = 0;

  // Expired entries are swept now and then, so a long-running bot does not grow without bound.
  const sweep = () => {
    if (++operations % 1000 !== 0) return;
    const t = now();
    for (const [k, exp] of claims) if (exp <= t) claims.delete(k);
    for (const [k, e] of counters) if (e.expiresAt <= t) counters.delete(k);
    for (const [k, e] of conversations) if (e.expiresAt <= t) conversations.delete(k);
  };

  return {
    async claimOnce(key, ttlMs) {
      sweep();
      const t = now();
      const expiresAt = claims.get(key);
      if (expiresAt !== undefined && expiresAt > t) return false;
      claims.set(key, t + ttlMs);
      return true;
    },
    async hit(key, windowMs) {
      sweep();
      const t = now();
      const current = counters.get(key);
      if (!current || current.expiresAt <= t) {
        counters.set(key, { value: 1, expiresAt: t + windowMs });
        return 1;
      }
      current.value += 1;
      return current.value;
    },
    async getTurns(conversationKey) {
      const entry = conversations.get(conversationKey);
      if (!entry || entry.expiresAt <= now()) return [];
      return [...entry.value];
    },
    async addTurn(conversationKey, turn, maxTurns, ttlMs) {
      sweep();
      const t = now();
      const entry = conversations.get(conversationKey);
      const turns = entry && entry.expiresAt > t ? entry.value : [];
      turns.push(turn);
      conversations.set(conversationKey, { value: turns.slice(-maxTurns), expiresAt: t + ttlMs });
    },
  };
}
