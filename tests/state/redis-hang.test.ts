/**
 * A hung Redis (issue 13, defect 3): the real server (`npm run dev`'s command, sources through
 * tsx) with LINE on the fake LINE API and REDIS_URL on a real redis-server, which is then
 * stopped with SIGSTOP — its connections stay open and nothing answers, as with a stalled host.
 * During the hang /api/ask and LINE events are answered from this process's memory, one
 * warning is logged (not one per call) and /readyz says degraded (still 200); after SIGCONT
 * the bot goes back to Redis by itself.
 */
import { createHmac } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLineApi, type FakeLineApi } from '../../src/testing/fake-line-api.js';
import { startBotProcess, until, type BotProcess } from '../helpers/bot-process.js';
import { REDIS_SERVER_BIN, SKIP_REDIS_MESSAGE, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { offlineBotEnv, tempIndex, type TempIndex } from '../helpers/temp-index.js';
import { NODE_TSX } from '../index/run-cli.js';

if (!REDIS_SERVER_BIN) console.warn(SKIP_REDIS_MESSAGE);

const SECRET = 'redis-hang-secret';
const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('base64');

let live: TempIndex;
let redis: RedisServer;
let api: FakeLineApi;
let bot: BotProcess;

beforeAll(async () => {
  if (!REDIS_SERVER_BIN) return;
  live = await tempIndex();
  redis = await startRedisServer();
  api = await startFakeLineApi();
  bot = await startBotProcess(
    [...NODE_TSX, 'src/main.ts'],
    offlineBotEnv(live.dir, { LOG_LEVEL: 'info', ANSWER_WORKERS: '1', REDIS_URL: redis.url, LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 'test-token', LINE_API_BASE_URL: api.baseURL }),
  );
}, 120_000);

afterAll(async () => {
  bot?.killGroup();
  await redis?.stop();
  await api?.close();
  await live?.cleanup();
});

let seq = 0;
/** Sends one LINE event; resolves with its webhookEventId once the fake API has its reply. */
async function lineQuestion(): Promise<string> {
  seq += 1;
  const id = `01HANG${process.pid}${seq}`;
  const token = `hang-token-${seq}`;
  const event = {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: id,
    deliveryContext: { isRedelivery: false },
    replyToken: token,
    source: { type: 'user', userId: `U-hang-${seq}` },
    message: { type: 'text', id: `m${seq}`, text: '休眠預金とは何ですか', quoteToken: 'q' },
  };
  const body = JSON.stringify({ destination: 'Ubot', events: [event] });
  const res = await fetch(`${bot.url}/line/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': sign(body) }, body });
  expect(res.status).toBe(200);
  await until(() => api.ok('/v2/bot/message/reply').some((c) => c.body.replyToken === token), `the reply to ${id}`, 5_000, bot.stderr);
  return id;
}

async function apiQuestion(): Promise<number> {
  const res = await fetch(`${bot.url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ question: '休眠預金とは何ですか', conversationId: `redis-hang-${seq}` }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { answer?: string };
  expect(body.answer, JSON.stringify(body)).toBeTruthy();
  return res.status;
}

const readyz = async () => (await fetch(`${bot.url}/readyz`)).json() as Promise<{ ready: boolean; redis?: string }>;
const redisWarnings = () => bot.logs().filter((l) => l.level === 'warn' && l.msg.startsWith('redis unavailable'));

describe.skipIf(!REDIS_SERVER_BIN)('a hung Redis', () => {
  it('is bypassed with one warning while it hangs, and used again once it answers', async () => {
    const peek = createClient({ url: redis.url });
    await peek.connect();
    try {
      // Healthy: the dedupe claim of a LINE event is in Redis.
      expect(await readyz()).toMatchObject({ ready: true, redis: 'ok' });
      const before = await lineQuestion();
      expect(await peek.exists(`kenmin:line:event:${before}`)).toBe(1);

      redis.pause();
      const hungAt = Date.now();
      try {
        expect(await apiQuestion()).toBe(200);
        for (let n = 0; n < 5; n++) await lineQuestion();
        expect(await apiQuestion()).toBe(200);
        const during = await fetch(`${bot.url}/readyz`);
        expect(during.status).toBe(200);
        expect(await during.json()).toMatchObject({ ready: true, redis: 'degraded' });
        // Stay hung a few seconds, answering all the while.
        while (Date.now() - hungAt < 4_000) {
          await lineQuestion();
          await new Promise((r) => setTimeout(r, 300));
        }
        // One warning per Redis client, not per call: the server thread's (event claims) and its one
        // answer worker's (conversations, rate limits) each say it once.
        expect(redisWarnings().length).toBeGreaterThanOrEqual(1);
        expect(redisWarnings().length).toBeLessThanOrEqual(2);
      } finally {
        redis.resume();
      }

      await until(async () => (await readyz()).redis === 'ok', '/readyz to say redis ok again', 10_000, bot.stderr);
      expect(bot.logs().some((l) => l.msg.startsWith('redis answers again'))).toBe(true);
      // Back on Redis: a new event's claim is stored there again.
      const after = await lineQuestion();
      expect(await peek.exists(`kenmin:line:event:${after}`)).toBe(1);
      expect(redisWarnings().length).toBeLessThanOrEqual(2);
    } finally {
      await peek.close();
    }
  }, 60_000);
});
