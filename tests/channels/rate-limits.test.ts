/**
 * One per-user limit, counted by the conversation layer the same way on Slack, LINE and the
 * JSON API: with 2 questions a minute, a user's third question is refused with the reason
 * (once, in a chat; on every request, in the API), and another user is still answered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/conversation/notices.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import { answerFor, startHarness as startLine, textEvent } from './line/harness.js';
import { eventEnvelope, sendEvent, startHarness as startSlack } from './slack/harness.js';
import { startWebServer } from './web/harness.js';

const LIMIT = { questionsPerMinute: 2 };
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('per-user limits, the same on every channel', () => {
  it('LINE: answers two, tells the user why once, then stays quiet; another user is answered', async () => {
    const h = await startLine({ limits: LIMIT });
    closers.push(h.close);
    for (let i = 0; i < 4; i++) await h.deliver(textEvent(`休眠預金の質問${i}`));
    await h.deliver(textEvent('休眠預金とは？', { source: { type: 'user', userId: 'U-bob' } }));
    const texts = h.replies().map((r) => r.body.messages[0].text as string);
    expect(texts.filter((t) => t === MESSAGES.rateLimited)).toHaveLength(1);
    expect(texts).toHaveLength(4);
    expect(h.asked.map((a) => a.question)).toEqual(['休眠預金の質問0', '休眠預金の質問1', '休眠預金とは？']);
  });

  it('Slack: answers two mentions, tells the user why once in the thread, then stays quiet; another user is answered', async () => {
    const h = await startSlack(undefined, { limits: LIMIT });
    closers.push(h.close);
    const mention = (user: string, i: number) => ({
      type: 'app_mention',
      user,
      text: `<@UBOT> 協働の質問${i}`,
      ts: `1700000600.00000${i}`,
      channel: 'C1',
      event_ts: `1700000600.00000${i}`,
    });
    // One at a time, as a person types: each is answered (or not) before the next arrives.
    for (const [user, i] of [['U1', 0], ['U1', 1], ['U1', 2], ['U1', 3], ['U2', 5]] as const) {
      await sendEvent(h, eventEnvelope(mention(user, i)));
      await h.channel.idle();
    }
    const posts = h.fake.callsTo('chat.postMessage');
    expect(posts).toHaveLength(4);
    const told = posts.filter((p) => p.args.text === MESSAGES.rateLimited);
    expect(told).toHaveLength(1);
    expect(told[0].args.thread_ts).toBe('1700000600.000002');
    expect(h.asked.map((a) => a.question)).toEqual(['協働の質問0', '協働の質問1', '協働の質問5']);
  });

  it('JSON API: answers two, then 429 with the reason on each request; another client is answered', async () => {
    // One proxy in front, whose X-Forwarded-For names the client.
    const server = await startWebServer({ answers: createFixedAnswerService((q) => answerFor(q)), limits: LIMIT, trustProxy: { hops: 1 } });
    closers.push(server.close);
    const ask = (client: string) =>
      fetch(`${server.baseUrl}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': client }, body: JSON.stringify({ question: '休眠預金とは？' }) });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask('10.0.0.1')).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(await (await ask('10.0.0.1')).json()).toEqual({ error: 'rate_limited', message: MESSAGES.rateLimited });
    expect((await ask('10.0.0.2')).status).toBe(200);
  });
});
