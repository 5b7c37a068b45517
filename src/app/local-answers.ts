/**
 * The answer service and the follow-up step in this process, from configuration: the text
 * stack, the live engine, and the model steps when a model is configured. The answer worker
 * (src/app/worker), `npm run ask`, `npm run eval` and the tests all start here, so they answer alike.
 */
import type { Config } from '../config.js';
import { createFollowUps } from '../conversation/follow-up.js';
import type { FollowUps } from '../conversation/types.js';
import type { Logger } from '../logger.js';
import { createAnswerService } from '../qa/answer-service.js';
import type { Engine } from '../qa/engine.js';
import type { FollowUpRewriter, LlmAnswerer } from '../qa/llm/types.js';
import type { AnswerService } from '../qa/types.js';
import { loadEngine } from './engine-loader.js';
import { loadTextStack, type TextStack } from './text-stack.js';

export interface LocalAnswers {
  answers: AnswerService;
  followUps: FollowUps;
  /** The engine answering now. */
  engine: () => Engine;
  stack: TextStack;
  /** Makes `next` the engine of the following questions (an index swap). */
  swap(next: Engine): void;
}

/** The model's compose and follow-up steps, when a model is configured (its modules load only then). */
async function modelSteps(config: Config, logger: Logger): Promise<{ llm?: LlmAnswerer; rewriter?: FollowUpRewriter }> {
  if (!config.llm) return {};
  const { createChatModel } = await import('../qa/llm/chat-model.js');
  const { createLlmAnswerer } = await import('../qa/llm/llm-answer.js');
  const { createFollowUpRewriter } = await import('../qa/llm/rewrite-follow-up.js');
  const model = createChatModel(config.llm);
  const { timeoutMs } = config.llm;
  return {
    llm: createLlmAnswerer({ model, timeoutMs, logger }),
    // A third of the budget: a follow-up must not make the user wait twice LLM_TIMEOUT_MS.
    rewriter: createFollowUpRewriter({ model, timeoutMs: Math.max(1000, Math.round(timeoutMs / 3)), logger }),
  };
}

/** The answer service over the live index, or over an older `build` when one is asked for. */
export async function createDefaultAnswerService(config: Config, logger: Logger, options: { build?: string } = {}): Promise<LocalAnswers> {
  const stack = await loadTextStack(config);
  let live = await loadEngine(config, stack, logger, options.build);
  const { llm, rewriter } = await modelSteps(config, logger);
  const engine = () => live;
  return {
    answers: createAnswerService({ engine, logger, llm }),
    followUps: createFollowUps({ analyzer: stack.analyzer, rewriter }),
    engine,
    stack,
    swap: (next) => void (live = next),
  };
}
