import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, textEvent, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const calls = (path: string) => h.api.calls.filter((c) => c.path === path).map((c) => c.status);

describe('LINE delivery: retries and the push fallback', () => {
  it('retries a reply that got 500, then delivers it once', async () => {
    h = await startHarness();
    h.api.failNext(1, 500, { path: '/v2/bot/message/reply' });
    const e = textEvent('休眠預金とは？');
    await h.deliver(e);
    expect(calls('/v2/bot/message/reply')).toEqual([500, 200]);
    expect(h.replies()[0].body.replyToken).toBe(e.replyToken);
    expect(h.pushes()).toEqual([]);
    expect(h.logLines.some((l) => l.includes('retrying') && l.includes('"status":500'))).toBe(true);
  });

  it('waits as Retry-After says on 429, capped', async () => {
    const delays: number[] = [];
    h = await startHarness({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 3_000 }, sleep: async (ms) => void delays.push(ms) });
    h.api.failNext(1, 429, { path: '/v2/bot/message/reply', retryAfter: '2' });
    h.api.failNext(1, 429, { path: '/v2/bot/message/reply', retryAfter: '120' });
    await h.deliver(textEvent('休眠預金とは？'));
    expect(calls('/v2/bot/message/reply')).toEqual([429, 429, 200]);
    expect(delays).toEqual([2_000, 3_000]);
  });

  it('pushes to the user when the reply token is rejected', async () => {
    h = await startHarness();
    h.api.failNext(1, 'invalid-reply-token', { path: '/v2/bot/message/reply' });
    await h.deliver(textEvent('休眠預金とは？'));
    expect(calls('/v2/bot/message/reply')).toEqual([400]); // a 400 is not retried: the token is spent
    const [push] = h.pushes();
    expect(push.body.to).toBe('U-alice');
    expect(push.body.messages[0].text).toContain('休眠預金とは');
    expect(push.headers['x-line-retry-key']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pushes to the group, not the user, when a group reply fails', async () => {
    h = await startHarness();
    h.api.failNext(1, 'invalid-reply-token', { path: '/v2/bot/message/reply' });
    await h.deliver(textEvent('?休眠預金とは？', { source: { type: 'group', groupId: 'G1', userId: 'U-alice' } }));
    expect(h.pushes().map((p) => p.body.to)).toEqual(['G1']);
  });

  it('pushes straight away when the answer took longer than the reply token lives', async () => {
    let clock = Date.now();
    h = await startHarness({
      now: () => clock,
      respond: async (q) => {
        clock += 55_000; // a slow language model
        return (await import('./harness.js')).answerFor(q);
      },
    });
    await h.deliver(textEvent('休眠預金とは？', { timestamp: clock }));
    expect(calls('/v2/bot/message/reply')).toEqual([]);
    expect(h.pushes()).toHaveLength(1);
  });

  it('keeps one retry key across push retries, and gives up after a bounded number', async () => {
    h = await startHarness({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 5 } });
    h.api.failNext(1, 'invalid-reply-token', { path: '/v2/bot/message/reply' });
    h.api.failNext(2, 500, { path: '/v2/bot/message/push' });
    await h.deliver(textEvent('休眠預金とは？'));
    const pushes = h.api.calls.filter((c) => c.path === '/v2/bot/message/push');
    expect(pushes.map((p) => p.status)).toEqual([500, 500, 200]);
    expect(new Set(pushes.map((p) => p.headers['x-line-retry-key'])).size).toBe(1);

    h.api.failNext(1, 'invalid-reply-token', { path: '/v2/bot/message/reply' });
    h.api.failNext(10, 500, { path: '/v2/bot/message/push' });
    await h.deliver(textEvent('認定NPO法人とは？'));
    expect(calls('/v2/bot/message/push')).toHaveLength(6); // 3 before, 3 now: bounded
    const failure = h.logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'LINE API call failed');
    expect(failure).toMatchObject({ level: 'error', status: 500, body: expect.stringContaining('Internal server error') });
  });

  it('treats 409 on a push retry as delivered (the retry key was already accepted)', async () => {
    h = await startHarness();
    h.api.failNext(1, 'invalid-reply-token', { path: '/v2/bot/message/reply' });
    h.api.failNext(1, 500, { path: '/v2/bot/message/push' });
    h.api.failNext(1, 409, { path: '/v2/bot/message/push' });
    await h.deliver(textEvent('休眠預金とは？'));
    expect(calls('/v2/bot/message/push')).toEqual([500, 409]);
    expect(h.logLines.some((l) => l.includes('"level":"error"'))).toBe(false);
  });

  it('still answers when the loading animation fails', async () => {
    h = await startHarness();
    h.api.failNext(1, 500, { path: '/v2/bot/chat/loading/start' });
    await h.deliver(textEvent('休眠預金とは？'));
    expect(calls('/v2/bot/chat/loading/start')).toEqual([500]);
    expect(h.replies()).toHaveLength(1);
  });
});
