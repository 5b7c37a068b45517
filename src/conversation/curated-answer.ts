/**
 * A curated answer as every channel shows an answer: its text under the label that says who
 * answers (the support center, not the plan) and since when, and the plan section it rests on
 * as its one source when it names one. Channels need nothing new: they show an answer's text
 * and sources as they always do.
 */
import type { Answer, Source } from '../qa/types.js';
import type { CuratedAnswer } from '../store/curated.js';

/** The month in Japan's time, so an answer saved on the 1st before 9:00 JST is not dated a month early. */
export function curatedLabel(createdAt: Date): string {
  const jst = new Date(createdAt.getTime() + 9 * 60 * 60_000);
  return `やまぐち県民活動支援センターの回答（${jst.getUTCFullYear()}年${jst.getUTCMonth() + 1}月登録）`;
}

export function curatedAnswerOf(curated: CuratedAnswer, source?: Source): Answer {
  return {
    answer: `${curatedLabel(curated.createdAt)}\n${curated.answer}`,
    abstained: false,
    mode: 'curated',
    language: 'ja',
    sources: source ? [source] : [],
    curatedId: curated.id,
  };
}
