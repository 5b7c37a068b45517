/**
 * The LINE channel's one error handler, for what goes wrong around a question (a refused or
 * failed question is already an outcome of the conversation layer): logs the detail once and
 * says what the user should read, if anything. Logs never hold raw LINE user ids (a personal
 * identifier): only their hash (src/user-hash.ts), which the event handler puts in the context.
 */
import { HTTPFetchError } from '@line/bot-sdk';
import { ChannelApiError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { TEXT } from './messages.js';

export interface ErrorContext {
  event: string;
  /** The user's hash. */
  user: string;
}

/** Returns the text to send the user, or undefined when nothing should (or can) be sent. */
export type LineErrorHandler = (error: unknown, context: ErrorContext) => string | undefined;

export function createLineErrorHandler(logger: Logger): LineErrorHandler {
  return (error, context) => {
    if (error instanceof ChannelApiError) {
      const cause = error.cause;
      logger.error('LINE API call failed', {
        ...context,
        error,
        status: error.status,
        body: cause instanceof HTTPFetchError ? cause.body.slice(0, 300) : undefined,
        cause: cause instanceof Error && !(cause instanceof HTTPFetchError) ? cause.message : undefined,
      });
      // Sending is what failed: trying to send an apology the same way would fail too.
      return undefined;
    }
    logger.error('LINE event failed', { ...context, error });
    return TEXT.apology;
  };
}
