/**
 * The curated answers as this thread matches them (each answer worker, src/app/answer-backend.ts):
 * read from the store at start and again every CURATED_RELOAD_SECONDS, so an answer saved
 * through any replica (or `npm run curated`) answers here too within that time. The analyzer is
 * asked for only once the store holds an active curated answer: where it would be loaded for
 * this alone, a bot whose staff never write one does not pay for it.
 */
import type { Logger } from '../logger.js';
import { createCuratedMatcher, type ReplaceableCuratedMatcher } from '../qa/curated-match.js';
import type { CuratedAnswer, CuratedAnswers, CuratedMatcher } from '../store/curated.js';
import type { Analyzer } from '../text/analyzer.js';

export interface LiveCuratedMatcher extends CuratedMatcher {
  /** Reads the store again, after any read under way: a save through this replica then answers here at once. */
  reload(): Promise<void>;
  /** Resolves after the first read (and the analyzer, when there were answers). */
  ready: Promise<void>;
  close(): void;
}

export interface LiveCuratedOptions {
  curated: Pick<CuratedAnswers, 'list'>;
  loadAnalyzer: () => Promise<Analyzer>;
  /** @default 3000 */
  reloadMs?: number;
  logger: Logger;
}

/** What changes an answer: a reload that finds the same set does nothing. */
const signatureOf = (answers: CuratedAnswer[]) => answers.map((a) => `${a.id}@${a.updatedAt.getTime()}`).join(',');

export function createLiveCuratedMatcher(options: LiveCuratedOptions): LiveCuratedMatcher {
  const { logger } = options;
  let matcher: ReplaceableCuratedMatcher<CuratedAnswer> | undefined;
  let analyzer: Promise<Analyzer> | undefined;
  let signature = '';
  let failing = false;

  async function read(): Promise<void> {
    const answers = await options.curated.list();
    const next = signatureOf(answers);
    if (next === signature) return;
    if (answers.length && !matcher) {
      analyzer ??= options.loadAnalyzer();
      matcher = createCuratedMatcher<CuratedAnswer>({ analyzer: await analyzer });
    }
    matcher?.replace(answers);
    signature = next;
    logger.info('curated answers loaded', { count: answers.length });
  }

  /**
   * Reads queue one after another, so a reload asked for after a save reads what was saved
   * (not a read already under way); a store that cannot be read keeps the last answers and is
   * logged once per outage.
   */
  let chain = Promise.resolve();
  let busy = false;
  const readLogged = async () => {
    busy = true;
    try {
      await read();
      failing = false;
    } catch (error) {
      if (!failing) logger.error('curated answers could not be read from the store', { error });
      failing = true;
    } finally {
      busy = false;
    }
  };
  const reload = () => (chain = chain.then(readLogged));

  const ready = reload();
  // The timer skips a beat while a read is slow rather than queue reads behind it.
  const timer = setInterval(() => void (busy || reload()), options.reloadMs ?? 3000);
  // A script or a test that is done must not be held open by the reload.
  timer.unref();
  return {
    match: (question) => matcher?.match(question),
    reload,
    ready,
    close: () => clearInterval(timer),
  };
}

