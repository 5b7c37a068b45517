/** Messages between the server's main thread and the answer worker (structured-clone safe). */
import type { Answer, IndexInfo, Turn } from '../../qa/types.js';

export type ToWorker =
  | { type: 'answer' | 'stream'; id: number; question: string }
  | { type: 'follow-up'; id: number; question: string; history: Turn[] }
  | { type: 'cancel'; id: number }
  | { type: 'check-index' };

/** An error as it crosses the thread boundary: enough to rebuild a QuestionError or report the rest. */
export interface WireError {
  name: string;
  code?: string;
  message: string;
}

export type FromWorker =
  | { type: 'ready'; info: IndexInfo }
  | { type: 'info'; info: IndexInfo }
  | { type: 'failed'; error: WireError }
  | { type: 'delta'; id: number; text: string }
  | { type: 'result'; id: number; answer: Answer }
  | { type: 'resolved'; id: number; lookup: string; followUp: boolean }
  | { type: 'error'; id: number; error: WireError };
