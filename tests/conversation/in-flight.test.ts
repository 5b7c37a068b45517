/** The one in-flight count: by kind, down again whether the work succeeds or fails, and waited for. */
import { describe, expect, it } from 'vitest';
import { createInFlight } from '../../src/conversation/in-flight.js';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

describe('createInFlight', () => {
  it('counts work by kind until it settles, either way', async () => {
    const inFlight = createInFlight();
    const [a, b, c] = [deferred(), deferred(), deferred()];
    void inFlight.track(a.promise, 'request');
    void inFlight.track(b.promise, 'line webhook');
    inFlight.track(c.promise, 'line webhook').catch(() => undefined);
    expect(inFlight.count()).toBe(3);
    expect(inFlight.pending()).toEqual({ request: 1, 'line webhook': 2 });
    const idle = inFlight.whenIdle(5_000);
    c.reject(new Error('LINE said no'));
    a.resolve();
    await new Promise((r) => setImmediate(r));
    expect(inFlight.pending()).toEqual({ 'line webhook': 1 });
    expect(await inFlight.whenIdle(10)).toBe(false);
    b.resolve();
    expect(await idle).toBe(true);
    expect(inFlight.count()).toBe(0);
    expect(inFlight.pending()).toEqual({});
  });
});
