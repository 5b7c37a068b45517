import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventEnvelope, sampleAnswer, sendEvent, sendRaw, sign, startHarness, type Harness } from './harness.js';

const mention = (over: Record<string, unknown> = {}) => ({
  type: 'app_mention',
  user: 'U1',
  text: '<@UBOT> 協働とは &amp; 何？',
  ts: '1700000200.000200',
  channel: 'C1',
  event_ts: '1700000200.000200',
  ...over,
});
const dm = (over: Record<string, unknown> = {}) => ({
  type: 'message',
  channel_type: 'im',
  channel: 'D1',
  user: 'U1',
  text: '中間支援とは？',
  ts: '1700000300.000300',
  event_ts: '1700000300.000300',
  ...over,
});
const texts = (blocks: any[]) => JSON.stringify(blocks);

describe('Slack channel: Events API over our HTTP server', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers a signed url_verification with its challenge', async () => {
    const res = await sendEvent(h, { type: 'url_verification', token: 'x', challenge: 'abc123' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'abc123' });
  });

  it('rejects a bad signature and a stale timestamp with 401, without answering', async () => {
    const bad = await sendEvent(h, eventEnvelope(mention()), { secret: 'wrong-secret' });
    expect(bad.status).toBe(401);
    const unsigned = await sendEvent(h, { type: 'url_verification', challenge: 'x' }, { headers: { 'x-slack-signature': 'v0=00' } });
    expect(unsigned.status).toBe(401);
    // Correctly signed, but six minutes old: outside Slack's five-minute window.
    const stale = await sendEvent(h, eventEnvelope(mention()), { timestamp: Math.floor(Date.now() / 1000) - 360 });
    expect(stale.status).toBe(401);
    await h.channel.idle();
    expect(h.asked).toHaveLength(0);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('answers a mention inside a thread in that thread, with 👀 while working', async () => {
    const res = await sendEvent(h, eventEnvelope(mention({ thread_ts: '1700000100.000100' })));
    expect(res.status).toBe(200);
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post.args.channel).toBe('C1');
    expect(post.args.thread_ts).toBe('1700000100.000100');
    expect(post.token).toBe('xoxb-test');
    // Slack's escapes are undone and the bot mention dropped before asking.
    expect(h.asked[0].question).toBe('協働とは & 何？');
    expect(texts(post.args.blocks)).toContain('県は NPO と協働します');
    await h.channel.idle();
    const reactions = h.fake.calls.filter((c) => c.method.startsWith('reactions.'));
    expect(reactions.map((c) => c.method)).toEqual(['reactions.add', 'reactions.remove']);
    expect(reactions[0].args).toMatchObject({ channel: 'C1', timestamp: '1700000200.000200', name: 'eyes' });
  });

  it('starts a thread under a top-level mention', async () => {
    await sendEvent(h, eventEnvelope(mention()));
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post.args.thread_ts).toBe('1700000200.000200');
  });

  it('invites a question when the mention is empty, without asking the service', async () => {
    await sendEvent(h, eventEnvelope(mention({ text: '<@UBOT>  ' })));
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post.args.text).toContain('質問をどうぞ');
    await h.channel.idle();
    expect(h.asked).toHaveLength(0);
  });

  it('acknowledges before the answer is ready (Slack allows 3 s)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await h.close();
    h = await startHarness(async (q) => {
      await gate;
      return sampleAnswer(q);
    });
    const res = await sendEvent(h, eventEnvelope(mention()));
    expect(res.status).toBe(200);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
    release();
    await h.fake.waitForCalls('chat.postMessage', 1);
  });

  it('answers a direct message in the DM', async () => {
    await sendEvent(h, eventEnvelope(dm()));
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post.args.channel).toBe('D1');
    expect(post.args.thread_ts).toBeUndefined();
    expect(h.asked[0].question).toBe('中間支援とは？');
    await h.channel.idle();
    expect(h.fake.callsTo('reactions.add')[0].args).toMatchObject({ channel: 'D1', timestamp: '1700000300.000300' });
  });

  it("ignores its own messages, other bots' messages and edits", async () => {
    await sendEvent(h, eventEnvelope(dm({ user: 'UBOT', bot_id: 'BBOT' })));
    await sendEvent(h, eventEnvelope(dm({ user: 'U2', bot_id: 'BOTHER' })));
    await sendEvent(h, eventEnvelope(dm({ subtype: 'bot_message', bot_id: 'BOTHER', user: undefined })));
    await sendEvent(h, eventEnvelope(dm({ subtype: 'message_changed', user: undefined, message: { text: 'x' } })));
    await sendEvent(h, eventEnvelope(mention({ bot_id: 'BOTHER' })));
    await h.channel.idle();
    expect(h.asked).toHaveLength(0);
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('never answers a retry or a duplicate event_id twice', async () => {
    const envelope = eventEnvelope(mention());
    await sendEvent(h, envelope);
    const retry = await sendEvent(h, envelope, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    // The same event delivered again without the header (another replica's view): still once.
    await sendEvent(h, envelope);
    await h.channel.idle();
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.asked).toHaveLength(1);
  });

  it('answers a retry of an event whose first delivery never arrived, once', async () => {
    const envelope = eventEnvelope(mention());
    const res = await sendEvent(h, envelope, { headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_error' } });
    expect(res.status).toBe(200);
    // Slack retries again (our ack was lost): the event_id claim keeps it to one answer.
    await sendEvent(h, envelope, { headers: { 'x-slack-retry-num': '3', 'x-slack-retry-reason': 'http_timeout' } });
    await h.channel.idle();
    expect(h.asked).toHaveLength(1);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(h.logger.lines.some((l) => l.msg === 'slack duplicate event ignored' && l.fields?.retryNum === 3)).toBe(true);
  });

  it('reads a follow-up against the thread’s earlier turns', async () => {
    await sendEvent(h, eventEnvelope(mention({ text: '<@UBOT> 最初の質問', ts: '1700000400.000001' })));
    await h.fake.waitForCalls('chat.postMessage', 1);
    await h.channel.idle();
    await sendEvent(h, eventEnvelope(mention({ text: '<@UBOT> それは？', ts: '1700000401.000001', thread_ts: '1700000400.000001' })));
    // A mention in another thread starts afresh.
    await sendEvent(h, eventEnvelope(mention({ text: '<@UBOT> 別の話', ts: '1700000500.000001' })));
    await h.fake.waitForCalls('chat.postMessage', 3);
    await h.channel.idle();
    const followUp = h.followUpCalls.find((a) => a.question === 'それは？')!;
    expect(followUp.history).toEqual([{ question: '最初の質問', answer: sampleAnswer('最初の質問').answer }]);
    // The first question of a thread has no history: it is looked up as it is.
    expect(h.followUpCalls.map((a) => a.question)).toEqual(['それは？']);
    expect(h.asked.map((a) => a.question)).toContain('別の話');
  });

  it('apologises in the thread when the answer service throws', async () => {
    await h.close();
    h = await startHarness(() => {
      throw new Error('index exploded');
    });
    await sendEvent(h, eventEnvelope(mention()));
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post.args.thread_ts).toBe('1700000200.000200');
    expect(post.args.text).toContain('申し訳ありません');
    await h.channel.idle();
    expect(h.fake.callsTo('reactions.remove')).toHaveLength(1);
    expect(h.logger.lines.some((l) => l.level === 'error' && l.msg === 'answer failed')).toBe(true);
  });

  it('logs a Web API error code and still tries a short apology', async () => {
    h.fake.failNext('reactions.add', 'already_reacted');
    h.fake.failNext('chat.postMessage', 'invalid_blocks');
    const res = await sendEvent(h, eventEnvelope(mention()));
    expect(res.status).toBe(200);
    const posts = await h.fake.waitForCalls('chat.postMessage', 2);
    expect(posts[0].args.blocks).toBeDefined();
    expect(posts[1].args.text).toContain('申し訳ありません');
    expect(posts[1].args.thread_ts).toBe('1700000200.000200');
    await h.channel.idle();
    const errors = h.logger.lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.fields?.slackError)).toEqual(expect.arrayContaining(['invalid_blocks', 'already_reacted']));
    // The channel keeps working afterwards.
    await sendEvent(h, eventEnvelope(dm()));
    await h.fake.waitForCalls('chat.postMessage', 3);
  });

  it('signs with the raw body: a re-serialised body fails', async () => {
    const body = JSON.stringify(eventEnvelope(mention()));
    const ts = Math.floor(Date.now() / 1000);
    const res = await sendRaw(h, body + ' ', 'application/json', { headers: { 'x-slack-signature': sign(body, ts), 'x-slack-request-timestamp': String(ts) } });
    expect(res.status).toBe(401);
  });
});
