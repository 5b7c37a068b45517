import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { event, sign, startHarness, textEvent, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('LINE webhook: the door', () => {
  it('refuses a bad or missing signature with 401 and sends nothing', async () => {
    const body = JSON.stringify({ destination: 'Ubot', events: [event()] });
    const forged = await h.post(body, sign(body, 'another-secret'));
    const missing = await h.post(body, null);
    const garbage = await h.post(body, 'not base64 at all');
    await h.whenIdle();
    expect([forged.status, missing.status, garbage.status]).toEqual([401, 401, 401]);
    expect(h.api.calls).toEqual([]);
    expect(h.asked).toEqual([]);
  });

  it('checks the signature on the raw bytes: re-serialized JSON does not pass', async () => {
    const body = JSON.stringify({ destination: 'Ubot', events: [event()] }, null, 2);
    const res = await h.post(body, sign(JSON.stringify(JSON.parse(body))));
    expect(res.status).toBe(401);
  });

  it('answers 400 to a signed body that is not JSON, and keeps serving', async () => {
    const bad = await h.post('{"events": [');
    expect(bad.status).toBe(400);
    const notCallback = await h.post('{"hello": 1}');
    expect(notCallback.status).toBe(400);
    const good = await h.deliver(textEvent('休眠預金とは何ですか？'));
    expect(good.status).toBe(200);
    expect(h.replies()).toHaveLength(1);
  });

  it('answers 413 to a body over 1 MB without reading it', async () => {
    const body = JSON.stringify({ events: [], pad: 'x'.repeat(1_100_000) });
    const res = await h.post(body);
    expect(res.status).toBe(413);
    expect(h.api.calls).toEqual([]);
  });

  it('answers 200 at once, before the answer is ready', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = await startHarness({
      respond: async (q) => {
        await gate;
        return (await import('./harness.js')).answerFor(q);
      },
    });
    try {
      const body = JSON.stringify({ destination: 'Ubot', events: [textEvent('休眠預金とは？')] });
      const res = await slow.post(body);
      expect(res.status).toBe(200);
      expect(slow.replies()).toHaveLength(0);
      release();
      await slow.whenIdle();
      expect(slow.replies()).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it('answers 200 with no work to an empty batch (the console’s Verify button)', async () => {
    const res = await h.deliver();
    expect(res.status).toBe(200);
    expect(h.api.calls).toEqual([]);
  });

  it('answers a redelivered event once', async () => {
    const first = textEvent('休眠預金とは何ですか？', { webhookEventId: '01REDELIVERED' });
    await h.deliver(first);
    await h.deliver({ ...first, deliveryContext: { isRedelivery: true } });
    await h.deliver(first); // a plain duplicate, too
    expect(h.asked).toHaveLength(1);
    expect(h.replies()).toHaveLength(1);
    expect(h.logLines.some((l) => l.includes('duplicate event skipped'))).toBe(true);
  });

  it('handles every event of a batch, each with its own reply token', async () => {
    const a = textEvent('休眠預金とは？', { source: { type: 'user', userId: 'U-a' } });
    const b = textEvent('認定NPO法人になるには？', { source: { type: 'user', userId: 'U-b' } });
    const c = event({ type: 'follow', follow: { isUnblocked: false }, source: { type: 'user', userId: 'U-c' } });
    const d = textEvent('あいかさねっとって何？', { source: { type: 'user', userId: 'U-a' } });
    const res = await h.deliver(a, b, c, d);
    expect(res.status).toBe(200);
    const tokens = h.replies().map((r) => r.body.replyToken).sort();
    expect(tokens).toEqual([a.replyToken, b.replyToken, c.replyToken, d.replyToken].sort());
    // Same user's events stay in order: the second question sees the first as history.
    const second = h.followUpCalls.find((x) => x.question === 'あいかさねっとって何？');
    expect(second?.history.map((t) => t.question)).toEqual(['休眠預金とは？']);
  });

  it('ignores events in standby mode (another module owns the chat)', async () => {
    await h.deliver(textEvent('休眠預金とは？', { mode: 'standby' }));
    expect(h.api.calls).toEqual([]);
  });
});
