/**
 * The server under more LINE events than its worker can answer: the real server (src/main.ts,
 * one answer worker) with its LINE client pointed at a fake LINE API that answers every call
 * 300 ms late, so each answer holds a worker slot. 400 signed webhooks arrive at once. Every
 * one is acknowledged; every acknowledged event then gets exactly one message — its answer, or
 * the busy notice when it would have waited past ANSWER_QUEUE_MAX_WAIT_MS — none lost, none twice.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { MESSAGES } from '../../src/conversation/notices.js';
import { startFakeLineApi, type FakeLineApi } from '../fakes/fake-line-api.js';
import { offlineBotEnv, tempIndex, type TempIndex } from '../helpers/temp-index.js';
import { NODE_TSX } from '../index/run-cli.js';

const SECRET = 'overload-secret';
const EVENTS = 400;

let live: TempIndex;
let api: FakeLineApi;
let server: ChildProcess;
let base = '';
let stderr = '';

async function until(ok: () => boolean | Promise<boolean>, what: string, ms: number) {
  const end = Date.now() + ms;
  while (!(await Promise.resolve(ok()).catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stderr:\n${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  live = await tempIndex();
  api = await startFakeLineApi({ messageDelayMs: 300 });
  server = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: offlineBotEnv(live.dir, {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LINE_CHANNEL_SECRET: SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: 'test-token',
      LINE_API_BASE_URL: api.baseURL,
      ANSWER_WORKERS: '1',
      ANSWER_QUEUE_MAX_WAIT_MS: '1500',
      // Every event comes from its own user: the per-user limit is not what is tested here.
      USER_RATE_LIMIT_PER_MINUTE: '1000',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  server.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  server.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(stdout), 'the address on stdout', 45_000);
  base = stdout.match(/http:\/\/127\.0\.0\.1:\d+/)![0];
  await until(async () => (await fetch(`${base}/readyz`)).status === 200, '/readyz 200', 45_000);
}, 120_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await api?.close();
  await live?.cleanup();
});

function webhook(i: number): { body: string; signature: string } {
  const event = {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: `01OVERLOAD${i}`,
    deliveryContext: { isRedelivery: false },
    replyToken: `overload-token-${i}`,
    source: { type: 'user', userId: `U-overload-${i}` },
    message: { type: 'text', id: `m${i}`, text: '休眠預金とは何ですか', quoteToken: 'q' },
  };
  const body = JSON.stringify({ destination: 'Ubot', events: [event] });
  return { body, signature: createHmac('sha256', SECRET).update(body).digest('base64') };
}

describe('server under overload', () => {
  it('acknowledges every event, then answers each once or tells it the bot is busy', async () => {
    const statuses = await Promise.all(
      Array.from({ length: EVENTS }, async (_, i) => {
        const { body, signature } = webhook(i);
        const res = await fetch(`${base}/line/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': signature }, body });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const messagesOf = (i: number) => [
      ...api.ok('/v2/bot/message/reply').filter((c) => c.body.replyToken === `overload-token-${i}`),
      ...api.ok('/v2/bot/message/push').filter((c) => c.body.to === `U-overload-${i}`),
    ];
    await until(() => Array.from({ length: EVENTS }, (_, i) => i).every((i) => messagesOf(i).length > 0), 'a message for every event', 90_000);
    // A last look for doubles sent late.
    await new Promise((r) => setTimeout(r, 1500));

    const sent = Array.from({ length: EVENTS }, (_, i) => messagesOf(i));
    expect(sent.filter((m) => m.length !== 1).length).toBe(0);
    const texts = sent.map(([call]) => call.body.messages[0].text as string);
    const busy = texts.filter((t) => t === MESSAGES.busy).length;
    const answered = texts.filter((t) => t.includes('休眠預金')).length;
    expect(busy + answered).toBe(EVENTS);
    // More came than one slow worker could answer in 1.5 s, and it answered what it could.
    expect(busy).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(0);
    expect(stderr).toContain('answers busy');
  }, 150_000);
});
