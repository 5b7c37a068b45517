/**
 * The modal in which staff write a curated answer: phrasings (prefilled with the question), the
 * answer, and the plan section it rests on. When the question already matches a curated answer,
 * the modal says so and saving updates that one. Slack's limits: title and buttons 24
 * characters, private_metadata 3,000, a plain-text input's value 3,000
 * (https://docs.slack.dev/reference/views/modal-views, …/block-elements/plain-text-input-element).
 */
import type { types } from '@slack/bolt';
import type { CuratedAnswer, CuratedDraft } from '../../store/curated.js';
import { CURATED_TEXT_LIMIT, checkCuratedFields, SECTION_ID_LIMIT, type CuratedFields } from '../curated-draft.js';
import { fitMrkdwn, quoteLines } from './mrkdwn.js';

export const CURATE_CALLBACK_ID = 'curate_modal';
export const BLOCK_PHRASINGS = 'curate_phrasings';
export const BLOCK_ANSWER = 'curate_answer_text';
export const BLOCK_SECTION = 'curate_section';
const INPUT = 'value';

const INPUT_LIMIT = CURATED_TEXT_LIMIT;

/** What the modal carries from the click to the submission. */
export interface CurateModalState {
  /** The curated answer that saving updates. */
  replaceId?: number;
  /** Where the button was clicked, for the confirmation. */
  channel?: string;
}

export interface CurateModalOptions {
  question: string;
  /** The curated answer the question already matches. */
  existing?: CuratedAnswer;
  channel?: string;
}

const plain = (text: string): types.PlainTextElement => ({ type: 'plain_text', text, emoji: true });

/** One phrasing a line: the existing ones first (the first is the title), then the new question. */
function phrasingLines(question: string, existing?: CuratedAnswer): string {
  const lines = [...(existing?.phrasings ?? [])];
  const asked = question.replace(/\s+/g, ' ').trim();
  if (asked && !lines.includes(asked)) lines.push(asked);
  let text = '';
  for (const line of lines) {
    const next = text ? `${text}\n${line}` : line;
    if (next.length > INPUT_LIMIT) break;
    text = next;
  }
  return text;
}

export function curateModal(options: CurateModalOptions): types.ModalView {
  const { existing } = options;
  const state: CurateModalState = { replaceId: existing?.id, channel: options.channel };
  const intro: types.KnownBlock[] = existing
    ? [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: `この質問には登録済みの回答 *#${existing.id}「${fitMrkdwn(existing.phrasings[0] ?? '', 200)}」* が使われます。保存すると、この回答を置き換えます。` },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: quoteLines(fitMrkdwn(existing.answer, 500)) }] },
      ]
    : [{ type: 'context', elements: [{ type: 'mrkdwn', text: '保存すると、同じ内容の質問にはこの回答が「やまぐち県民活動支援センターの回答」として返ります。' }] }];
  const phrasings = phrasingLines(options.question, existing);
  return {
    type: 'modal',
    callback_id: CURATE_CALLBACK_ID,
    private_metadata: JSON.stringify(state),
    title: plain(existing ? '回答を修正' : '回答を登録'),
    submit: plain('保存'),
    close: plain('キャンセル'),
    blocks: [
      ...intro,
      {
        type: 'input',
        block_id: BLOCK_PHRASINGS,
        label: plain('質問の言い方（1行に1つ。1行目が見出し）'),
        element: { type: 'plain_text_input', action_id: INPUT, multiline: true, max_length: INPUT_LIMIT, ...(phrasings ? { initial_value: phrasings } : {}) },
      },
      {
        type: 'input',
        block_id: BLOCK_ANSWER,
        label: plain('回答'),
        element: { type: 'plain_text_input', action_id: INPUT, multiline: true, max_length: INPUT_LIMIT, ...(existing ? { initial_value: existing.answer } : {}) },
      },
      {
        type: 'input',
        block_id: BLOCK_SECTION,
        optional: true,
        label: plain('根拠となる計画の節（任意）'),
        hint: plain('出典として回答の後に示す節の ID（例: s12-1）。'),
        element: {
          type: 'plain_text_input',
          action_id: INPUT,
          max_length: SECTION_ID_LIMIT,
          ...(existing?.sectionId ? { initial_value: existing.sectionId } : {}),
        },
      },
    ],
  };
}

export type CurateSubmission =
  | { ok: true; draft: Omit<CuratedDraft, 'author'>; state: CurateModalState }
  /** Field errors by block id, as `response_action: 'errors'` wants them. */
  | { ok: false; errors: Record<string, string> };

type ViewValues = Record<string, Record<string, { value?: string | null }>>;

const BLOCK_OF: Record<keyof CuratedFields, string> = { phrasings: BLOCK_PHRASINGS, answer: BLOCK_ANSWER, sectionId: BLOCK_SECTION };

/** Reads and checks a submitted modal; errors are shown under their fields. */
export function readCurateSubmission(view: { private_metadata?: string; state: { values: ViewValues } }): CurateSubmission {
  const field = (block: string) => view.state.values[block]?.[INPUT]?.value ?? '';
  const checked = checkCuratedFields({ phrasings: field(BLOCK_PHRASINGS), answer: field(BLOCK_ANSWER), sectionId: field(BLOCK_SECTION) });
  if (!checked.ok) {
    const errors = Object.entries(checked.errors).map(([name, message]) => [BLOCK_OF[name as keyof CuratedFields], message]);
    return { ok: false, errors: Object.fromEntries(errors) };
  }
  return { ok: true, draft: checked.draft, state: readState(view.private_metadata) };
}

function readState(metadata: string | undefined): CurateModalState {
  try {
    const parsed = JSON.parse(metadata || '{}') as CurateModalState;
    return {
      replaceId: Number.isInteger(parsed.replaceId) ? parsed.replaceId : undefined,
      channel: typeof parsed.channel === 'string' ? parsed.channel : undefined,
    };
  } catch {
    return {};
  }
}
