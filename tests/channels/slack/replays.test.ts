/**
 * The Slack door beyond bolt's own checks, through the real bolt app and the fake Slack API with
 * real signatures: a replayed slash command or click (the same signed request sent again) is
 * handled once; a timestamp more than 5 minutes ahead is refused like one 5 minutes behind; a
 * body over the limit is refused by its length and closes the connection cleanly.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { slackSignatureProblem } from '../../../src/channels/slack/signature.js';
import { rawExchange, requestText, statuses } from '../../helpers/raw-http.js';
import { eventEnvelope, sendEvent, sendForm, sendInteraction, sign, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const command = (text: string, triggerId = 't1') => ({
  token: 'x',
  team_id: 'T0001',
  team_domain: 'test',
  channel_id: 'C9',
  channel_name: 'general',
  user_id: 'U1',
  user_name: 'taro',
  command: '/kenmin',
  text,
  api_app_id: 'A1',
  response_url: h.fake.responseUrl(),
  trigger_id: triggerId,
});
const nowSec = () => Math.floor(Date.now() / 1000);

describe('Slack: replayed requests', () => {
  it('answers a slash command once when its signed request is sent again', async () => {
    const fields = command('協働とは？');
    const timestamp = nowSec();
    const first = await sendForm(h, fields, { timestamp });
    const replay = await sendForm(h, fields, { timestamp });
    expect([first.status, replay.status]).toEqual([200, 200]);
    await h.fake.waitForCalls('response_url', 1);
    await h.channel.idle();
    expect(h.asked.map((a) => a.question)).toEqual(['協働とは？']);
    expect(h.fake.callsTo('response_url')).toHaveLength(1);
    // The same words asked again by the user are a new request, and answered.
    await sendForm(h, command('協働とは？', 't9'), { timestamp: timestamp + 1 });
    await h.fake.waitForCalls('response_url', 2);
    await h.channel.idle();
    expect(h.asked).toHaveLength(2);
  });

  it('posts to the channel once when a 「チャンネルに投稿」 click is replayed', async () => {
    await sendForm(h, command('協働とは？'));
    const [reply] = await h.fake.waitForCalls('response_url', 1);
    await h.channel.idle();
    const postButton = reply.args.blocks.find((b: any) => b.type === 'actions').elements.find((e: any) => e.action_id === 'post_to_channel');
    const click = {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'test' },
      user: { id: 'U1', username: 'taro', team_id: 'T0001' },
      api_app_id: 'A1',
      token: 'x',
      container: { type: 'message', message_ts: '1.1', channel_id: 'C9', is_ephemeral: true },
      trigger_id: 't2',
      channel: { id: 'C9', name: 'general' },
      response_url: h.fake.responseUrl(),
      actions: [{ type: 'button', action_id: 'post_to_channel', block_id: 'b1', value: postButton.value, text: { type: 'plain_text', text: 'x' }, action_ts: '2.2' }],
    };
    const timestamp = nowSec();
    for (let i = 0; i < 3; i++) expect((await sendInteraction(h, click, { timestamp })).status).toBe(200);
    await h.fake.waitForCalls('chat.postMessage', 1);
    await h.channel.idle();
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(1);
  });
});

describe('Slack: the timestamp window', () => {
  it('refuses a request stamped more than 5 minutes ahead, and takes one a little ahead (clock skew)', async () => {
    const ahead = await sendEvent(h, eventEnvelope({ type: 'app_mention', user: 'U1', text: '<@UBOT> 協働とは', ts: '1.1', channel: 'C1', event_ts: '1.1' }), { timestamp: nowSec() + 6 * 60 });
    expect(ahead.status).toBe(401);
    const farAhead = await sendForm(h, command('協働とは？'), { timestamp: nowSec() + 24 * 60 * 60 });
    expect(farAhead.status).toBe(401);
    const skewed = await sendEvent(h, eventEnvelope({ type: 'app_mention', user: 'U1', text: '<@UBOT> 中間支援とは', ts: '1.2', channel: 'C1', event_ts: '1.2' }), { timestamp: nowSec() + 2 * 60 });
    expect(skewed.status).toBe(200);
    await h.fake.waitForCalls('chat.postMessage', 1);
    await h.channel.idle();
    expect(h.asked.map((a) => a.question)).toEqual(['中間支援とは']);
  });

  it('the signature check: up to 5 minutes ahead of the clock passes, past that (either way) or garbage does not', () => {
    const now = 1_700_000_000_000;
    const check = (timestamp: string) =>
      slackSignatureProblem({ signingSecret: 's', rawBody: 'b', timestamp, signature: 'v0=' + createHmac('sha256', 's').update(`v0:${timestamp}:b`).digest('hex'), nowMs: now });
    expect(check(String(1_700_000_000 + 300))).toBeUndefined();
    expect(check(String(1_700_000_000 + 301))).toBe('stale x-slack-request-timestamp');
    expect(check(String(1_700_000_000 - 301))).toBe('stale x-slack-request-timestamp');
    expect(check('NaN')).toBe('x-slack-request-timestamp is not a number');
  });
});

describe('Slack: a 413 on a keep-alive connection', () => {
  it('refuses a body over 1 MB by its length, closes the connection cleanly, and the next connection is served', async () => {
    const port = Number(new URL(h.baseUrl).port);
    const timestamp = nowSec();
    const big = JSON.stringify(eventEnvelope({ type: 'app_mention', text: 'x'.repeat(1_100_000) }));
    const small = JSON.stringify(eventEnvelope({ type: 'app_mention', user: 'U1', text: '<@UBOT> 協働とは', ts: '1.3', channel: 'C1', event_ts: '1.3' }));
    const headers = (body: string) => ({ 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': sign(body, timestamp) });
    const result = await rawExchange(port, requestText('POST', '/slack/events', headers(big), big) + requestText('POST', '/slack/events', headers(small), small));
    expect(result.error).toBeUndefined();
    expect(result.closedByServer).toBe(true);
    expect(statuses(result.received)[0]).toBe(413);
    expect(result.received).toMatch(/^connection: close$/im);
    expect(statuses(result.received).slice(1).every((st) => st === 200)).toBe(true);
    const next = await sendEvent(h, JSON.parse(small));
    expect(next.status).toBe(200);
  });
});
