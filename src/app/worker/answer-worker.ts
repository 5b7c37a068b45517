/**
 * The answer worker: loads kuromoji and the index and answers questions off the main thread,
 * so that the server's thread only acknowledges webhooks and talks to the LINE and Slack
 * APIs (Slack gives 3 s to acknowledge; a LINE webhook should get its 200 at once). Follow-ups
 * are resolved here too, where the analyzer is. It follows index swaps by itself (issue 6) and
 * tells the main thread which build is live. Its configuration comes from the main thread, typed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../config.js';
import { isBotError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import type { Engine } from '../../qa/engine.js';
import { loadTokenizer } from '../../text/tokenizer.js';
import type { FromWorker, ToWorker, WireError } from './messages.js';

const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);
const toWire = (error: unknown): WireError => ({
  name: error instanceof Error ? error.name : 'Error',
  code: isBotError(error) ? error.code : undefined,
  message: error instanceof Error ? error.message : String(error),
});

const { config } = workerData as { config: Config };
const logger = createLogger(config.logLevel);
// kuromoji's dictionary (about 1 s, mostly decompression off this thread) loads while the
// rest of the engine's modules are imported; the text stack later gets the same shared promise.
const dictionary = loadTokenizer();
dictionary.catch(() => undefined);
try {
  const { createDefaultAnswerService } = await import('../local-answers.js');
  const { watchIndexSwaps } = await import('../index-swaps.js');
  const loaded = await createDefaultAnswerService(config, logger);
  const controllers = new Map<number, AbortController>();
  const swap = (next: Engine) => {
    loaded.swap(next);
    post({ type: 'info', info: next.info });
  };
  const watcher = watchIndexSwaps(config, { ...loaded, swap }, logger, { sighup: false });

  port.on('message', async (message: ToWorker) => {
    if (message.type === 'check-index') return void watcher.check({ retry: true });
    if (message.type === 'cancel') return void controllers.get(message.id)?.abort();
    const controller = new AbortController();
    controllers.set(message.id, controller);
    const { signal } = controller;
    try {
      if (message.type === 'follow-up') {
        post({ type: 'resolved', id: message.id, ...(await loaded.followUps.resolve(message.question, message.history, signal)) });
      } else if (message.type === 'answer') {
        post({ type: 'result', id: message.id, answer: await loaded.answers.answer(message.question, { signal }) });
      } else {
        const stream = loaded.answers.stream(message.question, { signal });
        let step = await stream.next();
        for (; !step.done; step = await stream.next()) post({ type: 'delta', id: message.id, text: step.value });
        post({ type: 'result', id: message.id, answer: step.value });
      }
    } catch (error) {
      post({ type: 'error', id: message.id, error: toWire(error) });
    } finally {
      controllers.delete(message.id);
    }
  });
  post({ type: 'ready', info: loaded.answers.info() });
} catch (error) {
  post({ type: 'failed', error: toWire(error) });
}
