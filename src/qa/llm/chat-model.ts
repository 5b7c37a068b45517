/**
 * The one place that builds the chat client. Any OpenAI-compatible server works (OpenAI,
 * llama.cpp server, Ollama, vLLM): they all speak `POST /v1/chat/completions`.
 */
import { ChatOpenAI } from '@langchain/openai';
import type { LlmConfig } from '../../config.js';

/** Local servers ignore the key, but the `openai` client refuses to start without one. */
export const PLACEHOLDER_API_KEY = 'not-needed';

/**
 * Bounds the reply: ≈ 300 Japanese characters is 300–450 tokens; the rest is headroom.
 * It also stops a small local model that loops from holding the request until the timeout.
 * @default 800
 */
export const MAX_ANSWER_TOKENS = 800;

/** o1/o3/gpt-5 reasoning models reject `temperature` other than 1, and spend max tokens on thinking. */
export function isReasoningModel(model: string): boolean {
  return /^o\d/.test(model) || (model.startsWith('gpt-5') && !model.startsWith('gpt-5-chat'));
}

/**
 * `maxRetries: 0` and one request timeout of the whole `timeoutMs`, because:
 * - a failure has a good fallback (the extractive answer), so a retry buys little;
 * - LangChain's retry waits with exponential back-off (≥ 1 s) before retrying a 5xx, which
 *   would eat most of a phone user's patience;
 * - a local server on a CPU may need the whole budget to write 300 characters, so halving it
 *   per attempt would turn slow-but-working into always-failing.
 * The answerer also aborts at `timeoutMs` with an AbortSignal, so the total never exceeds it.
 */
export function createChatModel(config: LlmConfig): ChatOpenAI {
  const reasoning = isReasoningModel(config.model);
  return new ChatOpenAI({
    model: config.model,
    apiKey: config.apiKey ?? PLACEHOLDER_API_KEY,
    configuration: config.baseURL ? { baseURL: config.baseURL } : undefined,
    timeout: config.timeoutMs,
    maxRetries: 0,
    // Same passages, same answer: residents comparing answers should not see them drift.
    ...(reasoning ? {} : { temperature: 0, maxTokens: MAX_ANSWER_TOKENS }),
  });
}
