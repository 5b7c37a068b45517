/**
 * A bolt Receiver that takes requests from our own HTTP server (src/server.ts) instead of
 * listening itself. It mirrors bolt's HTTPReceiver#handleIncomingEvent with bolt's exported
 * HTTPModuleFunctions: verify the v0 signature and 5-minute timestamp window (bad → 401),
 * answer url_verification and ssl_check, then hand the event to the app with an HTTPResponseAck,
 * which sends the HTTP response as soon as a listener calls ack() — within Slack's 3 seconds —
 * while the listener goes on working. https://docs.slack.dev/apis/events-api/#responding
 *
 * Beyond bolt: the body is read by our own reader (refused by its length before reading, with
 * the connection closed); a timestamp more than 5 minutes ahead is refused as bolt refuses one
 * 5 minutes behind (bolt checks the past only); and a slash command or button click whose signed
 * request arrives again (a replay: Slack itself never resends them) is acknowledged, not handled.
 * https://docs.slack.dev/authentication/verifying-requests-from-slack/
 */
import type http from 'node:http';
import {
  HTTPModuleFunctions as httpFunc,
  HTTPResponseAck,
  type App,
  type Logger as BoltLogger,
  type Receiver,
  type ReceiverEvent,
} from '@slack/bolt';
import type { HttpRoute } from '../../server.js';
import { BodyTooLargeError, readRawBody } from '../http-body.js';

/** Slack's payloads are a few kilobytes; anything near this is not from Slack. */
const BODY_LIMIT_BYTES = 1_000_000;

/** Slack's window for a request's timestamp, either way. */
const TIMESTAMP_WINDOW_SEC = 5 * 60;

/** A replayed request is recognised while its timestamp could still pass: 5 minutes either side. */
const REPLAY_TTL_MS = 2 * TIMESTAMP_WINDOW_SEC * 1000;

/** True when `x-slack-request-timestamp` is no more than 5 minutes ahead of `nowMs` (bolt checks the past). */
export function isTimestampNotAhead(timestampSec: number, nowMs: number): boolean {
  return Number.isFinite(timestampSec) && timestampSec <= Math.floor(nowMs / 1000) + TIMESTAMP_WINDOW_SEC;
}

export interface RouteReceiverOptions {
  signingSecret: string;
  logger: BoltLogger;
  /** True the first time a key is claimed (ShortLivedState.claimOnce): the replay guard. */
  claimOnce: (key: string, ttlMs: number) => Promise<boolean>;
  /** @default '/slack/events' */
  path?: string;
  /** @default Date.now */
  now?: () => number;
}

export class RouteReceiver implements Receiver {
  readonly route: HttpRoute;
  private app?: App;

  constructor(private readonly options: RouteReceiverOptions) {
    this.route = { method: 'POST', path: options.path ?? '/slack/events', handle: (req, res) => this.handle(req, res) };
  }

  init(app: App): void {
    this.app = app;
  }

  /** Our server listens; there is nothing to start or stop here. */
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const { logger, signingSecret } = this.options;
    const now = this.options.now ?? Date.now;
    // Refused unread by its declared length; the unread rest must not become the next request.
    if (Number(req.headers['content-length'] ?? 0) > BODY_LIMIT_BYTES) {
      res.setHeader('connection', 'close');
      return httpFunc.buildNoBodyResponse(res, 413);
    }
    try {
      // Bolt reads `rawBody` when it is there instead of reading the request itself.
      (req as http.IncomingMessage & { rawBody?: Buffer }).rawBody = await readRawBody(req, BODY_LIMIT_BYTES);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      res.setHeader('connection', 'close');
      return httpFunc.buildNoBodyResponse(res, 413);
    }
    let bufferedReq;
    try {
      bufferedReq = await httpFunc.parseAndVerifyHTTPRequest({ signingSecret, bodyLimit: BODY_LIMIT_BYTES, logger }, req);
    } catch (error) {
      logger.warn(`Slack request rejected: ${(error as Error).message}`);
      httpFunc.buildNoBodyResponse(res, 401);
      return;
    }

    let body;
    try {
      body = httpFunc.parseHTTPRequestBody(bufferedReq);
    } catch (error) {
      logger.warn(`Malformed Slack request body: ${(error as Error).message}`);
      httpFunc.buildNoBodyResponse(res, 400);
      return;
    }
    if (body.ssl_check === '1') return httpFunc.buildSSLCheckResponse(res);
    // Signed (bolt checked), so the header is there and well-formed.
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    if (!isTimestampNotAhead(timestamp, now())) {
      logger.warn('Slack request rejected: x-slack-request-timestamp is more than 5 minutes ahead');
      httpFunc.buildNoBodyResponse(res, 401);
      return;
    }
    if (body.type === 'url_verification') return httpFunc.buildUrlVerificationResponse(res, body);
    // Events carry an event_id that the app claims (its retries are new requests); commands and
    // clicks carry none, and their signature names the exact signed request.
    if (body.type !== 'event_callback') {
      const signature = String(req.headers['x-slack-signature']);
      if (!(await this.options.claimOnce(`slack:request:${signature}`, REPLAY_TTL_MS))) {
        logger.info('Slack request replayed: acknowledged, not handled again');
        return httpFunc.buildNoBodyResponse(res, 200);
      }
    }

    const ack = new HTTPResponseAck({ logger, processBeforeResponse: false, httpRequest: bufferedReq, httpRequestBody: body, httpResponse: res });
    const event: ReceiverEvent = {
      body,
      ack: ack.bind(),
      retryNum: httpFunc.extractRetryNumFromHTTPRequest(req),
      retryReason: httpFunc.extractRetryReasonFromHTTPRequest(req),
    };
    try {
      await this.app?.processEvent(event);
    } catch (error) {
      const handled = await httpFunc.defaultProcessEventErrorHandler({ error: error as Error, logger, request: req, response: res, storedResponse: ack.storedResponse });
      if (handled) ack.ack();
    }
  }
}
