/**
 * `POST /slack/events` on the server's thread: read the body, verify the v0 signature and the
 * 5-minute window (bad → 401), answer url_verification and ssl_check, acknowledge — a slash
 * command with its note, everything else with an empty 200 — and hand the verified body on.
 * Nothing here waits for an answer, so the ack is always within Slack's 3 seconds
 * (https://docs.slack.dev/apis/events-api/#responding). Where the body goes (the bolt app in
 * an answer worker, or in this process) is the caller's: see forwarded-receiver.ts.
 */
import type http from 'node:http';
import type { PlanIdentity } from '../../corpus/plan-identity.js';
import type { Logger } from '../../logger.js';
import type { HttpRoute } from '../../server.js';
import { readBodyWithin, sendJson } from '../http-body.js';
import { slashAcknowledgement } from './messages.js';
import { questionFromSlackText } from './mrkdwn.js';
import { SLACK_TIMESTAMP_WINDOW_S, slackSignatureProblem } from './signature.js';

/** Slack's payloads are a few kilobytes; anything near this is not from Slack. */
const BODY_LIMIT_BYTES = 1_000_000;

/** How long a modal's submission waits for its listener's ack: inside Slack's 3 seconds. */
const VIEW_ACK_WAIT_MS = 2_500;

/** A replayed request is recognised while its timestamp could still pass: 5 minutes either side. */
const REPLAY_TTL_MS = 2 * SLACK_TIMESTAMP_WINDOW_S * 1000;

/** A verified request, as the bolt app takes it. Structured-clone safe (it crosses to a worker). */
export interface SlackDelivery {
  body: Record<string, any>;
  /** `X-Slack-Retry-Num`: Slack thinks it missed our ack. */
  retryNum?: number;
  retryReason?: string;
}

export interface SlackIngressOptions {
  signingSecret: string;
  slashCommand: string;
  logger: Logger;
  /** The live plan, for the usage an empty slash command gets. */
  plan: () => Promise<PlanIdentity>;
  /** Takes the verified request after its ack has been sent. */
  forward: (delivery: SlackDelivery) => void;
  /**
   * Hands on a request whose HTTP response is what a listener acknowledges with — a modal's
   * view_submission, whose ack says whether the form had errors — and resolves with that ack.
   */
  forwardForAck: (delivery: SlackDelivery) => Promise<unknown>;
  /** True the first time a key is claimed (ShortLivedState.claimOnce): the replay guard. */
  claimOnce: (key: string, ttlMs: number) => Promise<boolean>;
  /** @default Date.now */
  now?: () => number;
}

const header = (req: http.IncomingMessage, name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Events come as JSON; slash commands as a form; interactivity as JSON in a form's `payload` field. */
function parseBody(raw: Buffer, contentType: string | undefined): Record<string, any> {
  const text = raw.toString('utf8');
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    const form = Object.fromEntries(new URLSearchParams(text));
    return typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
  }
  const body = JSON.parse(text);
  if (!body || typeof body !== 'object') throw new Error('not a JSON object');
  return body;
}

export function createSlackIngressRoute(options: SlackIngressOptions): HttpRoute {
  const { signingSecret, logger } = options;
  const now = options.now ?? Date.now;
  const noBody = (res: http.ServerResponse, status: number) => {
    res.writeHead(status);
    res.end();
  };
  return {
    method: 'POST',
    path: '/slack/events',
    async handle(req, res) {
      const raw = await readBodyWithin(req, res, BODY_LIMIT_BYTES, () => noBody(res, 413));
      if (!raw) return;
      const problem = slackSignatureProblem({
        signingSecret,
        rawBody: raw,
        timestamp: header(req, 'x-slack-request-timestamp'),
        signature: header(req, 'x-slack-signature'),
        nowMs: now(),
      });
      if (problem) {
        // The same words as bolt's receiver, which docs/slack.md quotes for operators.
        logger.warn(`Slack request rejected: Failed to verify authenticity: ${problem}`, { bytes: raw.length });
        return noBody(res, 401);
      }
      let body: Record<string, any>;
      try {
        body = parseBody(raw, header(req, 'content-type'));
      } catch (error) {
        logger.warn('Malformed Slack request body', { error, bytes: raw.length });
        return noBody(res, 400);
      }
      if (body.ssl_check === '1') return noBody(res, 200);
      if (body.type === 'url_verification') return sendJson(res, 200, { challenge: body.challenge });
      // Events carry an event_id that the app claims (its retries are new requests); commands and
      // clicks carry none, and their signature names the exact signed request: one that arrives
      // again is a replay (Slack itself never resends them), acknowledged but not handled.
      if (body.type !== 'event_callback' && !(await options.claimOnce(`slack:request:${header(req, 'x-slack-signature')}`, REPLAY_TTL_MS))) {
        logger.info('Slack request replayed: acknowledged, not handled again');
        return noBody(res, 200);
      }

      const retryNum = Number(header(req, 'x-slack-retry-num'));
      const delivery: SlackDelivery = { body, retryNum: Number.isInteger(retryNum) ? retryNum : undefined, retryReason: header(req, 'x-slack-retry-reason') };
      if (body.type === 'view_submission') {
        // Slack closes the modal on an empty 200: wait (within its 3 seconds) for what the listener says.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), VIEW_ACK_WAIT_MS)));
        const acked = await Promise.race([options.forwardForAck(delivery), late]);
        clearTimeout(timer);
        return acked ? sendJson(res, 200, acked) : noBody(res, 200);
      }
      if (typeof body.command === 'string' && body.command === options.slashCommand) {
        sendJson(res, 200, await slashAcknowledgement(options.slashCommand, questionFromSlackText(body.text), options.plan));
      } else {
        noBody(res, 200);
      }
      options.forward(delivery);
    },
  };
}
