/**
 * The sources of recent answers, so that 根拠を見る can show the passage without asking again.
 * In memory with expiry and a size cap: when an entry is gone (restart, expiry, another replica)
 * the postback still carries the question, and the passage is found by asking again.
 */
import { randomBytes } from 'node:crypto';
import type { Source } from '../../qa/types.js';

export interface EvidenceStore {
  put(sources: Source[]): string;
  get(id: string): Source[] | undefined;
}

export function createEvidenceStore({
  ttlMs = 30 * 60_000,
  maxEntries = 5_000,
  now = Date.now,
}: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}): EvidenceStore {
  // A Map iterates in insertion order, so the first key is always the oldest entry.
  const entries = new Map<string, { sources: Source[]; expiresAt: number }>();
  return {
    put(sources) {
      const id = randomBytes(6).toString('base64url');
      entries.set(id, { sources, expiresAt: now() + ttlMs });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return id;
    },
    get(id) {
      const entry = entries.get(id);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(id);
        return undefined;
      }
      return entry.sources;
    },
  };
}
