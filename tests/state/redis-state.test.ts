/**
 * Two LINE instances (each its own HTTP server, as two replicas behind a load balancer) share
 * one real redis-server and one fake LINE API.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLineChannel } from '../../src/channels/line/index.js';
import { createLogger } from '../../src/logger.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import type { AnswerContext, Turn } from '../../src/qa/types.js';
import { createHttpServer } from '../../src/server.js';
import { createRedisState, type RedisState } from '../../src/state/redis-state.js';
import { startFakeLineApi, type FakeLineApi } from '../fakes/fake-line-api.js';
import { answerFor, sign, SECRET, textEvent } from '../channels/line/harness.js';
import { testConversation, testHasher } from '../helpers/conversation.js';
import { REDIS_SERVER_BIN, SKIP_REDIS_MESSAGE, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

if (!REDIS_SERVER_BIN) console.warn(SKIP_REDIS_MESSAGE);

async function startInstance(name: string, state: RedisState, api: FakeLineApi, logLines: string[]) {
  const asked: Array<{ question: string; context?: AnswerContext }> = [];
  const logger = createLogger('debug', (line) => logLines.push(`${name} ${line}`));
  const answers = createFixedAnswerService((question, context) => {
    asked.push({ question, context });
    return answerFor(question);
  });
  // Each replica its own conversation layer, over the one shared Redis state.
  const { conversation, followUpCalls } = testConversation(answers, { state, logger });
  const channel = createLineChannel({
    conversation,
    config: { channelSecret: SECRET, channelAccessToken: 'test-token', apiBaseURL: api.baseURL, groupPrefix: '?' },
    state,
    logger,
    hashUser: testHasher,
    retry: { baseDelayMs: 1, maxDelayMs: 20 },
  });
  const server = createHttpServer({ routes: channel.routes, logger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/line/webhook`;
  return {
    asked,
    followUpCalls: followUpCalls as Array<{ question: string; history: Turn[] }>,
    async deliver(...events: Record<string, unknown>[]) {
      const body = JSON.stringify({ destination: 'Ubot', events });
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': sign(body) }, body });
      await channel.whenIdle();
      return res.status;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe.skipIf(!REDIS_SERVER_BIN)('Redis short-lived state shared by two LINE instances', () => {
  let redis: RedisServer;
  let api: FakeLineApi | undefined;
  let run = 0;
  const states: RedisState[] = [];
  const closers: Array<() => Promise<void>> = [];
  let logLines: string[];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    for (const state of states.splice(0)) await state.close();
    await api?.close();
    api = undefined;
  });

  async function twoInstances() {
    logLines = [];
    const fake = (api = await startFakeLineApi());
    // Both replicas use one prefix (one bot); each test its own, so tests do not see each other's keys.
    const keyPrefix = `test${++run}:`;
    const a = createRedisState({ url: redis.url, logger: createLogger('silent'), keyPrefix });
    const b = createRedisState({ url: redis.url, logger: createLogger('debug', (l) => logLines.push(`state-b ${l}`)), keyPrefix });
    states.push(a, b);
    expect(await a.ready(5000)).toBe(true);
    expect(await b.ready(5000)).toBe(true);
    const instanceA = await startInstance('A', a, fake, logLines);
    const instanceB = await startInstance('B', b, fake, logLines);
    closers.push(instanceA.close, instanceB.close);
    return { instanceA, instanceB, stateB: b, api: fake };
  }

  it('answers a redelivered event once, though the redelivery reaches the other instance', async () => {
    const { instanceA, instanceB, api } = await twoInstances();
    const first = textEvent('休眠預金とは何ですか？');
    expect(await instanceA.deliver(first)).toBe(200);
    const redelivery = { ...first, deliveryContext: { isRedelivery: true } };
    expect(await instanceB.deliver(redelivery)).toBe(200);

    expect(instanceA.asked).toHaveLength(1);
    expect(instanceB.asked).toHaveLength(0);
    expect(api.ok('/v2/bot/message/reply')).toHaveLength(1);
    expect(logLines.some((l) => l.startsWith('B ') && l.includes('duplicate event skipped'))).toBe(true);
  });

  it('keeps a conversation across instances: the follow-up on B is read against the turn on A', async () => {
    const { instanceA, instanceB } = await twoInstances();
    await instanceA.deliver(textEvent('休眠預金とは何ですか？', { source: { type: 'user', userId: 'U-carol' } }));
    await instanceB.deliver(textEvent('どう使われますか？', { source: { type: 'user', userId: 'U-carol' } }));

    expect(instanceB.asked).toHaveLength(1);
    const history = instanceB.followUpCalls[0]?.history ?? [];
    expect(history.map((t) => t.question)).toEqual(['休眠預金とは何ですか？']);
    expect(history[0].answer).toContain('休眠預金');
    // Another user's conversation stays apart: no history, so no follow-up step.
    await instanceB.deliver(textEvent('どう使われますか？', { source: { type: 'user', userId: 'U-dave' } }));
    expect(instanceB.asked).toHaveLength(2);
    expect(instanceB.followUpCalls).toHaveLength(1);
  });

  it('counts rate-limit hits across instances, and the counter expires', async () => {
    const keyPrefix = `rate${++run}:`;
    const a = createRedisState({ url: redis.url, logger: createLogger('silent'), keyPrefix });
    const b = createRedisState({ url: redis.url, logger: createLogger('silent'), keyPrefix });
    states.push(a, b);
    await Promise.all([a.ready(5000), b.ready(5000)]);
    expect([await a.hit('u', 300), await b.hit('u', 300), await a.hit('u', 300)]).toEqual([1, 2, 3]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await b.hit('u', 300)).toBe(1);
  });

  it('falls back to memory when Redis dies mid-run, still answers, logs once, and uses Redis again when it returns', async () => {
    const { instanceB, stateB, api } = await twoInstances();
    await instanceB.deliver(textEvent('休眠預金とは何ですか？'));
    expect(api.ok('/v2/bot/message/reply')).toHaveLength(1);

    await redis.kill();
    // Requests are still answered, from the in-memory fallback.
    expect(await instanceB.deliver(textEvent('認定NPO法人とは？'))).toBe(200);
    expect(await instanceB.deliver(textEvent('協働とは？'))).toBe(200);
    expect(api.ok('/v2/bot/message/reply')).toHaveLength(3);
    expect(stateB.degraded()).toBe(true);
    // The fallback still de-duplicates.
    const again = textEvent('寄附とは？');
    await instanceB.deliver(again);
    await instanceB.deliver({ ...again, deliveryContext: { isRedelivery: true } });
    expect(api.ok('/v2/bot/message/reply')).toHaveLength(4);
    const outageLines = logLines.filter((l) => l.includes('redis unavailable'));
    expect(outageLines).toHaveLength(1);
    expect(JSON.parse(outageLines[0].slice('state-b '.length))).toMatchObject({ level: 'warn' });

    await redis.restart();
    await expect.poll(() => stateB.degraded(), { timeout: 10_000, interval: 100 }).toBe(false);
    expect(logLines.some((l) => /redis (reconnected|answers again)/.test(l))).toBe(true);
    const afterReturn = textEvent('中間支援とは？');
    await instanceB.deliver(afterReturn);
    expect(await stateB.claimOnce(`line:event:${afterReturn.webhookEventId}`, 60_000)).toBe(false); // the claim went to Redis
    expect(api.ok('/v2/bot/message/reply')).toHaveLength(5);
  }, 30_000);
});
