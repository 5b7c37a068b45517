/**
 * The model step's interfaces, defined once: the answer service depends on them, and
 * src/qa/llm implements them. Offline, none of them is present.
 */
import type { PlanIdentity } from '../../corpus/plan-identity.js';
import type { Language, Source, Turn } from '../types.js';

// A type alias, not an interface: RunnablePassthrough.assign wants an indexable record.
export type LlmAnswerInput = {
  question: string;
  language: Language;
  /** Numbered in the prompt by `Source.rank`. */
  passages: Source[];
  /** The plan the passages come from, named in the prompt. */
  plan: PlanIdentity;
};

export interface LlmAnswer {
  /** Empty when abstained: the service writes the polite abstention itself. */
  text: string;
  /** Ranks of the passages the answer cites, ascending. Never empty unless abstained. */
  citedRanks: number[];
  abstained: boolean;
}

/** The compose step with a model (src/qa/llm/llm-answer.ts). */
export interface LlmAnswerer {
  /** Throws LlmError ('timeout' | 'http' | 'connection' | 'empty' | 'garbage'). */
  answer(input: LlmAnswerInput, signal?: AbortSignal): Promise<LlmAnswer>;
  /**
   * Yields text deltas as they arrive (the sentinel and unclosed citations are held back),
   * then checks the whole reply like `answer()` and returns it. If the check fails it throws
   * LlmError after deltas were yielded: a channel that already showed them must replace them
   * with the fallback answer. The returned `text` is authoritative (a dropped citation can
   * make it differ from the deltas); a channel that edits one message in place should end
   * with it.
   */
  stream(input: LlmAnswerInput, signal?: AbortSignal): AsyncGenerator<string, LlmAnswer, void>;
}

/** A follow-up (「それはいつから？」) rewritten by the model as a question that stands alone. */
export interface FollowUpRewriter {
  /** The model's standalone question; undefined when it failed (never throws). `signal` cancels the model call. */
  rewrite(question: string, history: Turn[], signal?: AbortSignal): Promise<string | undefined>;
}
