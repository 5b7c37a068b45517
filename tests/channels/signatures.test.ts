/** The server thread's own signature checks, against signatures made the way LINE and Slack make them. */
import { createHmac } from 'node:crypto';
import { validateSignature } from '@line/bot-sdk';
import { describe, expect, it } from 'vitest';
import { verifyLineSignature } from '../../src/channels/line/signature.js';
import { slackSignatureProblem } from '../../src/channels/slack/signature.js';

describe('LINE signature', () => {
  const body = JSON.stringify({ destination: 'U1', events: [{ type: 'message', message: { text: '休眠預金' } }] });
  const signed = createHmac('sha256', 'secret').update(body).digest('base64');

  it('accepts what the SDK accepts, and refuses what it refuses', () => {
    for (const [signature, raw] of [
      [signed, body],
      [signed, body + ' '],
      [createHmac('sha256', 'other').update(body).digest('base64'), body],
      ['', body],
      ['not base64 at all!', body],
      [signed.slice(0, 20), body],
    ]) {
      expect(verifyLineSignature(Buffer.from(raw), 'secret', signature)).toBe(validateSignature(Buffer.from(raw), 'secret', signature));
    }
    expect(verifyLineSignature(Buffer.from(body), 'secret', signed)).toBe(true);
  });
});

describe('Slack signature', () => {
  const body = 'token=x&command=%2Fkenmin&text=%E4%BC%91%E7%9C%A0';
  const now = 1_700_000_000_000;
  const ts = String(now / 1000);
  const sign = (t: string, b: string, secret = 'signing') => 'v0=' + createHmac('sha256', secret).update(`v0:${t}:${b}`).digest('hex');
  const check = (over: Partial<Parameters<typeof slackSignatureProblem>[0]>) =>
    slackSignatureProblem({ signingSecret: 'signing', rawBody: body, timestamp: ts, signature: sign(ts, body), nowMs: now, ...over });

  it('accepts a request signed with the secret, within five minutes', () => {
    expect(check({})).toBeUndefined();
    expect(check({ nowMs: now + 299_000 })).toBeUndefined();
  });

  it('says why it refuses the rest', () => {
    expect(check({ signature: sign(ts, body, 'wrong') })).toBe('signature mismatch');
    expect(check({ rawBody: body + '&x=1' })).toBe('signature mismatch');
    expect(check({ nowMs: now + 301_000 })).toBe('stale x-slack-request-timestamp');
    expect(check({ signature: undefined })).toMatch(/missing/);
    expect(check({ signature: 'v1=abcd' })).toBe('malformed x-slack-signature');
    expect(check({ timestamp: 'soon' })).toBe('x-slack-request-timestamp is not a number');
  });
});
