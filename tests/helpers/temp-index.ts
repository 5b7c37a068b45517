/**
 * A real index of the real plan, built in a temporary folder under os.tmpdir(): once per test
 * file (vitest runs each file in its own process, so the memo is per file), removed after.
 * Building takes a few seconds (kuromoji's dictionary alone about 1 s).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildCurrentPlan } from '../../src/app/engine-loader.js';
import { createDefaultAnswerService, type LocalAnswers } from '../../src/app/local-answers.js';
import { loadTextStack, type TextStack } from '../../src/app/text-stack.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { IndexManifest } from '../../src/index/manifest.js';
import { silentLogger } from '../../src/logger.js';
import type { AnswerService } from '../../src/qa/types.js';

/**
 * What every bot the tests start gets unless a test says otherwise. The suite runs many
 * processes side by side: a bot whose answer worker yields the CPU to all of them
 * (ANSWER_WORKER_NICE's default, 10) answers later than the tests' waits allow on a loaded
 * machine. The lowering itself is tests/app/thread-priority.test.ts's, its effect the bench's.
 */
export const TEST_BOT_DEFAULTS = { ANSWER_WORKER_NICE: '0' } as const;

/**
 * The environment of every bot, script and config the tests start: the developer's shell
 * without what would reach beyond this machine or into their own data (a model's key, LINE,
 * Slack, Redis, a database) or point the bot elsewhere (its index, corpus, port, store), with
 * TEST_BOT_DEFAULTS under the test's own `extra`. Tests never leave 127.0.0.1.
 */
export function offlineEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!NOT_INHERITED.test(name)) env[name] = value;
  return { ...TEST_BOT_DEFAULTS, ...env, ...extra };
}
const NOT_INHERITED = /^(OPENAI_|LLM_|EMBEDDINGS_|LINE_|SLACK_|REDIS_|CURATED_|DATABASE_URL$|DATA_DB_PATH$|INDEX_DIR$|CORPUS_DIR$|PORT$|HOST$)/;

/** A bot with no model and no channels on the index in `indexDir`, its store in memory, logging warnings. */
export function offlineBotEnv(indexDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return offlineEnv({ INDEX_DIR: indexDir, LOG_LEVEL: 'warn', DATA_DB_PATH: ':memory:', ...extra });
}

export const makeTempDir = (prefix: string) => fs.mkdtemp(path.join(os.tmpdir(), `kenmin-${prefix}-`));

export interface TempIndex {
  dir: string;
  config: Config;
  stack: TextStack;
  manifest: IndexManifest;
  cleanup(): Promise<void>;
}

let built: Promise<TempIndex> | undefined;

/** The plan of corpus/plans.json, built into a fresh folder and made live there. */
export function tempIndex(): Promise<TempIndex> {
  built ??= (async () => {
    const dir = await makeTempDir('index');
    const config = loadConfig(offlineEnv({ INDEX_DIR: dir }));
    const stack = await loadTextStack(config);
    const manifest = await buildCurrentPlan(config, stack, silentLogger);
    return { dir, config, stack, manifest, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
  })();
  return built;
}

let service: Promise<{ answers: AnswerService; followUps: LocalAnswers['followUps']; dir: string; cleanup(): Promise<void> }> | undefined;

/** The answer service and follow-up step the bot runs, as `npm start` wires them (it builds the missing index itself). */
export function tempAnswerService() {
  service ??= (async () => {
    const dir = await makeTempDir('answers');
    const { answers, followUps } = await createDefaultAnswerService(loadConfig(offlineEnv({ INDEX_DIR: dir })), silentLogger);
    return { answers, followUps, dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
  })();
  return service;
}

/** Every entry under `dir` with its size and modification time: equal snapshots mean nothing there was written, renamed or removed. */
export async function snapshotDir(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const rows = await Promise.all(
    entries.map(async (e) => {
      const full = path.join(e.parentPath, e.name);
      const stat = await fs.stat(full);
      return `${path.relative(dir, full)}\t${e.isDirectory() ? 'dir' : stat.size}\t${stat.mtimeMs}`;
    }),
  );
  return rows.sort();
}
