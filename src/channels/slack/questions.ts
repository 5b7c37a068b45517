/**
 * Questions on Slack, translated into the conversation layer's terms. An @mention in a channel
 * is answered in that message's thread, a direct message where it was sent (a follow-up in the
 * same thread is read against its earlier turns), with an 👀 reaction while the answer is made.
 * The slash command (`/kenmin 質問`) is acknowledged at once with a "looking it up" note (Slack
 * allows 3 seconds: https://docs.slack.dev/interactivity/implementing-slash-commands), then
 * answered through response_url, visible only to the asker, with a button that posts it.
 */
import type { App, webApi } from '@slack/bolt';
import { isAnswered, type AskOutcome } from '../../conversation/types.js';
import { showProgressAfter } from '../progress-sign.js';
import { answerBlocks, plainMessage, type SlackMessage } from './blocks.js';
import { slackUserKey, type SlackDeps } from './deps.js';
import { questionFromSlackText } from './mrkdwn.js';
import { EMPTY_MENTION_TEXT, POST_FAILED_TEXT, slashAcknowledgement, usageText } from './messages.js';
import { callSlack } from './web-api-errors.js';

export const THINKING_REACTION = 'eyes';

interface Mention {
  channel: string;
  /** The question message, for the reaction. */
  ts: string;
  /** Where to answer; undefined answers at the top of a DM. */
  threadTs?: string;
  text: string | undefined;
  chatKey: string;
  userKey: string;
}

/** An outcome as a Slack message; undefined for a flood past the limit, which was told once. */
async function messageFor(deps: SlackDeps, outcome: AskOutcome, options: { postToChannel?: boolean; empty: string }): Promise<SlackMessage | undefined> {
  if (isAnswered(outcome)) {
    const id = deps.store.put({ question: outcome.question, answer: outcome.answer });
    const curateQuestion = deps.curating ? outcome.question : undefined;
    return answerBlocks(outcome.answer, { id, plan: await deps.conversation.plan(), postToChannel: options.postToChannel, curateQuestion });
  }
  if (outcome.kind === 'rate-limited' && !outcome.firstOver) return undefined;
  return plainMessage(outcome.kind === 'empty' ? options.empty : outcome.message);
}

async function answerMention(deps: SlackDeps, client: webApi.WebClient, q: Mention): Promise<void> {
  const { logger } = deps;
  const post = (message: SlackMessage) =>
    callSlack(logger, 'chat.postMessage', () => client.chat.postMessage({ channel: q.channel, thread_ts: q.threadTs, ...message }));
  const reaction = { channel: q.channel, timestamp: q.ts, name: THINKING_REACTION };
  const thinking = showProgressAfter(deps.progressDelayMs, () => callSlack(logger, 'reactions.add', () => client.reactions.add(reaction)));
  try {
    const outcome = await deps.conversation.ask({ channel: 'slack', chatKey: q.chatKey, userKey: q.userKey, text: questionFromSlackText(q.text) });
    const message = await messageFor(deps, outcome, { empty: EMPTY_MENTION_TEXT });
    // A rejected message (invalid_blocks, msg_too_long …) still deserves a reply.
    if (message && !(await post(message)).ok) await post(plainMessage(POST_FAILED_TEXT));
  } finally {
    const reacted = await thinking.stop();
    // Without reactions:write the removal would fail the same way: one log line is enough.
    if (reacted && (reacted.ok || reacted.code === 'already_reacted')) {
      await callSlack(logger, 'reactions.remove', () => client.reactions.remove(reaction));
    }
  }
}

export function registerQuestionHandlers(app: App, deps: SlackDeps, slashCommand: string): void {
  app.event('app_mention', async ({ event, client, body }) => {
    // Other bots' posts are not questions. DM channel ids start with `D`; a DM is answered
    // through its message.im event, so a mention there must not answer twice.
    if (event.bot_id || event.subtype === 'bot_message' || event.channel.startsWith('D')) return;
    const threadTs = event.thread_ts ?? event.ts;
    const chatKey = `slack:${event.channel}:${threadTs}`;
    await answerMention(deps, client, { channel: event.channel, ts: event.ts, threadTs, text: event.text, chatKey, userKey: slackUserKey(body.team_id, event.user) });
  });

  app.event('message', async ({ event, client, context, body }) => {
    // Subtypes are edits, deletions, joins and bot posts (message_changed, bot_message …).
    if (event.channel_type !== 'im' || event.subtype !== undefined) return;
    if (event.bot_id || event.user === context.botUserId) return;
    const chatKey = `slack:${event.channel}:${event.thread_ts ?? 'dm'}`;
    const userKey = slackUserKey(body.team_id, event.user);
    await answerMention(deps, client, { channel: event.channel, ts: event.ts, threadTs: event.thread_ts, text: event.text, chatKey, userKey });
  });

  app.command(slashCommand, async ({ command, ack, respond }) => {
    const text = questionFromSlackText(command.text);
    // Over HTTP the ingress has already sent this (forwarded-receiver.ts: ack is a no-op there);
    // in Socket Mode this ack is the reply. An empty command gets the usage, and no answer.
    await ack(await slashAcknowledgement(slashCommand, text, () => deps.conversation.plan()));
    if (!text) return;
    const outcome = await deps.conversation.ask({ channel: 'slack', userKey: slackUserKey(command.team_id, command.user_id), text });
    const message = await messageFor(deps, outcome, { postToChannel: true, empty: usageText(slashCommand, await deps.conversation.plan()) });
    if (message) await callSlack(deps.logger, 'response_url', () => respond({ response_type: 'ephemeral', ...message }));
  });
}
