/**
 * An answer as Block Kit: the answer, then up to three sources (heading path in bold, the
 * passage quoted), a note when the service abstained, then 👍/👎 buttons.
 * Slack's limits: 3,000 characters a section text, 50 blocks a message, 2,000 characters a
 * button value (https://docs.slack.dev/reference/block-kit/blocks). Button values carry only
 * an id; the answer itself stays in the TtlStore (src/channels/ttl-store.ts).
 */
import type { types } from '@slack/bolt';
import { planName, type PlanIdentity } from '../../corpus/plan-identity.js';
import type { Answer } from '../../qa/types.js';
import { escapeMrkdwn, fitMrkdwn, quoteLines } from './mrkdwn.js';

type KnownBlock = types.KnownBlock;

export const SECTION_TEXT_LIMIT = 3000;
export const MAX_BLOCKS = 50;
export const MAX_SOURCES = 3;
/** A passage is shown in part: enough to check the answer, short enough to read in a thread. */
export const PASSAGE_CHARS = 600;
/** The notification text (push, screen readers) is a short preview. */
export const FALLBACK_CHARS = 300;

export const ACTION_FEEDBACK_UP = 'feedback_up';
export const ACTION_FEEDBACK_DOWN = 'feedback_down';
export const ACTION_POST_TO_CHANNEL = 'post_to_channel';
/** 「回答を登録・修正」: opens the curation modal (src/channels/slack/curation.ts). */
export const ACTION_CURATE = 'curate_answer';
/** Slack's limit on a button's value. */
export const BUTTON_VALUE_LIMIT = 2000;

const LABELS = {
  ja: {
    sources: (plan: PlanIdentity) => `*出典*（${escapeMrkdwn(planName(plan))}）`,
    abstained: '⚠️ 計画書の中に、はっきり答えられる記述が見つかりませんでした。言い換えて質問するか、県の担当窓口にお問い合わせください。',
    up: '👍 役に立った',
    down: '👎 役に立たなかった',
    post: 'チャンネルに投稿',
    curate: '回答を登録・修正',
    askedBy: (user: string, q: string) => `<@${user}> さんの質問: ${q}`,
  },
  en: {
    sources: (plan: PlanIdentity) => `*Sources* (${escapeMrkdwn(planName(plan, 'en'))})`,
    abstained: '⚠️ The plan has no passage that answers this clearly. Try rephrasing, or ask the prefecture office.',
    up: '👍 Helpful',
    down: '👎 Not helpful',
    post: 'Post to channel',
    // Staff write curated answers in Japanese, whatever the question's language.
    curate: '回答を登録・修正',
    askedBy: (user: string, q: string) => `<@${user}> asked: ${q}`,
  },
} as const;

export interface AnswerBlocksOptions {
  /** Id of the stored answer; becomes the buttons' value. */
  id: string;
  /** The plan the answer comes from, named over its sources (as the live index names it). */
  plan: PlanIdentity;
  /** Adds the 「チャンネルに投稿」 button (for the ephemeral slash-command answer). @default false */
  postToChannel?: boolean;
  /** Shows who asked what (for an answer posted to a channel from a slash command). */
  askedBy?: { userId: string; question: string };
  /**
   * Adds 「回答を登録・修正」 for staff, carrying this question. The question itself is the button's
   * value (cut to Slack's 2,000 characters) rather than an id: a click may reach another replica,
   * or come after the answer's TtlStore entry has gone. @default no button
   */
  curateQuestion?: string;
}

export interface SlackMessage {
  /** Fallback for notifications and clients that cannot show blocks. */
  text: string;
  blocks: KnownBlock[];
}

const mrkdwnSection = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

export function answerBlocks(answer: Answer, options: AnswerBlocksOptions): SlackMessage {
  const labels = LABELS[answer.language] ?? LABELS.ja;
  const blocks: KnownBlock[] = [];
  if (options.askedBy) {
    const question = fitMrkdwn(options.askedBy.question, 500);
    blocks.push(context(labels.askedBy(options.askedBy.userId, question)));
  }
  blocks.push(mrkdwnSection(fitMrkdwn(answer.answer || '…', SECTION_TEXT_LIMIT)));
  if (answer.abstained) blocks.push(context(labels.abstained));

  const sources = answer.sources.slice(0, MAX_SOURCES);
  if (sources.length > 0) {
    blocks.push({ type: 'divider' }, context(labels.sources(options.plan)));
    for (const source of sources) blocks.push(mrkdwnSection(sourceText(source.section, source.text)));
  }

  const buttons: types.Button[] = [
    { type: 'button', action_id: ACTION_FEEDBACK_UP, value: options.id, text: { type: 'plain_text', text: labels.up, emoji: true } },
    { type: 'button', action_id: ACTION_FEEDBACK_DOWN, value: options.id, text: { type: 'plain_text', text: labels.down, emoji: true } },
  ];
  if (options.postToChannel) {
    buttons.push({
      type: 'button',
      action_id: ACTION_POST_TO_CHANNEL,
      value: options.id,
      style: 'primary',
      text: { type: 'plain_text', text: labels.post },
    });
  }
  if (options.curateQuestion !== undefined) {
    buttons.push({
      type: 'button',
      action_id: ACTION_CURATE,
      value: curateButtonValue(options.curateQuestion),
      text: { type: 'plain_text', text: labels.curate },
    });
  }
  // The buttons come last and must survive the 50-block cap.
  const capped = blocks.slice(0, MAX_BLOCKS - 1);
  capped.push({ type: 'actions', elements: buttons });
  return { text: fitMrkdwn(answer.answer || '…', FALLBACK_CHARS), blocks: capped };
}

/**
 * `*heading path*` then the passage as `> ` lines. The passage is cut to PASSAGE_CHARS, so even
 * one `> ` per character (600 × 3) plus a 300-character heading stays under 3,000.
 */
function sourceText(section: string, passage: string): string {
  const heading = `*${fitMrkdwn(section.replace(/\*/g, '＊'), 300)}*`;
  return `${heading}\n${quoteLines(fitMrkdwn(passage.trim(), PASSAGE_CHARS))}`;
}

/**
 * The question as a button value: Slack refuses a value over 2,000 characters, so a longer one is
 * cut (counted in UTF-16 units, the stricter count, and never inside a surrogate pair).
 */
export function curateButtonValue(question: string): string {
  if (question.length <= BUTTON_VALUE_LIMIT) return question;
  let end = 0;
  for (const char of question) {
    if (end + char.length > BUTTON_VALUE_LIMIT) break;
    end += char.length;
  }
  return question.slice(0, end);
}

/** A plain-text message (apologies, usage help), escaped. */
export function plainMessage(text: string): SlackMessage {
  const escaped = fitMrkdwn(text, SECTION_TEXT_LIMIT);
  return { text: escaped, blocks: [mrkdwnSection(escaped)] };
}
