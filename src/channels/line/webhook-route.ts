/**
 * POST /line/webhook: check the signature on the raw bytes, answer 200 at once, then hand the
 * batch's events on (to the handler in this process, or to an answer worker: src/app). LINE
 * wants the 200 quickly and redelivers otherwise
 * (https://developers.line.biz/en/docs/messaging-api/receiving-messages/#webhook-response).
 * Only node:crypto and the SDK's types: the server's thread never loads the SDK itself.
 */
import type http from 'node:http';
import type { webhook } from '@line/bot-sdk';
import type { Logger } from '../../logger.js';
import type { HttpRoute } from '../../server.js';
import { readBodyWithin, sendJson } from '../http-body.js';
import { chatIdOf } from './event-handler.js';
import { verifyLineSignature } from './signature.js';

/** LINE's batches are small; anything near this is not LINE. */
export const WEBHOOK_BODY_LIMIT = 1_000_000;

export interface WebhookRouteDeps {
  channelSecret: string;
  logger: Logger;
  /**
   * Takes a verified batch's events, in the same tick as the 200, so that whoever counts work
   * in flight never misses a batch the client saw accepted.
   */
  accept: (events: webhook.Event[]) => void;
}

/** Events of one chat in order (a follow-up needs the answer before it); chats in parallel. */
export async function handleBatch(events: webhook.Event[], handleEvent: (event: webhook.Event) => Promise<void>, onEventError: (error: unknown) => void): Promise<void> {
  const byChat = new Map<string, webhook.Event[]>();
  events.forEach((event, i) => {
    const key = chatIdOf(event.source) ?? `#${i}`;
    byChat.set(key, [...(byChat.get(key) ?? []), event]);
  });
  // allSettled: one chat's failure neither hides the others' nor ends the batch early.
  await Promise.allSettled(
    [...byChat.values()].map(async (chatEvents) => {
      for (const event of chatEvents) await handleEvent(event).catch(onEventError);
    }),
  );
}

export function createWebhookRoute({ channelSecret, logger, accept }: WebhookRouteDeps): HttpRoute {
  return {
    method: 'POST',
    path: '/line/webhook',
    async handle(req: http.IncomingMessage, res: http.ServerResponse) {
      const raw = await readBodyWithin(req, res, WEBHOOK_BODY_LIMIT, () => sendJson(res, 413, { error: 'payload_too_large' }));
      if (!raw) return;
      const signature = req.headers['x-line-signature'];
      if (typeof signature !== 'string' || !verifyLineSignature(raw, channelSecret, signature)) {
        logger.warn('LINE webhook signature invalid', { hasSignature: typeof signature === 'string', bytes: raw.length });
        return sendJson(res, 401, { error: 'invalid_signature' });
      }
      let events: webhook.Event[];
      try {
        const body = JSON.parse(raw.toString('utf8')) as Partial<webhook.CallbackRequest> | null;
        if (!body || !Array.isArray(body.events)) throw new Error('no events array');
        events = body.events.filter((e): e is webhook.Event => typeof e === 'object' && e !== null);
      } catch (error) {
        logger.warn('LINE webhook body is not a callback request', { error, bytes: raw.length });
        return sendJson(res, 400, { error: 'invalid_body' });
      }
      sendJson(res, 200, {});
      accept(events);
    },
  };
}
