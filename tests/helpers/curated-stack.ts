/**
 * The curated answers as the bot keeps them, for channel tests: a real SQLite store in a temp
 * directory and the live matcher over it, with the real analyzer (kuromoji, loaded once per
 * test file and shared).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLiveCuratedMatcher, type LiveCuratedMatcher } from '../../src/app/live-curated.js';
import { loadTextStack } from '../../src/app/text-stack.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { BotStore } from '../../src/store/store.js';
import type { Analyzer } from '../../src/text/analyzer.js';

let analyzer: Promise<Analyzer> | undefined;
const sharedAnalyzer = () => (analyzer ??= loadTextStack(loadConfig({})).then((stack) => stack.analyzer));

export interface CuratedStack {
  store: BotStore;
  matcher: LiveCuratedMatcher;
  close(): Promise<void>;
}

export async function openCuratedStack(): Promise<CuratedStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-curated-channel-'));
  const store = await openSqliteStore({ path: path.join(dir, 'bot.sqlite'), salt: 'test-user-hash-salt', logger: silentLogger });
  // The timer is far off: these tests see saves through the channels' reload, as a replica does.
  const matcher = createLiveCuratedMatcher({ curated: store.curated, loadAnalyzer: sharedAnalyzer, reloadMs: 60_000, logger: silentLogger });
  await matcher.ready;
  return {
    store,
    matcher,
    async close() {
      matcher.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
