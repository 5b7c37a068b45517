/**
 * `npm start` as an operator meets it: one plain line on stdout with the address to open, and
 * probes of /healthz and /readyz (a load balancer's, the web page's) kept out of the info log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { offlineBotEnv, tempIndex, type TempIndex } from '../helpers/temp-index.js';
import { NODE_TSX } from '../index/run-cli.js';

let live: TempIndex;
let server: ChildProcess;
let stdout = '';
let stderr = '';

async function until(ok: () => boolean | Promise<boolean>, what: string, ms = 45_000) {
  const end = Date.now() + ms;
  while (!(await Promise.resolve(ok()).catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stderr:\n${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  live = await tempIndex();
  // PORT 0: the system picks a free port, and the printed address must name the real one.
  server = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: offlineBotEnv(live.dir, { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  server.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(stdout), 'the address on stdout');
}, 90_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await live?.cleanup();
});

describe('npm start', () => {
  it('prints the page address on stdout, and logs probes only at debug', async () => {
    const url = stdout.match(/http:\/\/127\.0\.0\.1:\d+\//)![0];
    expect(stdout).toMatch(/^Web page: http/m);
    expect((await fetch(url)).status).toBe(200);
    await until(async () => (await fetch(`${url}readyz`)).status === 200, '/readyz 200');
    for (let i = 0; i < 5; i++) expect((await fetch(`${url}healthz`)).status).toBe(200);
    await fetch(`${url}nowhere`);
    await until(() => stderr.includes('"/nowhere"'), 'the 404 request line');
    const requests = stderr.split('\n').filter((l) => l.includes('"msg":"request"'));
    expect(requests.some((l) => l.includes('"path":"/nowhere"'))).toBe(true);
    expect(requests.filter((l) => /"path":"\/(healthz|readyz)"/.test(l))).toEqual([]);
  }, 60_000);
});
