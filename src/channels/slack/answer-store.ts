/**
 * Answers kept for a while so that a button click (👍/👎, 「チャンネルに投稿」) can find the
 * question, answer and sources it belongs to. Slack caps a button value at 2,000 characters,
 * so the button carries only the id. Bounded: the oldest entries are dropped first.
 */
import { randomUUID } from 'node:crypto';
import type { Answer } from '../../qa/types.js';

export interface StoredAnswer {
  question: string;
  answer: Answer;
}

export interface AnswerStore {
  put(entry: StoredAnswer): string;
  get(id: string): StoredAnswer | undefined;
}

/** @param maxEntries how many answers to remember. @default 2000 */
export function createAnswerStore(maxEntries = 2000): AnswerStore {
  const entries = new Map<string, StoredAnswer>();
  return {
    put(entry) {
      const id = randomUUID();
      entries.set(id, entry);
      // A Map iterates in insertion order, so the first key is the oldest.
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return id;
    },
    get: (id) => entries.get(id),
  };
}
