/** How many answer workers fit: memory decides, one core stays with the thread that acknowledges. */
import { describe, expect, it } from 'vitest';
import { ANSWER_WORKER_MB, defaultAnswerWorkers, loadConfig, MAIN_THREAD_MB } from '../../src/config.js';

const MiB = 2 ** 20;

describe('answer workers', () => {
  it('runs one worker in a 512 MiB container, whatever the cores', () => {
    expect(defaultAnswerWorkers(512 * MiB, 8)).toBe(1);
    expect(defaultAnswerWorkers(512 * MiB, 1)).toBe(1);
  });

  it('adds a worker per ANSWER_WORKER_MB beyond the server thread, up to the cores but one', () => {
    const two = (MAIN_THREAD_MB + 2 * ANSWER_WORKER_MB) * MiB;
    expect(defaultAnswerWorkers(two, 8)).toBe(2);
    expect(defaultAnswerWorkers(two - MiB, 8)).toBe(1);
    expect(defaultAnswerWorkers(64 * 1024 * MiB, 4)).toBe(3);
    expect(defaultAnswerWorkers(64 * 1024 * MiB, 2)).toBe(1);
  });

  it('never runs none, even when memory is below one worker', () => {
    expect(defaultAnswerWorkers(128 * MiB, 4)).toBe(1);
  });

  it('takes ANSWER_WORKERS and ANSWER_QUEUE_MAX_WAIT_MS from the environment, and refuses nonsense', () => {
    expect(loadConfig({ ANSWER_WORKERS: '3', ANSWER_QUEUE_MAX_WAIT_MS: '20000' })).toMatchObject({ answerWorkers: 3, answerQueueMaxWaitMs: 20_000 });
    expect(loadConfig({}).answerQueueMaxWaitMs).toBe(50_000);
    expect(loadConfig({}).answerWorkerHeapMb).toBe(192);
    expect(() => loadConfig({ ANSWER_WORKER_HEAP_MB: '64' })).toThrow(/ANSWER_WORKER_HEAP_MB must be a whole number from 128/);
    expect(loadConfig({}).answerWorkers).toBeGreaterThanOrEqual(1);
    expect(() => loadConfig({ ANSWER_WORKERS: '0' })).toThrow(/ANSWER_WORKERS must be a whole number from 1/);
  });
});
