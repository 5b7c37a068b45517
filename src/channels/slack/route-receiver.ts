/**
 * A bolt Receiver that takes requests from our own HTTP server (src/server.ts) instead of
 * listening itself. It mirrors bolt's HTTPReceiver#handleIncomingEvent with bolt's exported
 * HTTPModuleFunctions: verify the v0 signature and 5-minute timestamp window (bad → 401),
 * answer url_verification and ssl_check, then hand the event to the app with an HTTPResponseAck,
 * which sends the HTTP response as soon as a listener calls ack() — within Slack's 3 seconds —
 * while the listener goes on working. https://docs.slack.dev/apis/events-api/#responding
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

/** Slack's payloads are a few kilobytes; anything near this is not from Slack. */
const BODY_LIMIT_BYTES = 1_000_000;

export interface RouteReceiverOptions {
  signingSecret: string;
  logger: BoltLogger;
  /** @default '/slack/events' */
  path?: string;
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
    let bufferedReq;
    try {
      bufferedReq = await httpFunc.parseAndVerifyHTTPRequest({ signingSecret, bodyLimit: BODY_LIMIT_BYTES, logger }, req);
    } catch (error) {
      if (httpFunc.isRawBodyError(error) && error.statusCode === 413) {
        httpFunc.buildNoBodyResponse(res, 413);
        return;
      }
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
    if (body.type === 'url_verification') return httpFunc.buildUrlVerificationResponse(res, body);

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
