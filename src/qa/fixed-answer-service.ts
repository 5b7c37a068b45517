/**
 * An AnswerService over a fixed function: for channel tests and the webhook benchmark's
 * floor, where what matters is the transport, not retrieval.
 */
import type { Answer, AnswerContext, AnswerService, IndexInfo } from './types.js';

export function createFixedAnswerService(
  respond: (question: string, context?: AnswerContext) => Answer | Promise<Answer>,
  info: IndexInfo = { planVersion: 'test', build: 'test', chunkCount: 0, embedder: 'none', plan: { title: '' } },
): AnswerService {
  return {
    answer: async (question, context) => respond(question, context),
    async *stream(question, context) {
      const result = await respond(question, context);
      yield result.answer;
      return result;
    },
    info: () => info,
  };
}
