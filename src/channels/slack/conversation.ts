/**
 * Questions in conversations: an @mention in a channel is answered in that message's thread,
 * a direct message where it was sent. A follow-up in the same thread gets the thread's earlier
 * turns as history. While the answer is being made, the question carries an 👀 reaction.
 */
import type { App, webApi } from '@slack/bolt';
import type { Answer } from '../../qa/types.js';
import { isQuestionError } from '../../errors.js';
import { answerBlocks, plainMessage, type SlackMessage } from './blocks.js';
import { slackUserKey, type SlackDeps } from './deps.js';
import { questionFromSlackText } from './mrkdwn.js';
import { ANSWER_FAILED_TEXT, EMPTY_MENTION_TEXT, POST_FAILED_TEXT } from './messages.js';
import { callSlack } from './web-api-errors.js';
import { showProgressAfter } from '../progress-sign.js';

/** How much of a thread the service sees, and how long a quiet thread is remembered. */
export const MAX_TURNS = 6;
export const TURN_TTL_MS = 30 * 60_000;
export const THINKING_REACTION = 'eyes';

interface Question {
  channel: string;
  /** The question message, for the reaction. */
  ts: string;
  /** Where to answer; undefined answers at the top of a DM. */
  threadTs?: string;
  text: string | undefined;
  conversationKey: string;
  /** slackUserKey of the asker. */
  user: string;
}

export function registerConversationHandlers(app: App, deps: SlackDeps): void {
  app.event('app_mention', async ({ event, client, body }) => {
    // Other bots' posts are not questions. DM channel ids start with `D`; a DM is answered
    // through its message.im event, so a mention there must not answer twice.
    if (event.bot_id || event.subtype === 'bot_message' || event.channel.startsWith('D')) return;
    const threadTs = event.thread_ts ?? event.ts;
    await answerQuestion(deps, client, {
      channel: event.channel,
      ts: event.ts,
      threadTs,
      text: event.text,
      conversationKey: `slack:${event.channel}:${threadTs}`,
      user: slackUserKey(body.team_id, event.user),
    });
  });

  app.event('message', async ({ event, client, context, body }) => {
    // Subtypes are edits, deletions, joins and bot posts (message_changed, bot_message …).
    if (event.channel_type !== 'im' || event.subtype !== undefined) return;
    if (event.bot_id || event.user === context.botUserId) return;
    await answerQuestion(deps, client, {
      channel: event.channel,
      ts: event.ts,
      threadTs: event.thread_ts,
      text: event.text,
      conversationKey: `slack:${event.channel}:${event.thread_ts ?? 'dm'}`,
      user: slackUserKey(body.team_id, 'user' in event ? event.user : undefined),
    });
  });
}

async function answerQuestion(deps: SlackDeps, client: webApi.WebClient, q: Question): Promise<void> {
  const { logger } = deps;
  const post = (message: SlackMessage) =>
    callSlack(logger, 'chat.postMessage', () => client.chat.postMessage({ channel: q.channel, thread_ts: q.threadTs, ...message }));

  const question = questionFromSlackText(q.text).slice(0, deps.maxQuestionChars);
  if (!question) {
    await post(plainMessage(EMPTY_MENTION_TEXT));
    return;
  }

  const reaction = { channel: q.channel, timestamp: q.ts, name: THINKING_REACTION };
  const thinking = showProgressAfter(deps.progressDelayMs, () => callSlack(logger, 'reactions.add', () => client.reactions.add(reaction)));
  try {
    const history = await deps.state.getTurns(q.conversationKey);
    let answer: Answer;
    try {
      answer = await deps.answers.answer(question, { history, user: deps.hashUser(q.user) });
    } catch (error) {
      // A refused question (QuestionError) is the user's, not ours: info, not error.
      logger[isQuestionError(error) ? 'info' : 'error']('answer failed', { channel: 'slack', error });
      await post(plainMessage(isQuestionError(error) ? error.message : ANSWER_FAILED_TEXT));
      return;
    }
    const id = deps.store.put({ question, answer });
    const sent = await post(answerBlocks(answer, { id }));
    // A rejected message (invalid_blocks, msg_too_long …) still deserves a reply.
    if (!sent.ok) {
      await post(plainMessage(POST_FAILED_TEXT));
      return;
    }
    await deps.state.addTurn(q.conversationKey, { question, answer: answer.answer }, MAX_TURNS, TURN_TTL_MS);
  } finally {
    const reacted = await thinking.stop();
    // Without reactions:write the removal would fail the same way: one log line is enough.
    if (reacted && (reacted.ok || reacted.code === 'already_reacted')) {
      await callSlack(logger, 'reactions.remove', () => client.reactions.remove(reaction));
    }
  }
}
