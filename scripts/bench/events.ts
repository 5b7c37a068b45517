/**
 * The webhook events the load client sends, and how an answer seen by a fake API is traced
 * back to the event it answers. Each event gets its own id, its own LINE and Slack user (the
 * conversation layer rate-limits per user: USER_RATE_LIMIT_PER_MINUTE, 10 questions a minute) and a unique Slack event_id and ts
 * (bolt's channel drops a repeated event_id), so that every event should be answered once.
 */
import { createHmac } from 'node:crypto';

export const BENCH_LINE_SECRET = 'bench-line-secret';
/** The fake LINE API accepts only this token. */
export const BENCH_LINE_TOKEN = 'test-token';
export const BENCH_SLACK_SECRET = 'bench-slack-secret';
export const BENCH_SLACK_TOKEN = 'xoxb-bench';
const SLACK_CHANNEL = 'CBENCH';
const TS_BASE = 1_700_000_000;

export type EventKind = 'line' | 'slack';

export interface SignedRequest {
  id: string;
  kind: EventKind;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Even events go to LINE, odd ones to Slack: both channels share the offered rate. */
export const kindOf = (i: number): EventKind => (i % 2 === 0 ? 'line' : 'slack');
export const runPrefix = (run: number) => `r${run}-`;
export const eventId = (run: number, i: number) => `${runPrefix(run)}${i}`;

export function lineRequest(run: number, i: number, question: string, nowMs: number): SignedRequest {
  const id = eventId(run, i);
  const body = JSON.stringify({
    destination: 'Ubenchbot',
    events: [
      {
        type: 'message',
        mode: 'active',
        timestamp: nowMs,
        webhookEventId: `W${id}`,
        deliveryContext: { isRedelivery: false },
        replyToken: `rt.${id}`,
        source: { type: 'user', userId: `U${id}` },
        message: { id: `m${id}`, type: 'text', quoteToken: `q${id}`, text: question },
      },
    ],
  });
  // LINE signs the raw body: base64 HMAC-SHA256 with the channel secret, in x-line-signature.
  const signature = createHmac('sha256', BENCH_LINE_SECRET).update(body).digest('base64');
  return { id, kind: 'line', path: '/line/webhook', headers: { 'content-type': 'application/json', 'x-line-signature': signature }, body };
}

export function slackRequest(run: number, i: number, question: string, nowMs: number): SignedRequest {
  const id = eventId(run, i);
  const seconds = Math.floor(nowMs / 1000);
  const ts = `${TS_BASE + run}.${String(i).padStart(6, '0')}`;
  const body = JSON.stringify({
    token: 'bench',
    team_id: 'T0001',
    api_app_id: 'ABENCH',
    type: 'event_callback',
    event_id: `Ev${id}`,
    event_time: seconds,
    event: { type: 'app_mention', user: `U${id}`, text: `<@UBOT> ${question}`, ts, channel: SLACK_CHANNEL, event_ts: ts },
  });
  // Slack's v0 signature over `v0:<timestamp>:<body>`; the timestamp must be within 5 minutes.
  const signature = `v0=${createHmac('sha256', BENCH_SLACK_SECRET).update(`v0:${seconds}:${body}`).digest('hex')}`;
  return {
    id,
    kind: 'slack',
    path: '/slack/events',
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(seconds), 'x-slack-signature': signature },
    body,
  };
}

/** The event a LINE reply or push answers, from its reply token or push target. */
export function lineAnswerId(path: string, body: any): string | undefined {
  if (path === '/v2/bot/message/reply' && typeof body?.replyToken === 'string') return body.replyToken.replace(/^rt\./, '');
  if (path === '/v2/bot/message/push' && typeof body?.to === 'string') return body.to.replace(/^U/, '');
  return undefined;
}

/** The event a Slack chat.postMessage answers: the thread it was posted in is the mention's ts. */
export function slackAnswerId(method: string, args: Record<string, any>): string | undefined {
  if (method !== 'chat.postMessage' || typeof args.thread_ts !== 'string') return undefined;
  const [seconds, index] = args.thread_ts.split('.');
  return eventId(Number(seconds) - TS_BASE, Number(index));
}
