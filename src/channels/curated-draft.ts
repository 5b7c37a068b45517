/**
 * The checks a curated answer passes before it is stored, the same from the Slack modal and the
 * admin page: at least one phrasing (one a line, spaces folded, repeats dropped), an answer that
 * fits one Slack section and one LINE message (3,000 characters), and an optional plan section
 * id of one word.
 */
import type { CuratedDraft } from '../store/curated.js';

/** Slack's cap on a plain-text input and a section's text; LINE allows 5,000. */
export const CURATED_TEXT_LIMIT = 3000;
export const SECTION_ID_LIMIT = 100;

export interface CuratedFields {
  /** One phrasing a line. */
  phrasings: string;
  answer: string;
  sectionId: string;
}

export type CuratedFieldErrors = Partial<Record<keyof CuratedFields, string>>;

export type CheckedDraft = { ok: true; draft: Omit<CuratedDraft, 'author'> } | { ok: false; errors: CuratedFieldErrors };

export function checkCuratedFields(fields: CuratedFields): CheckedDraft {
  const phrasings = [...new Set(fields.phrasings.split(/\r?\n/).map((line) => line.replace(/\s+/g, ' ').trim()).filter(Boolean))];
  const answer = fields.answer.replace(/\r\n/g, '\n').trim();
  const sectionId = fields.sectionId.trim();
  const errors: CuratedFieldErrors = {};
  if (phrasings.length === 0) errors.phrasings = '質問の言い方を1つ以上入力してください。';
  if (phrasings.join('\n').length > CURATED_TEXT_LIMIT) errors.phrasings = `質問の言い方は合わせて${CURATED_TEXT_LIMIT}文字以内にしてください。`;
  if (!answer) errors.answer = '回答を入力してください。';
  else if (answer.length > CURATED_TEXT_LIMIT) errors.answer = `回答は${CURATED_TEXT_LIMIT}文字以内にしてください。`;
  if (/\s/.test(sectionId) || sectionId.length > SECTION_ID_LIMIT) errors.sectionId = '節の ID は空白を含まない1語で入力してください（例: s12-1）。';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, draft: { phrasings, answer, sectionId: sectionId || null } };
}
