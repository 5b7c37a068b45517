import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testHasher } from '../../helpers/conversation.js';
import { sendForm, sendInteraction, startHarness, type Harness } from './harness.js';

describe('Slack channel: slash command and buttons', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const slash = (text: string) =>
    sendForm(h, {
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
      trigger_id: 't1',
    });

  /** Runs the slash command and returns the button ids of its ephemeral answer. */
  async function askBySlash(text: string) {
    const res = await slash(text);
    expect(res.status).toBe(200);
    const [reply] = await h.fake.waitForCalls('response_url', 1);
    await h.channel.idle();
    const actions = reply.args.blocks.find((b: any) => b.type === 'actions').elements;
    return { res, reply, actions };
  }

  const click = (actionId: string, value: string, channelId = 'C9') =>
    sendInteraction(h, {
      type: 'block_actions',
      team: { id: 'T0001', domain: 'test' },
      user: { id: 'U1', username: 'taro', team_id: 'T0001' },
      api_app_id: 'A1',
      token: 'x',
      container: { type: 'message', message_ts: '1.1', channel_id: channelId, is_ephemeral: true },
      trigger_id: 't2',
      channel: { id: channelId, name: 'general' },
      response_url: h.fake.responseUrl(),
      actions: [{ type: 'button', action_id: actionId, block_id: 'b1', value, text: { type: 'plain_text', text: 'x' }, action_ts: '2.2' }],
    });

  it('acknowledges at once, then answers ephemerally with feedback and 「チャンネルに投稿」 buttons', async () => {
    const { res, reply, actions } = await askBySlash('NPO への支援は？');
    const ackBody = await res.json();
    expect(ackBody.response_type).toBe('ephemeral');
    expect(ackBody.text).toContain('NPO への支援は？');
    expect(h.asked[0].question).toBe('NPO への支援は？');
    expect(reply.args.response_type).toBe('ephemeral');
    expect(JSON.stringify(reply.args.blocks)).toContain('県は NPO と協働します');
    expect(actions.map((a: any) => a.action_id)).toEqual(['feedback_up', 'feedback_down', 'post_to_channel']);
    expect(actions[2].text.text).toBe('チャンネルに投稿');
    // Nothing went to the channel itself.
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('shows usage help for an empty command', async () => {
    const res = await slash('   ');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('/kenmin');
    await h.channel.idle();
    expect(h.asked).toHaveLength(0);
  });

  it('posts the answer to the channel when 「チャンネルに投稿」 is clicked', async () => {
    const { actions } = await askBySlash('協働とは？');
    const res = await click('post_to_channel', actions[2].value);
    expect(res.status).toBe(200);
    const [post] = await h.fake.waitForCalls('chat.postMessage', 1);
    expect(post.args.channel).toBe('C9');
    const json = JSON.stringify(post.args.blocks);
    expect(json).toContain('<@U1> さんの質問: 協働とは？');
    expect(json).toContain('県は NPO と協働します');
    expect(json).not.toContain('post_to_channel');
    const replies = await h.fake.waitForCalls('response_url', 2);
    expect(replies[1].args.text).toContain('投稿しました');
  });

  it('tells the user to invite the bot when Slack answers not_in_channel', async () => {
    const { actions } = await askBySlash('協働とは？');
    h.fake.failNext('chat.postMessage', 'not_in_channel');
    await click('post_to_channel', actions[2].value);
    const replies = await h.fake.waitForCalls('response_url', 2);
    expect(replies[1].args.text).toContain('/invite');
    await h.channel.idle();
    expect(h.logger.lines.some((l) => l.level === 'error' && l.fields?.slackError === 'not_in_channel')).toBe(true);
  });

  it('records a feedback click with the question, answer and sources, once per user and vote', async () => {
    const { actions } = await askBySlash('協働とは？');
    await click('feedback_down', actions[1].value);
    await h.fake.waitForCalls('response_url', 2);
    await click('feedback_down', actions[1].value);
    await h.channel.idle();
    expect(h.feedback).toHaveLength(1);
    const [record] = h.feedback;
    expect(record).toMatchObject({ channel: 'slack', vote: 'down', question: '協働とは？' });
    expect(record.answer).toContain('県は NPO と協働します');
    expect(record.sources.map((s) => s.chunkId)).toEqual(['c1', 'c2']);
    // The one hasher of logs and the store, keyed by the salt: never the raw id.
    expect(record.userHash).toBe(testHasher('slack:T0001:U1'));
    expect(record.at).toBeInstanceOf(Date);
    expect(h.fake.callsTo('response_url')[1].args.text).toContain('ありがとうございます');
  });

  it('records a vote even on an answer it no longer remembers, and says so to post', async () => {
    await click('feedback_up', 'forgotten-id');
    await h.fake.waitForCalls('response_url', 1);
    await click('post_to_channel', 'forgotten-id');
    const replies = await h.fake.waitForCalls('response_url', 2);
    expect(replies[1].args.text).toContain('期限切れ');
    expect(h.feedback).toMatchObject([{ vote: 'up', question: '', sources: [] }]);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(0);
  });
});
