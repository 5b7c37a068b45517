/**
 * The real server (`src/main.ts` as a child process) follows a new index without a restart:
 * questions keep being answered while v2 goes live, /readyz then names v2, and answers come
 * from v2's new text. A broken build activated afterwards is refused and v2 keeps answering.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTextStack } from '../../src/app/text-stack.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { buildIndex } from '../../src/index/build-index.js';
import { activateBuild, buildDir } from '../../src/index/index-paths.js';
import { ADDED_WORDS, writePlanVersions } from './plan-versions.js';
import { NODE_TSX } from './run-cli.js';
import { offlineBotEnv } from '../helpers/temp-index.js';

let tmp: string;
let indexDir: string;
let server: ChildProcess;
let base: string;
let logs = '';
const builds: Record<string, string> = {};
const NEW_QUESTION = `県民活動${ADDED_WORDS}とは何ですか`;

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });

async function ask(question: string) {
  const res = await fetch(`${base}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question }),
  });
  const body = (await res.json()) as { sources?: Array<{ text: string }> };
  return { status: res.status, texts: (body.sources ?? []).map((s) => s.text) };
}
const readyz = async () => (await (await fetch(`${base}/readyz`)).json()) as { ready: boolean; build?: string; planVersion?: string };

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await get().catch(() => undefined);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out; last value ${JSON.stringify(value)}; server log:\n${logs.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'live-swap-'));
  indexDir = path.join(tmp, 'index');
  const files = await writePlanVersions(tmp);
  const { analyzer } = await loadTextStack({ corpusDir: path.join(PROJECT_ROOT, 'corpus') });
  for (const v of ['v1', 'v2'] as const) {
    builds[v] = (await buildIndex({ sourceFile: files[v], planVersion: v, indexDir, analyzer })).build;
  }
  await activateBuild(indexDir, builds.v1);

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    // One client asks hundreds of questions a minute here: as a trusted integration would, unlimited.
    env: offlineBotEnv(indexDir, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', API_RATE_LIMIT_PER_MINUTE: '0', USER_RATE_LIMIT_PER_MINUTE: '10000' }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr!.on('data', (chunk) => (logs += chunk));
  await until(readyz, (r) => r.ready, 45_000);
}, 90_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('live swap under a running server', () => {
  it('answers every question while v2 goes live, then answers from v2', async () => {
    expect(await readyz()).toMatchObject({ build: builds.v1, planVersion: 'v1' });
    expect((await ask(NEW_QUESTION)).texts.join('')).not.toContain(ADDED_WORDS);

    let stop = false;
    const results: Array<{ status: number; texts: string[] }> = [];
    const worker = async () => {
      // Bounded in time, whatever happens to the swap (a count ran out before a slow swap in CI).
      const deadline = Date.now() + 40_000;
      for (let i = 0; !stop && Date.now() < deadline; i++) results.push(await ask(i % 2 ? '休眠預金とは何ですか' : NEW_QUESTION));
    };
    const workers = Promise.all([worker(), worker()]);
    await new Promise((r) => setTimeout(r, 300));
    await activateBuild(indexDir, builds.v2);
    await until(readyz, (r) => r.build === builds.v2, 20_000);
    // The clients keep asking until an answer comes from v2 (on a loaded machine an answer can
    // take longer than a fixed pause), then stop.
    const fromV2 = () => results.some((r) => r.texts.join('').includes(ADDED_WORDS));
    await until(async () => fromV2(), (seen) => seen, 20_000).catch(() => undefined);
    stop = true;
    await workers;

    expect(results.length).toBeGreaterThan(4);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.some((r) => r.texts.join('').includes(ADDED_WORDS))).toBe(true);
    expect(await readyz()).toMatchObject({ ready: true, build: builds.v2, planVersion: 'v2' });
    expect((await ask(NEW_QUESTION)).texts.join('')).toContain(ADDED_WORDS);
    expect(logs).toMatch(/index swapped/);
  }, 60_000);

  it('refuses a broken build and keeps answering from the live one', async () => {
    const broken = `${builds.v2}-broken`;
    await fs.cp(buildDir(indexDir, builds.v2), buildDir(indexDir, broken), { recursive: true });
    await fs.rm(path.join(buildDir(indexDir, broken), 'chunks.json'));
    await activateBuild(indexDir, broken);
    await until(async () => logs, (l) => l.includes('new index build not loaded'), 20_000);
    expect(await readyz()).toMatchObject({ build: builds.v2 });
    const answer = await ask('休眠預金とは何ですか');
    expect(answer.status).toBe(200);
    expect(answer.texts.length).toBeGreaterThan(0);
  });
});
