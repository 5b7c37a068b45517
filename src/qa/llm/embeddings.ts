/**
 * OpenAI (or OpenAI-compatible) embeddings, used when EMBEDDINGS_PROVIDER=openai.
 * The index records the embedding model; a query must be embedded by the same one.
 */
import { OpenAIEmbeddings } from '@langchain/openai';
import type { LlmConfig } from '../../config.js';
import { PLACEHOLDER_API_KEY } from './chat-model.js';

export interface OpenAIEmbeddingsOptions {
  /**
   * Left unset, the openai client asks for base64 (little-endian float32) and decodes it:
   * a quarter of the JSON size. Set 'float' for an older local server that ignores
   * `encoding_format` and always sends number arrays, which base64 decoding would garble.
   * @default undefined (base64)
   */
  encodingFormat?: 'float' | 'base64';
  /** Inputs per request; OpenAI accepts up to 2048. @default 512 */
  batchSize?: number;
  /**
   * Retries after a 5xx or a dropped connection (with back-off). An index build can afford
   * more; a live query should not wait long, since each try may take up to LLM_TIMEOUT_MS.
   * @default 1
   */
  maxRetries?: number;
}

export function createOpenAIEmbeddings(config: LlmConfig, model: string, options: OpenAIEmbeddingsOptions = {}): OpenAIEmbeddings {
  return new OpenAIEmbeddings({
    model,
    apiKey: config.apiKey ?? PLACEHOLDER_API_KEY,
    configuration: config.baseURL ? { baseURL: config.baseURL } : undefined,
    timeout: config.timeoutMs,
    maxRetries: options.maxRetries ?? 1,
    encodingFormat: options.encodingFormat,
    batchSize: options.batchSize,
  });
}
