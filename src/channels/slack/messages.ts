/** What the bot says besides answers: usage help and short apologies (never silence). */
import { planName, type PlanIdentity } from '../../corpus/plan-identity.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** The plan is named as the live index names it. */
export const usageText = (slashCommand: string, plan: PlanIdentity) =>
  [
    `${planName(plan)}について質問できます。`,
    `• スラッシュコマンド: \`${slashCommand} NPOへの支援策は？\`（自分だけに表示）`,
    '• チャンネルでボットをメンション、またはダイレクトメッセージで質問してください。',
  ].join('\n');

export const EMPTY_MENTION_TEXT = '質問をどうぞ。例: 「協働の推進について教えて」';
export const POST_FAILED_TEXT = '申し訳ありません。回答を表示できませんでした。もう一度お試しください。';
export const EXPIRED_TEXT = 'この回答の記録は期限切れです。お手数ですが、もう一度質問してください。';
export const NOT_IN_CHANNEL_TEXT =
  'ボットがこのチャンネルに参加していないため投稿できませんでした。`/invite` でボットを追加してから、もう一度お試しください。';
export const POSTED_TEXT = '✅ チャンネルに投稿しました。';
export const THANKS_TEXT = 'フィードバックありがとうございます。今後の改善に使わせていただきます。';
export const thinkingText = (escapedQuestion: string) => `🔎 「${escapedQuestion}」について調べています…`;

/**
 * The slash command's acknowledgement, the only reply Slack shows at once: the usage for an
 * empty command, else a "looking it up" note (the answer follows through response_url).
 * `question` is the command's text as read (questionFromSlackText), escaped here.
 */
export async function slashAcknowledgement(slashCommand: string, question: string, plan: () => Promise<PlanIdentity>) {
  const text = question ? thinkingText(escapeMrkdwn(question)) : usageText(slashCommand, await plan());
  return { response_type: 'ephemeral' as const, text };
}
