/**
 * The answer workers, seen from the server's thread: ANSWER_WORKERS worker threads
 * (answer-worker.ts), each behind its own bounded queue (answer-queue.ts). A job goes to the
 * worker its key hashes to, so one chat always meets the same worker and its turns stay in
 * order. This thread keeps only HTTP; answering and every LINE, Slack and store call happen in
 * the workers, so however busy they get, webhooks are acknowledged at once. With a channel or a
 * model configured, one more thread (platform-worker.ts) carries the workers' calls' HTTP, so
 * that their own CPU goes to answering.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { Config } from '../../config.js';
import { createInFlight, type InFlight } from '../../conversation/in-flight.js';
import { BotError, QuestionError, type ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { IndexInfo } from '../../qa/types.js';
import { createAnswerQueue, type AnswerQueue } from '../answer-queue.js';
import type { AnswerWorkerData, FromWorker, Job, JobResult, ToWorker, WireError } from './messages.js';
import type { ToPlatformWorker } from './platform-worker.js';

/** Jobs running in one worker at once: enough to overlap its LINE and Slack calls, few enough that a backlog waits in the queue, measured. */
export const JOBS_PER_WORKER = 4;
/**
 * Busy notices have a lane of their own: they must not wait behind the answers they stand in
 * for, nor flood the worker so that the answers it is making slow down (each notice is a
 * platform call) and the queue's estimate runs away.
 */
export const NOTICES_PER_WORKER = 8;
/**
 * The platform calls' thread holds only calls in flight. A small young generation: with V8's
 * default (up to 16 MB a semi-space) this busy, short-lived garbage made the thread about 40 MB of
 * the bot's RSS, with 4 MB about 10, for the same throughput (measured at 800 events/s).
 */
const PLATFORM_WORKER_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };
/** "answers busy" is logged once per this period per worker, with a count: a log line per event would be one more cost of overload. */
const BUSY_LOG_EVERY_MS = 5_000;

export interface RunOptions {
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
  /** A Slack listener's ack, for a request whose HTTP response carries it. */
  onAck?: (body: unknown) => void;
  /** Past the answer queue, in the notices' lane: a request someone waits on that asks nothing (a modal's submission). */
  urgent?: boolean;
  /**
   * Over the queue's bound: `tell` still sends the job, marked busy, so that the worker tells the
   * user (LINE, Slack: the event was acknowledged and must get an answer); `refuse` sends nothing
   * and resolves `busy` (HTTP, which can still answer 503).
   */
  whenBusy: 'tell' | 'refuse';
}

export interface AnswerPool {
  /** Resolves when every worker has loaded the index (rejects when one could not). */
  ready: Promise<void>;
  isReady(): boolean;
  /** The live index, as the first worker reports it. */
  info(): IndexInfo;
  size: number;
  run(key: string, job: Job, options: RunOptions): Promise<JobResult | 'busy'>;
  /** Jobs sent or queued and not yet done. */
  inFlight(): number;
  /** Resolves true once no job is in flight, or false after `timeoutMs`. */
  whenIdle(timeoutMs?: number): Promise<boolean>;
  /** Each worker's metrics (prom-client JSON), for the server's /metrics. */
  metrics(): Promise<unknown[][]>;
  /** Asks every worker to look for a new index build now (SIGHUP). */
  checkIndex(): void;
  /** Lets the workers close their stores and Slack connection, then stops them. */
  close(timeoutMs?: number): Promise<void>;
}

const LOADING: IndexInfo = { planVersion: 'loading', build: 'loading', chunkCount: 0, embedder: 'loading', plan: { title: '' } };

function fromWire(error: WireError): Error {
  if (error.code === 'question_invalid') return new QuestionError(error.message);
  if (error.code) return new BotError(error.code as ErrorCode, error.message);
  return Object.assign(new Error(error.message), { name: error.name });
}

/** FNV-1a (32 bits): a cheap, well-spread hash of a chat key. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Compiled (`npm start` runs dist/), the worker is the JavaScript next to this module. From the
 * TypeScript sources (`npm run dev`, the tests), an entry in plain JavaScript registers tsx's
 * loader in the worker first: Node 20 gives a worker no loader from its parent thread.
 */
const fromSources = import.meta.url.endsWith('.ts');
const WORKER_ENTRY = new URL(fromSources ? './answer-worker-entry.mjs' : './answer-worker.js', import.meta.url);
const PLATFORM_ENTRY = new URL(fromSources ? './platform-worker-entry.mjs' : './platform-worker.js', import.meta.url);

interface Pending {
  onDelta?: (text: string) => void;
  onAck?: (body: unknown) => void;
  resolve: (result: JobResult) => void;
  reject: (error: Error) => void;
}

