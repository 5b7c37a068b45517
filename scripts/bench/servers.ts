/**
 * The servers under test, each its own process on 127.0.0.1: the bot as `npm start` runs it
 * (src/main.ts: real LINE route, real Slack channel, offline answers) with its LINE and Slack
 * APIs pointed at the fakes, and the do-nothing floor. Also the cold-start measurement, which
 * starts the bot exactly as README says (`npx tsx src/main.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_LINE_SECRET, BENCH_LINE_TOKEN, BENCH_SLACK_SECRET, BENCH_SLACK_TOKEN } from './events.js';
import { freePort, ROOT, spawnTs, stop, track, waitReady } from './processes.js';

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
  const entry = kind === 'bot' ? 'src/main.ts' : 'scripts/bench/floor-server.ts';
  const child = spawnTs(entry, [], serverEnv(fakes, port, indexDir, workDir), ['ignore', log, log]);
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

/** Spawn of `npx tsx src/main.ts` to its first /readyz 200, in ms; the index already exists. */
export async function measureColdStart(fakes: Fakes, indexDir: string, workDir: string): Promise<number> {
  const port = await freePort();
  const log = fs.openSync(path.join(workDir, 'cold-start.log'), 'a');
  const started = performance.now();
  // Detached: npx starts tsx, which starts node; stopping the group stops all three.
  const child = track(spawn('npx', ['tsx', 'src/main.ts'], { cwd: ROOT, env: serverEnv(fakes, port, indexDir, workDir), stdio: ['ignore', log, log], detached: true }), true);
  fs.closeSync(log);
  try {
    const ready = await waitReady(`http://127.0.0.1:${port}`, child, 30_000, 10);
    return ready - started;
  } finally {
    await stop(child, 3000, true);
  }
}
