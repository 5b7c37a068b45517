/**
 * The bounded wait in front of one answer worker. At most `concurrency` jobs run in the worker
 * at a time (so that a backlog waits here, where it can be measured, and not as messages in
 * the worker's port); the rest wait in order. A job that would wait longer than `maxWaitMs`
 * is not queued at all: the caller is told `busy` at once and says so to the user (LINE and
 * Slack get a busy notice, the HTTP endpoints 503), so nothing waits past LINE's reply-token
 * life and nothing is dropped silently.
 *
 * The expected wait is the jobs ahead times the time a job takes, over the concurrency: job
 * times are a moving average of what the worker took (jobs running side by side each take
 * longer, so the average over `concurrency` is the worker's time per job).
 */

export interface AnswerQueueOptions {
  /** Jobs running in the worker at once. */
  concurrency: number;
  /** Longest expected wait a job is queued for (ANSWER_QUEUE_MAX_WAIT_MS). */
  maxWaitMs: number;
  /** A job's time before any was measured. @default 20 */
  initialJobMs?: number;
  /** Hold every job until `resume()` (the worker is still loading its index). @default false */
  paused?: boolean;
  /** @default performance.now */
  now?: () => number;
}

/** Runs one job in the worker; `waitedMs` is how long it waited here. Resolves when the worker is done with it. */
export type StartJob = (waitedMs: number) => Promise<void>;

export interface AnswerQueue {
  /** Queues the job, or returns 'busy' (and runs nothing) when it would wait longer than `maxWaitMs`. */
  submit(start: StartJob): { accepted: true; done: Promise<void> } | { accepted: false; expectedWaitMs: number };
  /** How long a job submitted now is expected to wait. */
  expectedWaitMs(): number;
  /** Jobs waiting, and jobs running in the worker. */
  depth(): { waiting: number; running: number };
  /** Starts running jobs (the worker has loaded). */
  resume(): void;
}

/** How much one measured job moves the average: about the last ten jobs count. */
const SMOOTHING = 0.1;

export function createAnswerQueue(options: AnswerQueueOptions): AnswerQueue {
  const { concurrency, maxWaitMs } = options;
  const now = options.now ?? (() => performance.now());
  let jobMs = options.initialJobMs ?? 20;
  let running = 0;
  let paused = options.paused ?? false;
  const waiting: Array<{ start: StartJob; queuedAt: number; settle: (error?: unknown) => void }> = [];

  const expectedWaitMs = () => (running < concurrency && waiting.length === 0 ? 0 : ((waiting.length + 1) * jobMs) / concurrency);

  function pump(): void {
    while (!paused && running < concurrency && waiting.length) {
      const job = waiting.shift()!;
      running += 1;
      const startedAt = now();
      // The slot is free before the job's own promise settles: whoever awaited it sees the next one started.
      const finish = (error?: unknown) => {
        running -= 1;
        jobMs += SMOOTHING * (now() - startedAt - jobMs);
        job.settle(error);
        pump();
      };
      job.start(startedAt - job.queuedAt).then(
        () => finish(),
        (error: unknown) => finish(error ?? new Error('job failed')),
      );
    }
  }

  return {
    submit(start) {
      const expected = expectedWaitMs();
      if (expected > maxWaitMs) return { accepted: false, expectedWaitMs: expected };
      const done = new Promise<void>((resolve, reject) => {
        waiting.push({ start, queuedAt: now(), settle: (error) => (error ? reject(error) : resolve()) });
      });
      pump();
      return { accepted: true, done };
    },
    expectedWaitMs,
    depth: () => ({ waiting: waiting.length, running }),
    resume() {
      paused = false;
      pump();
    },
  };
}
