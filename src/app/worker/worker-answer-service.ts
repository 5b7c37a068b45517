/**
 * An AnswerService (and the follow-up step) whose work is done in a worker thread
 * (answer-worker.ts). The main thread keeps only HTTP, the channel SDKs and shared state:
 * however busy answering gets, webhooks are acknowledged at once. Requests wait for the worker
 * to load, so channels cannot tell it from the in-process service.
 */
import { Worker } from 'node:worker_threads';
import type { Config } from '../../config.js';
import type { FollowUps } from '../../conversation/types.js';
import { BotError, QuestionError, type ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Answer, AnswerContext, AnswerService, IndexInfo, Turn } from '../../qa/types.js';
import type { FromWorker, ToWorker, WireError } from './messages.js';

export interface WorkerAnswerService extends AnswerService {
  followUps: FollowUps;
  /** Resolves when the worker has loaded the index (rejects when it could not). */
  ready: Promise<void>;
  /** True once the index has loaded: the one "ready yet?" the server asks. */
  isReady(): boolean;
  /** Asks the worker to look for a new index build now (SIGHUP). */
  checkIndex(): void;
  close(): Promise<void>;
}

type Result = { kind: 'answer'; answer: Answer } | { kind: 'resolved'; lookup: string; followUp: boolean };

interface Pending {
  onDelta?: (text: string) => void;
  resolve: (result: Result) => void;
  reject: (error: Error) => void;
}

const LOADING: IndexInfo = { planVersion: 'loading', build: 'loading', chunkCount: 0, embedder: 'loading', plan: { title: '' } };

function fromWire(error: WireError): Error {
  if (error.code === 'question_invalid') return new QuestionError(error.message);
  if (error.code) return new BotError(error.code as ErrorCode, error.message);
  return Object.assign(new Error(error.message), { name: error.name });
}

/**
 * Compiled (`npm start` runs dist/), the worker is the JavaScript next to this module. From the
 * TypeScript sources (`npm run dev`, the tests), an entry in plain JavaScript registers tsx's
 * loader in the worker first: Node 20 gives a worker no loader from its parent thread.
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './answer-worker-entry.mjs' : './answer-worker.js', import.meta.url);

type Request = { type: 'answer' | 'stream'; question: string } | { type: 'follow-up'; question: string; history: Turn[] };

export function createWorkerAnswerService(options: { config: Config; logger: Logger }): WorkerAnswerService {
  const { logger } = options;
  const worker = new Worker(WORKER_ENTRY, { workerData: { config: options.config } });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let info = LOADING;
  let loaded = false;
  let markReady!: () => void;
  let markFailed!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));
  ready.then(() => void (loaded = true), () => undefined);

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'ready' || message.type === 'info') {
      info = message.info;
      if (message.type === 'ready') markReady();
      return;
    }
    if (message.type === 'failed') return markFailed(fromWire(message.error));
    const request = pending.get(message.id);
    if (!request) return;
    if (message.type === 'delta') return request.onDelta?.(message.text);
    pending.delete(message.id);
    if (message.type === 'result') request.resolve({ kind: 'answer', answer: message.answer });
    else if (message.type === 'resolved') request.resolve({ kind: 'resolved', lookup: message.lookup, followUp: message.followUp });
    else request.reject(fromWire(message.error));
  });
  worker.on('error', (error) => {
    logger.error('answer worker crashed', { error });
    markFailed(error);
    failAll(error);
  });
  worker.on('exit', (code) => {
    const error = new Error(`the answer worker stopped (exit code ${code})`);
    markFailed(error);
    failAll(error);
  });

  async function request(body: Request, signal: AbortSignal | undefined, onDelta?: (t: string) => void): Promise<Result> {
    await ready;
    const id = nextId++;
    const result = new Promise<Result>((resolve, reject) => pending.set(id, { resolve, reject, onDelta }));
    worker.postMessage({ ...body, id } satisfies ToWorker);
    signal?.addEventListener('abort', () => worker.postMessage({ type: 'cancel', id } satisfies ToWorker), { once: true });
    return result;
  }
  const answerOf = (result: Result) => (result.kind === 'answer' ? result.answer : Promise.reject(new Error('the worker sent no answer')));

  return {
    ready,
    isReady: () => loaded,
    answer: async (question, context?: AnswerContext) => answerOf(await request({ type: 'answer', question }, context?.signal)),
    async *stream(question, context) {
      const deltas: string[] = [];
      let wake: (() => void) | undefined;
      let settled = false;
      const result = request({ type: 'stream', question }, context?.signal, (text) => {
        deltas.push(text);
        wake?.();
      }).finally(() => {
        settled = true;
        wake?.();
      });
      while (true) {
        if (deltas.length) {
          yield deltas.shift()!;
          continue;
        }
        if (settled) return answerOf(await result);
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    followUps: {
      async resolve(question, history, signal) {
        const result = await request({ type: 'follow-up', question, history }, signal);
        return result.kind === 'resolved' ? { lookup: result.lookup, followUp: result.followUp } : { lookup: question, followUp: false };
      },
    },
    info: () => info,
    checkIndex: () => worker.postMessage({ type: 'check-index' } satisfies ToWorker),
    async close() {
      await worker.terminate();
    },
  };
}
