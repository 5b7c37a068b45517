/**
 * What the conversation layer says itself, the same on every channel: the notices before an
 * answer (the question was cut; a follow-up was looked up as …) and the replies instead of one.
 */
import type { SupportContact } from '../corpus/contacts.js';
import type { Language } from '../qa/types.js';

/** The script decides: a question with any Japanese in it gets Japanese notices. */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
export const languageOf = (text: string): Language => (JAPANESE.test(text) || !/[a-z]/i.test(text) ? 'ja' : 'en');

/** Said before the answer to a question that was cut. */
export const shortenedNotice = (maxChars: number, language: Language) =>
  language === 'en'
    ? `(Your question was long, so only its first ${maxChars} characters were looked up.)\n`
    : `（ご質問が長かったため、先頭の${maxChars}文字で調べました）\n`;

/** Said before the answer to a follow-up: which question was looked up, so that a wrong guess shows. */
export function lookedUpNotice(lookup: string, language: Language): string {
  const shown = lookup.trim().replace(/[\s?？!！。．.]+$/u, '');
  return language === 'en' ? `(Looked up as “${shown}”)\n` : `（『${shown}』として調べました）\n`;
}

/** Said after a refusal when corpus/contacts.json gives a way to reach the support center: one line, what is set only. */
export function contactNotice(contact: SupportContact, language: Language): string {
  const en = language === 'en';
  const name = (en && contact.english?.name) || contact.name;
  const hours = (en && contact.english?.hours) || contact.hours;
  const parts = [
    contact.phone && `${en ? 'phone' : '電話'} ${contact.phone}`,
    hours && `${en ? 'hours' : '受付'} ${hours}`,
    contact.url,
  ].filter(Boolean);
  return `\n${en ? 'Contact' : 'お問い合わせ先'}: ${name}（${parts.join('、')}）`;
}

export const MESSAGES = {
  empty: 'ご質問の内容を書いてください。例：「休眠預金とは何ですか？」',
  rateLimited: '短い時間にたくさんのご質問をいただきました。申し訳ありませんが、1分ほどおいてからもう一度お送りください。',
  failed: '申し訳ありません。回答を作る途中でエラーが起きました。少し時間をおいて、もう一度お試しください。',
  /** Said instead of an answer when more questions wait than can be answered in time (ANSWER_QUEUE_MAX_WAIT_MS). */
  busy: 'ただいま質問が集中していて、すぐにお答えできません。申し訳ありませんが、少し時間をおいてからもう一度お送りください。',
};
