/**
 * An answer worker thread: builds the answer backend (answer-backend.ts: dictionary, index,
 * stores, conversation, LINE and Slack clients) and runs the jobs the server's thread sends,
 * so that thread only verifies and acknowledges. Jobs of one key (one chat) run in the order
 * sent; others side by side. Its configuration comes from the server's thread, typed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRequestFetch, preloadRequestFetch } from '../../channels/request-fetch.js';
import { createThreadFetch } from '../../channels/thread-fetch.js';
import { isBotError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { loadTokenizer } from '../../text/tokenizer.js';
import type { AnswerWorkerData, FromWorker, ToWorker, WireError } from './messages.js';

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
const toWire = (error: unknown): WireError => ({
  name: error instanceof Error ? error.name : 'Error',
  code: isBotError(error) ? error.code : undefined,
  message: error instanceof Error ? error.message : String(error),
});

const { config, slackSocket, platformPort } = workerData as AnswerWorkerData;
const logger = createLogger(config.logLevel);
// The LINE and Slack SDKs call this thread's fetch once an answer, so it is set before either
// client exists: their HTTP runs on the platform calls' thread (thread-fetch.ts), or here over
// undici (request-fetch.ts), the cheaper path than Node's fetch, when there is none or it stopped.
const localFetch = createRequestFetch({ fallback: globalThis.fetch });
globalThis.fetch = platformPort
  ? createThreadFetch(platformPort, { fallback: localFetch, onStopped: () => logger.warn('the platform calls thread stopped: this worker makes its calls itself') })
  : localFetch;
// kuromoji's dictionary (about 1 s, mostly decompression) loads while the rest of the
// backend's modules are imported; the text stack later gets the same shared promise.
const dictionary = loadTokenizer();
dictionary.catch(() => undefined);

// Messages that come while the backend loads wait for it (the server queues little meanwhile).
const early: ToWorker[] = [];
let handle: (message: ToWorker) => void = (message) => void early.push(message);
port.on('message', (message: ToWorker) => handle(message));

try {
  const { createAnswerBackend } = await import('../answer-backend.js');
  const backend = await createAnswerBackend({ config, logger, slackSocket, onSwap: (info) => post({ type: 'info', info }) });
  const controllers = new Map<number, AbortController>();
  /** The last job of each key: the next one of that key starts after it. */
  const tails = new Map<string, Promise<void>>();

  const runJob = async (message: Extract<ToWorker, { type: 'job' }>) => {
    const controller = new AbortController();
    controllers.set(message.id, controller);
    try {
      const onDelta = (text: string) => post({ type: 'delta', id: message.id, text });
      const onAck = (body: unknown) => post({ type: 'ack', id: message.id, body });
      const result = await backend.run(message.job, { busy: message.busy, waitedMs: message.waitedMs, signal: controller.signal, onDelta, onAck });
      post({ type: 'result', id: message.id, result });
    } catch (error) {
      post({ type: 'error', id: message.id, error: toWire(error) });
    } finally {
      controllers.delete(message.id);
    }
  };

  handle = (message) => {
    switch (message.type) {
      case 'job': {
        const before = tails.get(message.key) ?? Promise.resolve();
        const tail = before.then(() => runJob(message));
        tails.set(message.key, tail);
        void tail.then(() => {
          if (tails.get(message.key) === tail) tails.delete(message.key);
        });
        return;
      }
      case 'cancel':
        return void controllers.get(message.id)?.abort();
      case 'check-index':
        return backend.checkIndex();
      case 'metrics':
        return void backend.metricsJson().then((metrics) => post({ type: 'metrics', id: message.id, metrics }));
      case 'close':
        return void backend.close().finally(() => post({ type: 'closed' }));
    }
  };
  post({ type: 'ready', info: backend.info() });
  // Its own undici is for calls the platform thread does not make: load it now, when it makes all.
  if (!platformPort) preloadRequestFetch();
  for (const message of early.splice(0)) handle(message);
} catch (error) {
  post({ type: 'failed', error: toWire(error) });
}
