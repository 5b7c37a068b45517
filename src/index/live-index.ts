/**
 * Lets a running bot follow `npm run index` without a restart (issue 6). Going live is one
 * rename of `<indexDir>/current.json`; the watcher notices it (fs.watch on the folder,
 * debounced, with polling as a fallback because fs.watch misses events on some network and
 * container file systems, and SIGHUP to ask by hand), loads and checks the new build while
 * the old one keeps answering, and only then swaps. A build that fails to load or to answer
 * is logged and skipped; the old engine stays.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger.js';
import { pointerFile, readPointer } from './index-paths.js';

/** What the watcher needs to know of an engine. */
export interface LiveEngine {
  info: { build: string; planVersion: string };
}

export interface LiveIndexWatcherOptions<E extends LiveEngine> {
  indexDir: string;
  /** The engine answering now. */
  engine: () => E;
  /** Loads a build and checks it can answer; throws when it must not go live. */
  prepare: (build: string) => Promise<E>;
  /** Makes `next` the engine of the following questions. */
  swap: (next: E) => void;
  logger: Logger;
  /** An activation writes a temporary file and renames it: several events, one check. @default 300 */
  debounceMs?: number;
  /** @default 5000 */
  pollMs?: number;
  /** Check on SIGHUP too, retrying a build that failed before. @default false */
  sighup?: boolean;
}

export interface LiveIndexWatcher {
  /** Swaps to the pointer's build when it differs from the live one. Never throws. */
  check(options?: { retry?: boolean }): Promise<void>;
  close(): void;
}

export function createLiveIndexWatcher<E extends LiveEngine>(options: LiveIndexWatcherOptions<E>): LiveIndexWatcher {
  const { indexDir, logger } = options;
  let running: Promise<void> | undefined;
  let again = false;
  let retryNext = false;
  /** The last build that failed: polling does not retry it every few seconds. */
  let failed: string | undefined;
  /** The pointer's last problem, logged once. */
  let pointerProblem: string | undefined;

  async function checkOnce(retry: boolean) {
    const pointer = await readPointer(indexDir);
    const live = options.engine().info.build;
    if (!pointer || pointer.build === live || (pointer.build === failed && !retry)) return;
    logger.info('new index build activated: loading it', { from: live, build: pointer.build });
    let next: E;
    try {
      next = await options.prepare(pointer.build);
    } catch (error) {
      failed = pointer.build;
      logger.error('new index build not loaded: still answering from the old one', { live, build: pointer.build, error });
      return;
    }
    options.swap(next);
    failed = undefined;
    logger.info('index swapped', { from: live, build: next.info.build, planVersion: next.info.planVersion });
  }

  // One check at a time; a request arriving meanwhile runs once more afterwards (the pointer may have moved again).
  function check(request: { retry?: boolean } = {}): Promise<void> {
    retryNext ||= Boolean(request.retry);
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        const retry = retryNext;
        retryNext = false;
        await checkOnce(retry).then(
          () => (pointerProblem = undefined),
          (error: unknown) => {
            // Polling meets a broken pointer every few seconds: said once, until it changes.
            const problem = error instanceof Error ? error.message : String(error);
            if (problem !== pointerProblem) logger.warn('index pointer check failed', { indexDir, error });
            pointerProblem = problem;
          },
        );
      } while (again);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), options.debounceMs ?? 300);
  };
  let watcher: fs.FSWatcher | undefined;
  const pointerName = path.basename(pointerFile(indexDir));
  try {
    // The folder, not the file: the rename replaces the file, and a watch on the old one goes quiet.
    watcher = fs.watch(indexDir, { persistent: false }, (_event, name) => {
      if (!name || String(name).startsWith(pointerName)) schedule();
    });
    watcher.on('error', (error) => logger.warn('index folder watch failed: polling only', { indexDir, error }));
  } catch (error) {
    logger.warn('cannot watch the index folder: polling only', { indexDir, error });
  }
  const poll = setInterval(() => void check(), options.pollMs ?? 5000);
  poll.unref();
  const onSighup = () => void check({ retry: true });
  if (options.sighup) process.on('SIGHUP', onSighup);

  return {
    check,
    close() {
      watcher?.close();
      clearTimeout(timer);
      clearInterval(poll);
      process.off('SIGHUP', onSighup);
    },
  };
}
