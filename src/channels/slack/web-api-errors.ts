/**
 * Slack Web API failures, named by Slack's own error code (`data.error`, e.g. `not_in_channel`,
 * `invalid_blocks`: https://docs.slack.dev/reference/methods/chat.postMessage#errors) so that
 * the log says what to fix.
 */
import { ChannelApiError } from '../../errors.js';

/** Slack's error code for a failed call, or a transport-level code. */
export function slackErrorCode(error: unknown): string {
  const e = error as { code?: unknown; data?: { error?: unknown }; statusCode?: unknown } | undefined;
  if (typeof e?.data?.error === 'string') return e.data.error;
  if (typeof e?.statusCode === 'number') return `http_${e.statusCode}`;
  if (typeof e?.code === 'string') return e.code;
  return 'unknown';
}

/** Wraps a failed call in our ChannelApiError, keeping the original as `cause`. */
export function toChannelApiError(method: string, error: unknown): ChannelApiError {
  const code = slackErrorCode(error);
  return new ChannelApiError(`Slack ${method} failed: ${code}`, 'slack', code, { cause: error });
}

export type SlackCallResult<T> = { ok: true; value: T } | { ok: false; code: string };

/**
 * Runs one Web API call (or response_url post); on failure logs the method and Slack's error
 * code once and returns it, so the caller can still try a short apology.
 */
export async function callSlack<T>(
  logger: { error(msg: string, fields?: Record<string, unknown>): void },
  method: string,
  call: () => Promise<T>,
): Promise<SlackCallResult<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    const wrapped = toChannelApiError(method, error);
    logger.error(wrapped.message, { method, slackError: wrapped.status });
    return { ok: false, code: String(wrapped.status) };
  }
}
