/**
 * Slack's request signature: `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the
 * signing secret, refused when the timestamp is more than five minutes away from now (a replay)
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack). A pure function with
 * the clock passed in, as bolt's verify-request.ts; node:crypto alone, so that the server's
 * thread verifies without loading bolt.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window. */
export const SLACK_TIMESTAMP_WINDOW_S = 5 * 60;

export interface SlackSignatureInput {
  signingSecret: string;
  rawBody: Buffer | string;
  /** `x-slack-request-timestamp`: Unix seconds. */
  timestamp: string | undefined;
  /** `x-slack-signature`. */
  signature: string | undefined;
  /** Now, in ms since the epoch. */
  nowMs: number;
}

/** Why a request was refused, or undefined when it is Slack's. */
export function slackSignatureProblem(input: SlackSignatureInput): string | undefined {
  const { signingSecret, rawBody, timestamp, signature, nowMs } = input;
  if (!timestamp || !signature) return 'missing x-slack-signature or x-slack-request-timestamp';
  const seconds = Number(timestamp);
  if (!Number.isInteger(seconds)) return 'x-slack-request-timestamp is not a number';
  if (Math.abs(nowMs / 1000 - seconds) > SLACK_TIMESTAMP_WINDOW_S) return 'stale x-slack-request-timestamp';
  const [version, hex] = signature.split('=', 2);
  if (version !== 'v0' || !hex || !/^[0-9a-f]+$/i.test(hex)) return 'malformed x-slack-signature';
  const expected = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody).digest();
  const given = Buffer.from(hex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'signature mismatch';
}
