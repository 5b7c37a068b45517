/** The JSON shape of an answer: `npm run ask -- --json`, `POST /api/ask` and the web page's `done` event. */
import type { Answer } from './types.js';

export interface AnswerJson {
  id?: string;
  question: string;
  answer: string;
  abstained: boolean;
  mode: Answer['mode'];
  /** With mode `curated`: which curated answer it was. */
  curatedId?: number;
  sources: Array<{ rank: number; score: number; section: string; text: string }>;
  ms: number;
}

export function toAnswerJson(question: string, answer: Answer, ms: number, id?: string): AnswerJson {
  return {
    ...(id === undefined ? {} : { id }),
    question,
    answer: answer.answer,
    abstained: answer.abstained,
    mode: answer.mode,
    ...(answer.curatedId === undefined ? {} : { curatedId: answer.curatedId }),
    sources: answer.sources.map(({ rank, score, section, text }) => ({ rank, score, section, text })),
    ms: Math.round(ms * 10) / 10,
  };
}
