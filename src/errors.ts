/**
 * One error module for the whole bot (after bolt-js `src/errors.ts`).
 * Every error carries a string `code` and, where there was one, the `cause`;
 * messages say how to fix the problem, because a maintainer reads them in a terminal.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'source_invalid'
  | 'index_missing'
  | 'index_invalid'
  | 'index_embedder_mismatch'
  | 'question_invalid'
  | 'signature_invalid'
  | 'channel_api_failed'
  | 'llm_failed'
  | 'worker_failed'
  | 'curated_invalid'
  | 'store_unavailable';

export class BotError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad settings found at start-up. */
export class ConfigError extends BotError {
  constructor(message: string) {
    super('config_invalid', message);
  }
}

/** A plan source file that cannot be turned into sections (empty, binary, wrong encoding, no headings). */
export class SourceError extends BotError {
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super('source_invalid', `${file}: ${message}`, options);
  }
}

/** An index folder that is missing, partial, corrupt or built with another embedder. */
export class IndexError extends BotError {
  constructor(
    code: 'index_missing' | 'index_invalid' | 'index_embedder_mismatch',
    message: string,
    readonly dir: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

/** A question the service refuses to look up (empty, only symbols). The message is safe to show users. */
export class QuestionError extends BotError {
  constructor(message: string) {
    super('question_invalid', message);
  }
}

/** A webhook whose signature does not match its body. */
export class SignatureError extends BotError {
  constructor(message: string) {
    super('signature_invalid', message);
  }
}

/** A LINE or Slack Web API call that failed; `status` is the HTTP status or the Slack error code. */
export class ChannelApiError extends BotError {
  constructor(
    message: string,
    readonly channel: 'line' | 'slack',
    readonly status: number | string,
    options?: { cause?: unknown },
  ) {
    super('channel_api_failed', message, options);
  }
}

/** The language model failed in a way that makes us fall back to the extractive answer. */
export class LlmError extends BotError {
  constructor(
    message: string,
    readonly reason: 'timeout' | 'http' | 'connection' | 'empty' | 'garbage',
    options?: { cause?: unknown },
  ) {
    super('llm_failed', message, options);
  }
}

/** A curated answer that cannot be stored as given (no phrasing, no answer, a malformed import file). */
export class CuratedError extends BotError {
  constructor(message: string) {
    super('curated_invalid', message);
  }
}

/** The database behind the store cannot be opened or migrated (a wrong DATABASE_URL, a file that is not SQLite). */
export class StoreError extends BotError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store_unavailable', message, options);
  }
}

export const isBotError = (e: unknown): e is BotError => e instanceof BotError;
export const isIndexError = (e: unknown): e is IndexError => e instanceof IndexError;
export const isSourceError = (e: unknown): e is SourceError => e instanceof SourceError;
export const isQuestionError = (e: unknown): e is QuestionError => e instanceof QuestionError;
export const isSignatureError = (e: unknown): e is SignatureError => e instanceof SignatureError;
