/**
 * One malformed event in a webhook batch (LINE signs what it sends, but a bug upstream or a
 * replayed test payload can still carry a null message or a numeric id) costs that event
 * alone: the valid events after it, in the same chat or another, are answered.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEXT } from '../../../src/channels/line/messages.js';
import { createMemoryState, type ShortLivedState } from '../../../src/state/short-lived-state.js';
import { event, startHarness, textEvent, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const GOOD = '休眠預金とは何ですか？';
const repliesTo = (token: unknown) => h.replies().filter((r) => r.body.replyToken === token);

describe('LINE webhook: a malformed event in a batch', () => {
  const malformed: Array<[string, Record<string, unknown>]> = [
    ['a null message', { message: null }],
    ['a numeric text', { message: { type: 'text', id: 'm-bad', text: 42, quoteToken: 'q' } }],
    ['a postback without its data', { type: 'postback', postback: null }],
    ['a group message with mentionees that are not a list', { source: { type: 'group', groupId: 'G-team', userId: 'U-alice' }, message: { type: 'text', id: 'm-bad', text: '?x', mention: { mentionees: 5 } } }],
  ];
  for (const [what, overrides] of malformed) {
    it(`${what}, then a good event: the good one is answered`, async () => {
      const bad = event(overrides);
      const good = textEvent(GOOD);
      const res = await h.deliver(bad, good);
      expect(res.status).toBe(200);
      expect(h.asked.map((a) => a.question)).toContain(GOOD);
      const [reply] = repliesTo(good.replyToken);
      expect(reply.body.messages[0].text).toContain('休眠預金');
      expect(reply.body.messages[0].text).not.toBe(TEXT.apology);
      // The bad event gets an apology at most, never someone else's answer.
      for (const r of repliesTo(bad.replyToken)) expect(r.body.messages[0].text).toBe(TEXT.apology);
    });
  }

  it('a numeric userId in a group, then a good message in the same group: both are read, the good one answered', async () => {
    const group = (userId: unknown) => ({ type: 'group', groupId: 'G-team', userId });
    const bad = textEvent('?休眠預金の使い道は？', { source: group(12345) });
    const good = textEvent(`?${GOOD}`, { source: group('U-alice') });
    await h.deliver(bad, good);
    expect(h.asked.map((a) => a.question)).toContain(GOOD);
    expect(repliesTo(good.replyToken)).toHaveLength(1);
    expect(repliesTo(good.replyToken)[0].body.messages[0].text).not.toBe(TEXT.apology);
  });

  it('the dedupe claim of one event fails (the state store is gone): that event is apologised for, the next in the chat is answered', async () => {
    const memory = createMemoryState();
    const bad = textEvent('休眠預金の使い道は？');
    // The store fails for the first event's claim alone, as a dropped connection would.
    const flaky: ShortLivedState = {
      ...memory,
      claimOnce: async (key, ttlMs) => {
        if (key === `line:event:${bad.webhookEventId}`) throw new Error('connection lost');
        return memory.claimOnce(key, ttlMs);
      },
    };
    const flakyHarness = await startHarness({ state: flaky });
    try {
      const good = textEvent(GOOD);
      await flakyHarness.deliver(bad, good);
      const replies = flakyHarness.replies();
      expect(replies.map((r) => r.body.replyToken)).toEqual([bad.replyToken, good.replyToken]);
      expect(replies[0].body.messages[0].text).toBe(TEXT.apology);
      expect(replies[1].body.messages[0].text).toContain('休眠預金');
      expect(flakyHarness.asked.map((a) => a.question)).toEqual([GOOD]);
    } finally {
      await flakyHarness.close();
    }
  });
});
