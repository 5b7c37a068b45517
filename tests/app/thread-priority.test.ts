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
import { dockerfileCommand, ensureDist, startBotProcess } from '../helpers/bot-process.js';
import { offlineEnv, tempIndex } from '../helpers/temp-index.js';

/** Each thread of `pid` with its nice value (/proc/<pid>/task/<tid>/stat, the 19th field). */
function niceOfThreads(pid: number): Map<number, number> {
  const nice = new Map<number, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // After the command name in parentheses: field 3 (state) onwards, so field 19 is index 16.
      nice.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return nice;
}

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

  it('the started server: once ready, every thread but the server thread runs at ANSWER_WORKER_NICE', async () => {
    ensureDist();
    const index = await tempIndex();
    const bot = await startBotProcess(dockerfileCommand(), offlineEnv({ INDEX_DIR: index.dir, DATA_DB_PATH: ':memory:', LOG_LEVEL: 'warn', ANSWER_WORKER_NICE: '7' }));
    try {
      const threads = niceOfThreads(bot.child.pid!);
      expect(threads.get(bot.child.pid!)).toBe(0);
      const others = [...threads].filter(([tid]) => tid !== bot.child.pid);
      // The answer worker, V8's threads and libuv's pool: the server thread uses none of them to acknowledge.
      expect(others.length).toBeGreaterThan(2);
      expect(others.filter(([, nice]) => nice !== 7)).toEqual([]);
    } finally {
      bot.child.kill('SIGTERM');
      await bot.exited;
    }
  }, 60_000);

  it('is configured by ANSWER_WORKER_NICE, 10 unless set', () => {
    expect(loadConfig({}).answerWorkerNice).toBe(10);
    expect(loadConfig({ ANSWER_WORKER_NICE: '0' }).answerWorkerNice).toBe(0);
    expect(() => loadConfig({ ANSWER_WORKER_NICE: '-5' })).toThrow(/ANSWER_WORKER_NICE must be a whole number from 0 to 19/);
  });
});
