/** What every channel gets back from the answer service, and the shape of `npm run ask -- --json`. */
import type { PlanIdentity } from '../corpus/plan-identity.js';

/** `curated`: the answer staff wrote for the question (src/store/curated.ts), not one made from the plan. */
export type AnswerMode = 'extractive' | 'llm' | 'curated';
/** How one question ended, as the question log and the metrics count it. */
export type AnswerOutcome = 'answered' | 'abstained' | 'failed';
export type Language = 'ja' | 'en';

export interface Source {
  /** 1-based rank after fusion and de-duplication. */
  rank: number;
  /** Fused relevance score (higher is better); comparable only within one answer. */
  score: number;
  /** Heading path, e.g. `本文 > 第5章 施策の展開方向 > 2 … > (5) 休眠預金の活用等による民間公益活動の促進`. */
  section: string;
  /** The whole passage, as the plan says it (lines joined, noise dropped). */
  text: string;
  /** Stable id of the chunk in the index. */
  chunkId: string;
}

export interface Answer {
  answer: string;
  abstained: boolean;
  mode: AnswerMode;
  language: Language;
  sources: Source[];
  /** The question actually looked up (a follow-up is rewritten into a standalone question). */
  standaloneQuestion?: string;
  /** With mode `curated`: the id of the curated answer given (src/store/curated.ts). */
  curatedId?: number;
}

/** One question and its answer in a conversation, as follow-ups look back on them. */
export interface Turn {
  question: string;
  answer: string;
  /** What was looked up instead, when the question was a follow-up (「それはいつから？」 → 「休眠預金はいつから？」). */
  lookedUp?: string;
}

export interface AnswerContext {
  /** Cancels the answer (a model call in flight) when the asker has gone. */
  signal?: AbortSignal;
}

export interface IndexInfo {
  /** The plan version label given at build time, e.g. `3rd-2018`. */
  planVersion: string;
  /** Build id of the loaded index folder. */
  build: string;
  chunkCount: number;
  embedder: string;
  /** What the plan of this index calls itself (from its manifest): answers, greetings and labels name it so. */
  plan: PlanIdentity;
}

/** The one answer service; every channel reaches it through the conversation layer. It never knows which channel asked. */
export interface AnswerService {
  answer(question: string, context?: AnswerContext): Promise<Answer>;
  /** Yields text deltas as they are made, then returns the final answer. Offline, it yields the whole answer once. */
  stream(question: string, context?: AnswerContext): AsyncGenerator<string, Answer, void>;
  info(): IndexInfo;
}
