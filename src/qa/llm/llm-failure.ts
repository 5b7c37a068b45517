/**
 * Turns whatever the chat client threw into one LlmError with a reason, so the answer
 * service can fall back to the extractive answer and the log says why in one word.
 */
import { LlmError } from '../../errors.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

function* causes(e: unknown): Generator<Record<string, unknown>> {
  for (let cur = e, depth = 0; cur && typeof cur === 'object' && depth < 5; depth++) {
    yield cur as Record<string, unknown>;
    cur = (cur as { cause?: unknown }).cause;
  }
}

function isConnectionFailure(e: unknown): boolean {
  for (const c of causes(e)) {
    if (c.constructor?.name === 'APIConnectionError') return true;
    if (typeof c.code === 'string' && CONNECTION_CODES.has(c.code)) return true;
  }
  return false;
}

/** LangChain renames the openai client's APIConnectionTimeoutError to a plain Error named TimeoutError. */
const isTimeoutName = (e: unknown) => [...causes(e)].some((c) => c.name === 'TimeoutError');

export interface Deadline {
  /** Aborts after `timeoutMs`, or when the caller's signal aborts. */
  signal: AbortSignal;
  timedOut(): boolean;
  callerAborted(): boolean;
}

/** `AbortSignal.timeout(timeoutMs)` combined with the caller's signal (a user who left, a shutdown). */
export function startDeadline(timeoutMs: number, caller?: AbortSignal, own?: AbortSignal): Deadline {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signals = [timeout, caller, own].filter((s): s is AbortSignal => s !== undefined);
  return {
    signal: signals.length === 1 ? timeout : AbortSignal.any(signals),
    timedOut: () => timeout.aborted,
    callerAborted: () => caller?.aborted ?? false,
  };
}

export function toLlmError(e: unknown, deadline: Deadline, timeoutMs: number): LlmError {
  if (e instanceof LlmError) return e;
  if (deadline.timedOut() || isTimeoutName(e)) {
    return new LlmError(`The model gave no answer within LLM_TIMEOUT_MS=${timeoutMs} ms.`, 'timeout', { cause: e });
  }
  if (deadline.callerAborted()) return new LlmError('The caller cancelled the model request.', 'timeout', { cause: e });
  const status = (e as { status?: unknown } | null)?.status;
  if (typeof status === 'number') {
    return new LlmError(`The model server answered HTTP ${status}; check OPENAI_MODEL and OPENAI_API_KEY.`, 'http', { cause: e });
  }
  if (isConnectionFailure(e)) {
    return new LlmError('Cannot reach the model server: is it running at OPENAI_BASE_URL?', 'connection', { cause: e });
  }
  return new LlmError('The model server sent a reply that is not a chat completion.', 'garbage', { cause: e });
}
