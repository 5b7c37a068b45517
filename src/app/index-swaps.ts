/**
 * Follows `npm run index` in a running bot (issue 6): a newly activated build is loaded and
 * asked SMOKE_QUESTION while the old engine answers, then swapped in between questions.
 */
import type { Config } from '../config.js';
import { IndexError } from '../errors.js';
import { buildDir } from '../index/index-paths.js';
import { createLiveIndexWatcher, type LiveIndexWatcher } from '../index/live-index.js';
import type { Logger } from '../logger.js';
import { createAnswerService } from '../qa/answer-service.js';
import { loadEngine } from './engine-loader.js';
import type { LocalAnswers } from './local-answers.js';

/** Every plan version answers this; a new build that cannot does not go live. */
export const SMOKE_QUESTION = '休眠預金とは何ですか';

export function watchIndexSwaps(
  config: Config,
  service: Pick<LocalAnswers, 'engine' | 'stack' | 'swap'>,
  logger: Logger,
  options: { sighup?: boolean } = {},
): LiveIndexWatcher {
  return createLiveIndexWatcher({
    indexDir: config.indexDir,
    engine: service.engine,
    swap: service.swap,
    logger,
    // A worker thread gets no signals: there the main thread forwards SIGHUP.
    sighup: options.sighup ?? true,
    async prepare(build) {
      const next = await loadEngine(config, service.stack, logger, build);
      const smoke = await createAnswerService({ engine: () => next, logger }).answer(SMOKE_QUESTION);
      if (!smoke.sources.length) {
        throw new IndexError('index_invalid', `Build ${build} finds no passage for 「${SMOKE_QUESTION}」: not swapped in.`, buildDir(config.indexDir, build));
      }
      return next;
    },
  });
}
