/**
 * Short-lived state the channels share: webhook de-duplication, rate-limit counters and
 * conversation memory. In memory by default; the interface is async so that a Redis-backed
 * implementation can replace it when several replicas serve one bot.
 */
import { LRUCache } from 'lru-cache';
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

/**
 * How many entries of each kind the memory state keeps at most. Each is also forgotten once its
 * time is up; the caps bound what a flood of distinct users or events could make it hold
 * between expiries (LINE's event ids are remembered for a day). Past a cap the least recently
 * used goes first: a redelivery of a long-forgotten event, a rate window restarted for a user
 * who had gone quiet, the history of the longest-silent conversation. Full, the three hold
 * about 45 MB (measured: conversations of 4 turns with 350-character answers).
 */
export const MEMORY_STATE_LIMITS = { claims: 100_000, counters: 50_000, conversations: 5_000 };

export function createMemoryState(now: () => number = Date.now, limits = MEMORY_STATE_LIMITS): ShortLivedState {
  // lru-cache keeps the order and the ages; its own clock would reuse a reading for a millisecond.
  const clock = { perf: { now }, ttlResolution: 0 };
  const claims = new LRUCache<string, true>({ max: limits.claims, ...clock });
  // A counter's window starts at its first hit: later hits count in place and keep its age.
  const counters = new LRUCache<string, { value: number }>({ max: limits.counters, ...clock });
  const conversations = new LRUCache<string, Turn[]>({ max: limits.conversations, ...clock });

  return {
    async claimOnce(key, ttlMs) {
      if (claims.has(key)) return false;
      claims.set(key, true, { ttl: ttlMs });
      return true;
    },
    async hit(key, windowMs) {
      const current = counters.get(key);
      if (!current) {
        counters.set(key, { value: 1 }, { ttl: windowMs });
        return 1;
      }
      current.value += 1;
      return current.value;
    },
    async getTurns(conversationKey) {
      return [...(conversations.get(conversationKey) ?? [])];
    },
    async addTurn(conversationKey, turn, maxTurns, ttlMs) {
      const turns = [...(conversations.get(conversationKey) ?? []), turn];
      // Set anew: its silence counts from this turn.
      conversations.set(conversationKey, turns.slice(-maxTurns), { ttl: ttlMs });
    },
  };
}
