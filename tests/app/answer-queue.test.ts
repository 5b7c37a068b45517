/** The bounded queue in front of a worker: order, concurrency, the expected wait, and busy past the bound. */
import { describe, expect, it } from 'vitest';
import { createAnswerQueue } from '../../src/app/answer-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('answer queue', () => {
  it('runs at most `concurrency` jobs at once, the rest in the order they came', async () => {
    let clock = 0;
    const queue = createAnswerQueue({ concurrency: 2, maxWaitMs: 10_000, initialJobMs: 100, now: () => clock });
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, deferred);
    const done = gates.map((gate, i) => {
      const submitted = queue.submit(async () => {
        started.push(i);
        await gate.promise;
      });
      if (!submitted.accepted) throw new Error('refused');
      return submitted.done;
    });
    expect(started).toEqual([0, 1]);
    expect(queue.depth()).toEqual({ waiting: 3, running: 2 });
    clock = 50;
    gates[1].resolve();
    await done[1];
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.resolve();
    await Promise.all(done);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(queue.depth()).toEqual({ waiting: 0, running: 0 });
  });

  it('tells the wait a job would have, and refuses one past the bound without running it', () => {
    const queue = createAnswerQueue({ concurrency: 1, maxWaitMs: 250, initialJobMs: 100, now: () => 0 });
    const never = () => new Promise<void>(() => undefined);
    expect(queue.expectedWaitMs()).toBe(0);
    expect(queue.submit(never).accepted).toBe(true); // runs at once
    expect(queue.submit(never).accepted).toBe(true); // waits 100
    expect(queue.submit(never).accepted).toBe(true); // waits 200
    expect(queue.expectedWaitMs()).toBe(300);
    let ran = false;
    const refused = queue.submit(async () => void (ran = true));
    expect(refused).toEqual({ accepted: false, expectedWaitMs: 300 });
    expect(ran).toBe(false);
    expect(queue.depth()).toEqual({ waiting: 2, running: 1 });
  });

  it('learns how long jobs take, and passes on how long each waited', async () => {
    let clock = 0;
    const queue = createAnswerQueue({ concurrency: 1, maxWaitMs: 10_000, initialJobMs: 10, now: () => clock });
    const waits: number[] = [];
    const jobs = [0, 1, 2].map(() => {
      const submitted = queue.submit(async (waitedMs) => {
        waits.push(waitedMs);
        await Promise.resolve();
        clock += 1000;
      });
      return submitted.accepted ? submitted.done : Promise.reject(new Error('refused'));
    });
    await Promise.all(jobs);
    expect(waits).toEqual([0, 1000, 2000]);
    // Three jobs of 1000 ms each move the average from 10 ms well up.
    const queued = queue.submit(() => new Promise<void>(() => undefined));
    expect(queued.accepted).toBe(true);
    expect(queue.expectedWaitMs()).toBeGreaterThan(250);
  });

  it('holds jobs while paused (the worker loads) and starts them on resume', async () => {
    const queue = createAnswerQueue({ concurrency: 4, maxWaitMs: 10_000, paused: true });
    let ran = false;
    const submitted = queue.submit(async () => void (ran = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(ran).toBe(false);
    queue.resume();
    if (submitted.accepted) await submitted.done;
    expect(ran).toBe(true);
  });

  it('rejects the job’s promise when the job fails, and goes on with the next', async () => {
    const queue = createAnswerQueue({ concurrency: 1, maxWaitMs: 10_000 });
    const failing = queue.submit(async () => {
      throw new Error('worker gone');
    });
    const next = queue.submit(async () => undefined);
    await expect(failing.accepted && failing.done).rejects.toThrow('worker gone');
    await expect(next.accepted && next.done).resolves.toBeUndefined();
  });
});
