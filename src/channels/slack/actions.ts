/**
 * Button clicks (interactivity): 👍/👎 go to the FeedbackSink with the question, answer and
 * sources they belong to; 「チャンネルに投稿」 posts an ephemeral slash-command answer to the
 * channel. Each click is acknowledged first, within Slack's 3 seconds.
 */
import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION_FEEDBACK_UP, ACTION_POST_TO_CHANNEL, answerBlocks } from './blocks.js';
import { slackUserKey, type SlackDeps } from './deps.js';
import { EXPIRED_TEXT, NOT_IN_CHANNEL_TEXT, POST_FAILED_TEXT, POSTED_TEXT, THANKS_TEXT } from './messages.js';
import { callSlack } from './web-api-errors.js';

/** A double click must not count twice. */
const VOTE_DEDUPE_MS = 24 * 60 * 60_000;

export function registerActions(app: App, deps: SlackDeps): void {
  const { logger } = deps;

  app.action<BlockButtonAction>(/^feedback_(up|down)$/, async ({ ack, body, action, respond }) => {
    await ack();
    const vote = action.action_id === ACTION_FEEDBACK_UP ? 'up' : 'down';
    const userHash = deps.hashUser(slackUserKey(body.team?.id, body.user.id));
    if (!(await deps.state.claimOnce(`slack:vote:${action.value}:${userHash}:${vote}`, VOTE_DEDUPE_MS))) return;
    const entry = action.value ? deps.store.get(action.value) : undefined;
    if (!entry) logger.warn('feedback for a forgotten answer', { channel: 'slack', vote });
    try {
      await deps.feedback.record({
        channel: 'slack',
        vote,
        question: entry?.question ?? '',
        answer: entry?.answer.answer ?? '',
        sources: entry?.answer.sources ?? [],
        userHash,
        at: new Date(),
      });
    } catch (error) {
      logger.error('feedback could not be recorded', { channel: 'slack', error });
    }
    await callSlack(logger, 'response_url', () => respond({ response_type: 'ephemeral', replace_original: false, text: THANKS_TEXT }));
  });

  app.action<BlockButtonAction>(ACTION_POST_TO_CHANNEL, async ({ ack, body, action, client, respond }) => {
    await ack();
    const say = (text: string, replace = false) =>
      callSlack(logger, 'response_url', () => respond({ response_type: 'ephemeral', replace_original: replace, text }));
    const id = action.value ?? '';
    const entry = deps.store.get(id);
    const channel = body.channel?.id;
    if (!entry || !channel) {
      await say(EXPIRED_TEXT);
      return;
    }
    const message = answerBlocks(entry.answer, {
      id,
      plan: await deps.conversation.plan(),
      askedBy: { userId: body.user.id, question: entry.question },
      curateQuestion: deps.curating ? entry.question : undefined,
    });
    const sent = await callSlack(logger, 'chat.postMessage', () => client.chat.postMessage({ channel, ...message }));
    if (sent.ok) await say(POSTED_TEXT, true);
    // Without chat:write.public the bot can post only where it is a member.
    else await say(sent.code === 'not_in_channel' || sent.code === 'channel_not_found' ? NOT_IN_CHANNEL_TEXT : POST_FAILED_TEXT);
  });
}
