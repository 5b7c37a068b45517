/**
 * The slash command (e.g. `/kenmin 質問`): acknowledged at once with a "looking it up" note
 * (Slack allows 3 seconds: https://docs.slack.dev/interactivity/implementing-slash-commands),
 * then answered through response_url, visible only to the asker, with a button that posts the
 * answer to the channel.
 */
import type { App } from '@slack/bolt';
import { isQuestionError } from '../../errors.js';
import { answerBlocks } from './blocks.js';
import { slackUserKey, type SlackDeps } from './deps.js';
import { escapeMrkdwn, questionFromSlackText } from './mrkdwn.js';
import { ANSWER_FAILED_TEXT, thinkingText, usageText } from './messages.js';
import { callSlack } from './web-api-errors.js';

export function registerSlashCommand(app: App, deps: SlackDeps, slashCommand: string): void {
  app.command(slashCommand, async ({ command, ack, respond }) => {
    const question = questionFromSlackText(command.text).slice(0, deps.maxQuestionChars);
    if (!question) {
      await ack({ response_type: 'ephemeral', text: usageText(slashCommand) });
      return;
    }
    await ack({ response_type: 'ephemeral', text: thinkingText(escapeMrkdwn(question)) });

    let message;
    try {
      const answer = await deps.answers.answer(question, { user: deps.hashUser(slackUserKey(command.team_id, command.user_id)) });
      message = answerBlocks(answer, { id: deps.store.put({ question, answer }), postToChannel: true });
    } catch (error) {
      // A refused question (QuestionError) is the user's, not ours: info, not error.
      deps.logger[isQuestionError(error) ? 'info' : 'error']('answer failed', { channel: 'slack', error });
      message = { text: isQuestionError(error) ? error.message : ANSWER_FAILED_TEXT };
    }
    await callSlack(deps.logger, 'response_url', () => respond({ response_type: 'ephemeral', ...message }));
  });
}
