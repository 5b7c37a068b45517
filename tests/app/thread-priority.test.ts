/**
 * The server thread keeps the CPU first: every other thread of the process (answer workers,
 * V8's threads) is lowered to ANSWER_WORKER_NICE once the workers are up, the main thread not.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { otherThreadIds, yieldToServerThread } from '../../src/app/thread-priority.js';

const linux = fs.existsSync('/proc/self/task');

describe.skipIf(!linux)('thread priority (Linux)', () => {
  it('lowers every thread but the main one; 0 leaves them', async () => {
    // vitest runs this file in a forked process of its own: its threads are ours to change.
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    const mainBefore = os.getPriority(process.pid);
    expect(yieldToServerThread(0, silentLogger)).toBe(0);
    const others = otherThreadIds();
    expect(others.length).toBeGreaterThan(1);
    expect(others).not.toContain(process.pid);
    expect(yieldToServerThread(10, silentLogger)).toBeGreaterThanOrEqual(others.length - 1);
    for (const thread of otherThreadIds()) {
      try {
        expect(os.getPriority(thread)).toBeGreaterThanOrEqual(10);
      } catch (error) {
        if ((error as { info?: { code?: string } }).info?.code !== 'ESRCH') throw error;
      }
    }
    expect(os.getPriority(process.pid)).toBe(mainBefore);
    await worker.terminate();
  });

  it('is configured by ANSWER_WORKER_NICE, 10 unless set', () => {
    expect(loadConfig({}).answerWorkerNice).toBe(10);
    expect(loadConfig({ ANSWER_WORKER_NICE: '0' }).answerWorkerNice).toBe(0);
    expect(() => loadConfig({ ANSWER_WORKER_NICE: '-5' })).toThrow(/ANSWER_WORKER_NICE must be a whole number from 0 to 19/);
  });
});
