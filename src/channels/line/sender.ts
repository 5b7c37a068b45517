/**
 * Sending to LINE: reply while the reply token is fresh, otherwise push; bounded retries on
 * 429 and 5xx. A reply token is good for one reply and not guaranteed past about a minute
 * (https://developers.line.biz/en/reference/messaging-api/#send-reply-message), so any reply
 * failure falls back to push. Push carries an X-Line-Retry-Key, which LINE documents as safe
 * to retry with (https://developers.line.biz/en/reference/messaging-api/#retry-api-request).
 */
import { randomUUID } from 'node:crypto';
import { HTTPFetchError, type messagingApi } from '@line/bot-sdk';
import { ChannelApiError } from '../../errors.js';
import type { Logger } from '../../logger.js';

export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  retries: number;
  /** Backoff doubles from here. @default 500 */
  baseDelayMs: number;
  /** Cap on any wait, Retry-After included. @default 5000 */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { retries: 2, baseDelayMs: 500, maxDelayMs: 5_000 };

/** Where one event's answer goes. */
export interface Destination {
  /** Cleared once used: a reply token works once, whatever the outcome. */
  replyToken?: string;
  /** The event's timestamp (ms). */
  eventTime: number;
  /** userId, groupId or roomId, for push. */
  to?: string;
  /** Hashed user id, for logs. */
  user: string;
}

export interface LineSender {
  send(dest: Destination, messages: messagingApi.Message[]): Promise<'reply' | 'push'>;
  /** Best effort: the animation is a courtesy, so failures are logged, never thrown. */
  showLoading(userId: string, user: string): Promise<void>;
}

export interface SenderOptions {
  client: messagingApi.MessagingApiClient;
  logger: Logger;
  retry: RetryOptions;
  /** Past this age of the event, push instead of reply. */
  replyDeadlineMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const statusOf = (error: unknown) => (error instanceof HTTPFetchError ? error.status : undefined);
const bodyOf = (error: unknown) => (error instanceof HTTPFetchError ? error.body.slice(0, 300) : undefined);

function retryDelay(error: unknown, attempt: number, retry: RetryOptions, now: number): number {
  const header = error instanceof HTTPFetchError ? error.headers?.get('retry-after') : null;
  let wait = retry.baseDelayMs * 2 ** attempt;
  if (header) {
    const seconds = Number(header);
    wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now || wait;
  }
  return Math.min(Math.max(0, wait), retry.maxDelayMs);
}

export function createLineSender(options: SenderOptions): LineSender {
  const { client, logger, retry, now, sleep } = options;

  async function withRetry<T>(call: string, user: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        const status = statusOf(error);
        // No status means the request never got an answer (connection refused, reset): worth another try.
        const retryable = status === undefined || status === 429 || status >= 500;
        if (!retryable || attempt >= retry.retries) {
          throw new ChannelApiError(`LINE ${call} failed`, 'line', status ?? 'network', { cause: error });
        }
        const delayMs = retryDelay(error, attempt, retry, now());
        logger.warn('LINE API call failed, retrying', { call, status, body: bodyOf(error), attempt: attempt + 1, delayMs, user });
        await sleep(delayMs);
      }
    }
  }

  async function push(dest: Destination, messages: messagingApi.Message[]): Promise<'push'> {
    if (!dest.to) throw new ChannelApiError('cannot push: the event has no user, group or room id', 'line', 'no_target');
    const to = dest.to;
    const retryKey = randomUUID(); // the same key on every retry: LINE delivers at most once
    try {
      await withRetry('push', dest.user, () => client.pushMessage({ to, messages }, retryKey));
    } catch (error) {
      // 409: an earlier attempt with this retry key was accepted after all.
      if (statusOf((error as Error).cause) !== 409) throw error;
    }
    return 'push';
  }

  return {
    async send(dest, messages) {
      const token = dest.replyToken;
      dest.replyToken = undefined;
      if (token && now() - dest.eventTime < options.replyDeadlineMs) {
        try {
          await withRetry('reply', dest.user, () => client.replyMessage({ replyToken: token, messages }));
          return 'reply';
        } catch (error) {
          const cause = (error as Error).cause;
          logger.warn('LINE reply failed, pushing instead', { status: statusOf(cause), body: bodyOf(cause), user: dest.user });
        }
      }
      return push(dest, messages);
    },
    async showLoading(userId, user) {
      try {
        // 5–60 s in steps of 5; the animation also ends as soon as our message arrives.
        await client.showLoadingAnimation({ chatId: userId, loadingSeconds: 30 });
      } catch (error) {
        logger.warn('LINE loading animation failed', { status: statusOf(error), body: bodyOf(error), user });
      }
    },
  };
}
