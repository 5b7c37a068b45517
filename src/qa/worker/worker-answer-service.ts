/**
 * An AnswerService whose answers are made in a worker thread (answer-worker.ts). The main
 * thread keeps only HTTP, the channel SDKs and shared state: however busy answering gets,
 * webhooks are acknowledged at once. Channels cannot tell it from the in-process service.
 */
import { Worker } from 'node:worker_threads';
import { BotError, QuestionError, type ErrorCode } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Answer, AnswerContext, AnswerService, IndexInfo } from '../types.js';
import type { FromWorker, ToWorker, WireError } from './messages.js';

export interface WorkerAnswerService extends AnswerService {
  /** Resolves when the worker has loaded the index (rejects when it could not). */
  ready: Promise<void>;
  /** Asks the worker to look for a new index build now (SIGHUP). */
  checkIndex(): void;
  close(): Promise<void>;
}

interface Pending {
  onDelta?: (text: string) => void;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

const LOADING: IndexInfo = { planVersion: 'loading', build: 'loading', chunkCount: 0, embedder: 'loading', plan: { title: '' } };

function fromWire(error: WireError): Error {
  if (error.code === 'question_invalid') return new QuestionError(error.message);
  if (error.code) return new BotError(error.code as ErrorCode, error.message);
  return Object.assign(new Error(error.message), { name: error.name });
}

export function createWorkerAnswerService(options: { env: Record<string, string | undefined>; logger: Logger }): WorkerAnswerService {
  const { logger } = options;
  // The entry registers tsx's loader, so the worker runs TypeScript like the main thread.
  const worker = new Worker(new URL('./answer-worker-entry.mjs', import.meta.url), { workerData: { env: options.env } });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let info = LOADING;
  let markReady!: () => void;
  let markFailed!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (markFailed = reject)));

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
    if (message.type === 'result') request.resolve(message.answer);
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

  function request(type: 'answer' | 'stream', question: string, context: AnswerContext | undefined, onDelta?: (t: string) => void) {
    const id = nextId++;
    const result = new Promise<Answer>((resolve, reject) => pending.set(id, { resolve, reject, onDelta }));
    const message: ToWorker = { type, id, question, history: context?.history, user: context?.user };
    worker.postMessage(message);
    context?.signal?.addEventListener('abort', () => worker.postMessage({ type: 'cancel', id } satisfies ToWorker), { once: true });
    return result;
  }

  return {
    ready,
    answer: (question, context) => request('answer', question, context),
    async *stream(question, context) {
      const deltas: string[] = [];
      let wake: (() => void) | undefined;
      let settled = false;
      const result = request('stream', question, context, (text) => {
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
        if (settled) return await result;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    info: () => info,
    checkIndex: () => worker.postMessage({ type: 'check-index' } satisfies ToWorker),
    async close() {
      await worker.terminate();
    },
  };
}