interface WorkerSlot {
  worker: Worker;
  queue: AnswerQueue;
  /** Busy notices, never refused. */
  notices: AnswerQueue;
  busySinceLog: number;
  lastBusyLog: number;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  metricsWaiters: Map<number, (metrics: unknown[]) => void>;
  closed?: () => void;
}

export interface AnswerPoolOptions {
  config: Config;
  logger: Logger;
  /** @default config.answerWorkers */
  workers?: number;
  /** The process's one count of work in flight, which every job joins (under its kind). @default a count of its own */
  inFlight?: InFlight;
}

/** The in-flight kind of a job, for the shutdown log. */
const KIND: Record<Job['kind'], string> = { ask: 'question', sources: 'question', line: 'line webhook', slack: 'slack event' };

export function createAnswerPool(options: AnswerPoolOptions): AnswerPool {
  const { config, logger } = options;
  const count = options.workers ?? config.answerWorkers;
  const inFlight = options.inFlight ?? createInFlight();
  let nextId = 1;
  let info = LOADING;
  let loaded = false;

  // The answer workers' LINE, Slack and model calls go over HTTP on a thread of their own
  // (platform-worker.ts), when there are any to make.
  const platform = config.line || config.slack || config.llm ? startPlatformWorker() : undefined;

  function startPlatformWorker(): Worker {
    const worker = new Worker(PLATFORM_ENTRY, { name: 'platform-calls', resourceLimits: PLATFORM_WORKER_LIMITS });
    // Its calls in flight fail as network failures do; the answer workers then make their calls themselves (thread-fetch.ts).
    worker.on('error', (error) => logger.error('the platform calls thread crashed; the answer workers make their calls themselves', { error }));
    worker.unref();
    return worker;
  }

  /** A port to the platform calls' thread for one answer worker. */
  function platformPort(): MessagePort | undefined {
    if (!platform) return undefined;
    const { port1, port2 } = new MessageChannel();
    platform.postMessage({ type: 'serve', port: port1 } satisfies ToPlatformWorker, [port1]);
    return port2;
  }

  function startWorker(index: number): WorkerSlot {
    const port = platformPort();
    // One worker keeps Slack's Socket Mode connection; over HTTP every worker takes Slack jobs.
    const worker = new Worker(WORKER_ENTRY, {
      workerData: { config, slackSocket: index === 0, platformPort: port } satisfies AnswerWorkerData,
      transferList: port ? [port] : [],
      name: `answer-worker-${index}`,
      // Bounded, so that V8 collects a busy worker's garbage instead of growing past the container.
      resourceLimits: { maxOldGenerationSizeMb: config.answerWorkerHeapMb },
    });
    const queue = createAnswerQueue({ concurrency: JOBS_PER_WORKER, maxWaitMs: config.answerQueueMaxWaitMs, paused: true });
    const pending = new Map<number, Pending>();
    const metricsWaiters = new Map<number, (metrics: unknown[]) => void>();
    let markReady!: () => void;
    let markFailed!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));
    const notices = createAnswerQueue({ concurrency: NOTICES_PER_WORKER, maxWaitMs: Number.POSITIVE_INFINITY, paused: true });
    const slot: WorkerSlot = { worker, queue, notices, busySinceLog: 0, lastBusyLog: Number.NEGATIVE_INFINITY, ready, pending, metricsWaiters };
    const failAll = (error: Error) => {
      markFailed(error);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    worker.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'ready':
        case 'info':
          if (index === 0) info = message.info;
          if (message.type === 'ready') {
            markReady();
            queue.resume();
            notices.resume();
          }
          return;
        case 'failed':
          return failAll(fromWire(message.error));
        case 'metrics':
          metricsWaiters.get(message.id)?.(message.metrics);
          metricsWaiters.delete(message.id);
          return;
        case 'closed':
          return slot.closed?.();
        case 'delta':
          return pending.get(message.id)?.onDelta?.(message.text);
        case 'ack':
          return pending.get(message.id)?.onAck?.(message.body);
        case 'result':
        case 'error': {
          const request = pending.get(message.id);
          pending.delete(message.id);
          if (message.type === 'result') request?.resolve(message.result);
          else request?.reject(fromWire(message.error));
        }
      }
    });
    worker.on('error', (error) => {
      const outOfMemory = (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
      if (outOfMemory) {
        const message = `answer worker ${index} ran out of its ${config.answerWorkerHeapMb} MB heap: raise ANSWER_WORKER_HEAP_MB (a larger plan's index needs more)`;
        logger.error(message, { worker: index });
        return failAll(new BotError('worker_failed', message, { cause: error }));
      }
      logger.error('answer worker crashed', { worker: index, error });
      failAll(error);
    });
    worker.on('exit', (code) => failAll(new Error(`answer worker ${index} stopped (exit code ${code})`)));
    return slot;
  }

  const slots = Array.from({ length: count }, (_, i) => startWorker(i));
  const ready = Promise.all(slots.map((s) => s.ready)).then(() => void (loaded = true));
  ready.catch(() => undefined);

  function post(slot: WorkerSlot, key: string, job: Job, busy: boolean, waitedMs: number, o: RunOptions): Promise<JobResult> {
    const id = nextId++;
    const result = new Promise<JobResult>((resolve, reject) => slot.pending.set(id, { resolve, reject, onDelta: o.onDelta, onAck: o.onAck }));
    slot.worker.postMessage({ type: 'job', id, key, job, busy, waitedMs } satisfies ToWorker);
    o.signal?.addEventListener('abort', () => slot.worker.postMessage({ type: 'cancel', id } satisfies ToWorker), { once: true });
    return result;
  }

  function noteBusy(slot: WorkerSlot, fields: Record<string, unknown>): void {
    slot.busySinceLog += 1;
    const now = performance.now();
    if (now - slot.lastBusyLog < BUSY_LOG_EVERY_MS) return;
    logger.warn('answers busy', { worker: slots.indexOf(slot), busySinceLastLine: slot.busySinceLog, ...fields });
    slot.busySinceLog = 0;
    slot.lastBusyLog = now;
  }

  /** A job that is told "busy" instead of answered, in the notices' lane. */
  function notice(slot: WorkerSlot, key: string, job: Job, o: RunOptions, busy = true): Promise<JobResult> {
    let result: JobResult | undefined;
    const submitted = slot.notices.submit(async (waitedMs) => void (result = await post(slot, key, job, busy, waitedMs, o)));
    if (!submitted.accepted) return Promise.reject(new Error('the notices lane refused a job'));
    return submitted.done.then(() => result!);
  }

  function run(key: string, job: Job, o: RunOptions): Promise<JobResult | 'busy'> {
    const slot = slots[fnv1a(key) % slots.length];
    if (o.urgent) return inFlight.track(notice(slot, key, job, o, false), KIND[job.kind]);
    let result: JobResult | 'busy' | Promise<JobResult> | undefined;
    const submitted = slot.queue.submit(async (waitedMs) => {
      // The asker left while it waited (the page was closed): nothing to answer.
      if (o.signal?.aborted) throw new Error('cancelled while queued');
      // The estimate was short (the worker slowed down after the job was queued): past the
      // bound, the asker is told at once, and the backlog drains instead of growing older.
      if (waitedMs <= config.answerQueueMaxWaitMs) return void (result = await post(slot, key, job, false, waitedMs, o));
      noteBusy(slot, { waitedMs: Math.round(waitedMs), job: job.kind, whenBusy: o.whenBusy });
      result = o.whenBusy === 'refuse' ? 'busy' : notice(slot, key, job, o);
    });
    if (submitted.accepted) return inFlight.track(submitted.done.then(() => result!), KIND[job.kind]);
    noteBusy(slot, { expectedWaitMs: Math.round(submitted.expectedWaitMs), job: job.kind, whenBusy: o.whenBusy });
    if (o.whenBusy === 'refuse') return Promise.resolve('busy');
    return inFlight.track(notice(slot, key, job, o), KIND[job.kind]);
  }

  return {
    ready,
    isReady: () => loaded,
    info: () => info,
    size: slots.length,
    run,
    inFlight: () => inFlight.count(),
    whenIdle: (timeoutMs) => inFlight.whenIdle(timeoutMs),
    metrics: () =>
      Promise.all(
        slots.map(
          (slot) =>
            new Promise<unknown[]>((resolve) => {
              const id = nextId++;
              slot.metricsWaiters.set(id, resolve);
              slot.worker.postMessage({ type: 'metrics', id } satisfies ToWorker);
              // A worker that does not answer (still loading, stuck) leaves its counters out of this scrape.
              setTimeout(() => slot.metricsWaiters.delete(id) && resolve([]), 2000).unref();
            }),
        ),
      ),
    checkIndex: () => slots.forEach((s) => s.worker.postMessage({ type: 'check-index' } satisfies ToWorker)),
    async close(timeoutMs = 10_000) {
      await Promise.all(
        slots.map(async (slot) => {
          const closed = new Promise<void>((resolve) => (slot.closed = resolve));
          slot.worker.postMessage({ type: 'close' } satisfies ToWorker);
          await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
          await slot.worker.terminate();
        }),
      );
      await platform?.terminate();
    },
  };
}
