/**
 * Staff teach the bot from Slack: 「回答を登録・修正」 under an answer opens a modal
 * (`views.open` with the click's trigger_id, good for 3 seconds:
 * https://docs.slack.dev/interactivity/handling-user-interaction#modal_responses), and its
 * submission is checked, stored as a curated answer, and confirmed to the one who saved it.
 * Only SLACK_CURATORS may do either, when it is set; others are told so politely.
 */
import type { App, BlockButtonAction, webApi } from '@slack/bolt';
import type { Logger } from '../../logger.js';
import type { CuratedAnswers, CuratedMatcher } from '../../store/curated.js';
import { ACTION_CURATE } from './blocks.js';
import { BLOCK_ANSWER, CURATE_CALLBACK_ID, curateModal, readCurateSubmission } from './curation-modal.js';
import type { IsCuratorFn } from './curators.js';
import { fitMrkdwn } from './mrkdwn.js';
import { callSlack } from './web-api-errors.js';

export const NOT_CURATOR_TEXT =
  '申し訳ありません。回答の登録・修正は、担当の職員に限られています。必要な場合は、管理者に登録を依頼してください。';
export const MODAL_FAILED_TEXT = '申し訳ありません。登録画面を開けませんでした。もう一度ボタンを押してください。';
export const SAVE_FAILED_TEXT = '保存できませんでした。しばらくしてから、もう一度お試しください。';
export const savedText = (id: number, title: string, updated: boolean) =>
  `✅ 回答 #${id}「${fitMrkdwn(title, 200)}」を${updated ? '更新' : '登録'}しました。同じ内容の質問には、この回答が返ります。`;

export interface SlackCuration {
  answers: CuratedAnswers;
  matcher: CuratedMatcher;
  isCurator: IsCuratorFn;
  /** Called after a save, so that this replica's matcher reads the store at once (others catch up on their own). */
  saved?: () => void | Promise<void>;
}

/** The store's author id for a Slack user. */
export const slackAuthor = (userId: string) => `slack:${userId}`;

export function registerCuration(app: App, curation: SlackCuration, logger: Logger): void {
  app.action<BlockButtonAction>(ACTION_CURATE, async ({ ack, body, action, client, respond }) => {
    await ack();
    const tell = (text: string) => callSlack(logger, 'response_url', () => respond({ response_type: 'ephemeral', replace_original: false, text }));
    if (!(await curation.isCurator(body.user.id, client))) {
      logger.info('curation refused', { channel: 'slack', reason: 'not a curator' });
      await tell(NOT_CURATOR_TEXT);
      return;
    }
    const question = action.value ?? '';
    const existing = question ? curation.matcher.match(question)?.answer : undefined;
    const view = curateModal({ question, existing, channel: body.channel?.id });
    const opened = await callSlack(logger, 'views.open', () => client.views.open({ trigger_id: body.trigger_id, view }));
    if (!opened.ok) await tell(MODAL_FAILED_TEXT);
  });

  app.view(CURATE_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    // Checked again: the list (or a usergroup) may have changed since the modal opened.
    if (!(await curation.isCurator(userId, client))) {
      await ack({ response_action: 'errors', errors: { [BLOCK_ANSWER]: NOT_CURATOR_TEXT } });
      return;
    }
    const submission = readCurateSubmission(view);
    if (!submission.ok) {
      await ack({ response_action: 'errors', errors: submission.errors });
      return;
    }
    const author = slackAuthor(userId);
    const { replaceId, channel } = submission.state;
    let saved;
    try {
      // The one it would replace may have been switched off meanwhile: then it is saved as a new one.
      const updated = replaceId !== undefined ? await curation.answers.update(replaceId, { ...submission.draft, active: true, author }) : undefined;
      saved = updated ? { answer: updated, updated: true } : { answer: await curation.answers.add({ ...submission.draft, author }), updated: false };
    } catch (error) {
      logger.error('curated answer not saved', { channel: 'slack', error });
      await ack({ response_action: 'errors', errors: { [BLOCK_ANSWER]: SAVE_FAILED_TEXT } });
      return;
    }
    await ack();
    logger.info('curated answer saved', { channel: 'slack', id: saved.answer.id, updated: saved.updated });
    await confirm(client, logger, userId, channel, savedText(saved.answer.id, saved.answer.phrasings[0] ?? '', saved.updated));
    // After the confirmation: the first answer makes the matcher load its analyzer (about a second).
    // A matcher that cannot reload now still catches up on its own timer.
    await Promise.resolve(curation.saved?.()).catch((error: unknown) => logger.warn('curated reload after a save failed', { error }));
  });
}

/** `text` is mrkdwn, already escaped. Ephemeral where the button was clicked; a DM from the bot when that fails (a channel it has left). */
async function confirm(client: webApi.WebClient, logger: Logger, user: string, channel: string | undefined, text: string): Promise<void> {
  if (channel && (await callSlack(logger, 'chat.postEphemeral', () => client.chat.postEphemeral({ channel, user, text }))).ok) return;
  await callSlack(logger, 'chat.postMessage', () => client.chat.postMessage({ channel: user, text }));
}
