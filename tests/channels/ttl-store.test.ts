import { describe, expect, it } from 'vitest';
import { createTtlStore } from '../../src/channels/ttl-store.js';

describe('the bounded store behind LINE evidence and Slack buttons', () => {
  it('gives back a value by its short id until it expires', () => {
    let now = 1_000;
    const store = createTtlStore<string[]>({ maxEntries: 10, ttlMs: 60_000, now: () => now });
    const id = store.put(['a']);
    expect(id).toMatch(/^[\w-]{12}$/);
    expect(store.get(id)).toEqual(['a']);
    now += 60_001;
    expect(store.get(id)).toBeUndefined();
    expect(store.get('never-there')).toBeUndefined();
  });

  it('drops the least recently used value past its size', () => {
    const store = createTtlStore<{ n: number }>({ maxEntries: 2, ttlMs: 60_000 });
    const first = store.put({ n: 1 });
    const second = store.put({ n: 2 });
    store.get(first);
    store.put({ n: 3 });
    expect(store.get(first)).toEqual({ n: 1 });
    expect(store.get(second)).toBeUndefined();
  });
});
