/**
 * The LLM compose step: prompt → model → text → checked answer, as one LangChain chain.
 * Every failure is an LlmError, so the answer service can fall back to the extractive answer.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { RunnableLambda, RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { LlmError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Source } from '../types.js';
import { startDeadline, toLlmError } from './llm-failure.js';
import { buildAnswerMessages, leaksSystemPrompt } from './prompt.js';
import { isAbstention, normalizeCitations, showableSoFar, stripThinking } from './reply-text.js';
import type { LlmAnswer, LlmAnswerer, LlmAnswerInput } from './types.js';

export interface LlmAnswererOptions {
  model: BaseChatModel;
  /** The whole budget for one answer, retries included. Config: LLM_TIMEOUT_MS. */
  timeoutMs: number;
  logger: Logger;
  /** @default 1200 */
  maxPassageChars?: number;
}

/** Checks the reply against the passages we sent; throws LlmError when it must not be shown. */
export function validateReply(reply: string, passages: Source[]): LlmAnswer {
  const visible = stripThinking(reply).trim();
  if (!visible) throw new LlmError('The model sent an empty reply.', 'empty');
  if (leaksSystemPrompt(visible)) {
    throw new LlmError('The model reproduced its instructions (a prompt injection?); the reply is not shown.', 'garbage');
  }
  if (isAbstention(visible)) return { text: '', citedRanks: [], abstained: true };
  const { text, cited } = normalizeCitations(visible, new Set(passages.map((p) => p.rank)));
  if (cited.length === 0) {
    throw new LlmError('The model cited none of the passages, so its reply cannot be traced to the plan.', 'garbage');
  }
  return { text: text.trim(), citedRanks: cited, abstained: false };
}

export function createLlmAnswerer({ model, timeoutMs, logger, maxPassageChars }: LlmAnswererOptions): LlmAnswerer {
  const generate = RunnableSequence.from([
    RunnableLambda.from((input: LlmAnswerInput) => buildAnswerMessages({ ...input, maxPassageChars })),
    model,
    new StringOutputParser(),
  ]).withConfig({ runName: 'llm-generate' });

  const answerChain = RunnableSequence.from([
    RunnablePassthrough.assign({ reply: generate }),
    RunnableLambda.from((x: LlmAnswerInput & { reply: string }) => validateReply(x.reply, x.passages)),
  ]).withConfig({ runName: 'llm-answer' });

  const done = (started: number, result: LlmAnswer) => {
    logger.debug('llm answer', { ms: Date.now() - started, citedRanks: result.citedRanks, abstained: result.abstained });
    return result;
  };
  const failed = (started: number, error: LlmError) => {
    logger.warn('llm answer failed; falling back', { reason: error.reason, ms: Date.now() - started, error: error.cause ?? error });
    return error;
  };

  return {
    async answer(input, signal) {
      const started = Date.now();
      const deadline = startDeadline(timeoutMs, signal);
      try {
        return done(started, await answerChain.invoke(input, { signal: deadline.signal }));
      } catch (e) {
        throw failed(started, toLlmError(e, deadline, timeoutMs));
      }
    },

    async *stream(input, signal) {
      const started = Date.now();
      // Our own controller cancels the HTTP request when the consumer stops iterating early.
      const stop = new AbortController();
      const deadline = startDeadline(timeoutMs, signal, stop.signal);
      const ranks = new Set(input.passages.map((p) => p.rank));
      let reply = '';
      let shown = '';
      try {
        for await (const delta of await generate.stream(input, { signal: deadline.signal })) {
          reply += delta;
          const showable = showableSoFar(reply, ranks);
          if (showable.length > shown.length && showable.startsWith(shown)) {
            yield showable.slice(shown.length);
            shown = showable;
          }
        }
        // LangChain may end an aborted stream quietly (it checks the signal between chunks):
        // a partial reply must not pass as an answer.
        deadline.signal.throwIfAborted();
        return done(started, validateReply(reply, input.passages));
      } catch (e) {
        throw failed(started, toLlmError(e, deadline, timeoutMs));
      } finally {
        stop.abort();
      }
    },
  };
}
