/**
 * The servers under test, each its own process on 127.0.0.1: the bot as `npm start` runs it
 * (`node dist/main.js`, compiled: real LINE route, real Slack channel, offline answers) with its
 * LINE and Slack APIs pointed at the fakes, and the do-nothing floor. Also the cold-start
 * measurement: `node dist/main.js` (what `npm start` execs) to its first /readyz 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_LINE_SECRET, BENCH_LINE_TOKEN, BENCH_SLACK_SECRET, BENCH_SLACK_TOKEN } from './events.js';
import { freePort, ROOT, spawnTs, stop, track, waitReady } from './processes.js';

/** What `npm start` runs. */
export const BOT_ENTRY = 'dist/main.js';

export interface Fakes {
  lineBaseURL: string;
  slackApiUrl: string;
}

export interface RunningServer {
  kind: 'bot' | 'floor';
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The bot's environment: offline (no model, no key), channels on the fakes, index and SQLite
 * store in the bench's temporary folder (never data/).
 */
export function serverEnv(fakes: Fakes, port: number, indexDir: string, workDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // Only what a shell needs; nothing of ours (OPENAI_*, LINE_*, SLACK_* …) leaks in from the caller.
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'NODE_OPTIONS', 'npm_config_cache']) if (process.env[key]) env[key] = process.env[key];
  return {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    INDEX_DIR: indexDir,
    DATA_DB_PATH: path.join(workDir, `bot-${port}.sqlite`),
    EMBEDDINGS_PROVIDER: 'offline',
    LOG_LEVEL: 'info',
    // The bench's own client asks hundreds of questions a minute from one address: it lifts
    // the per-client request limit (0: none) and the per-user question limit for itself, so
    // that what it measures is answering, not 429s.
    API_RATE_LIMIT_PER_MINUTE: '0',
    USER_RATE_LIMIT_PER_MINUTE: '10000',
    LINE_CHANNEL_SECRET: BENCH_LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: BENCH_LINE_TOKEN,
    LINE_API_BASE_URL: fakes.lineBaseURL,
    SLACK_BOT_TOKEN: BENCH_SLACK_TOKEN,
    SLACK_SIGNING_SECRET: BENCH_SLACK_SECRET,
    SLACK_API_URL: fakes.slackApiUrl,
  };
}

/** Starts the bot or the floor; its log (stderr, where our logger writes) goes to `<workDir>/<kind>.log`. */
export async function startServer(kind: 'bot' | 'floor', fakes: Fakes, indexDir: string, workDir: string): Promise<RunningServer> {
  const port = await freePort();
  const logFile = path.join(workDir, `${kind}.log`);
  const log = fs.openSync(logFile, 'a');
  const env = serverEnv(fakes, port, indexDir, workDir);
  const child =
    kind === 'bot'
      ? track(spawn(process.execPath, [BOT_ENTRY], { cwd: ROOT, env, stdio: ['ignore', log, log] }))
      : spawnTs('scripts/bench/floor-server.ts', [], env, ['ignore', log, log]);
  fs.closeSync(log);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(base, child, 60_000);
  } catch (error) {
    await stop(child);
    throw new Error(`${kind} server did not start (log: ${logFile}): ${(error as Error).message}`);
  }
  return { kind, base, child, stop: () => stop(child) };
}

/** Spawn of `node dist/main.js` to its first /readyz 200, in ms; the index already exists. */
export async function measureColdStart(fakes: Fakes, indexDir: string, workDir: string): Promise<number> {
  const port = await freePort();
  const log = fs.openSync(path.join(workDir, 'cold-start.log'), 'a');
  const started = performance.now();
  const child = track(spawn(process.execPath, [BOT_ENTRY], { cwd: ROOT, env: serverEnv(fakes, port, indexDir, workDir), stdio: ['ignore', log, log] }));
  fs.closeSync(log);
  try {
    const ready = await waitReady(`http://127.0.0.1:${port}`, child, 30_000, 10);
    return ready - started;
  } finally {
    await stop(child, 3000);
  }
}

/** The floor's cold start: the do-nothing server, compiled to nothing but node:http, to its first /readyz 200. */
export async function measureFloorColdStart(fakes: Fakes, indexDir: string, workDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnTs('scripts/bench/floor-server.ts', [], serverEnv(fakes, port, indexDir, workDir), 'ignore');
  try {
    const ready = await waitReady(`http://127.0.0.1:${port}`, child, 30_000, 10);
    return ready - started;
  } finally {
    await stop(child, 3000);
  }
}
