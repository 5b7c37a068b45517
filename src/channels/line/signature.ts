/**
 * LINE's webhook signature: base64 HMAC-SHA256 of the raw body, keyed with the channel secret,
 * in `x-line-signature` (https://developers.line.biz/en/reference/messaging-api/#signature-validation).
 * The same check as the SDK's `validateSignature`, with node:crypto alone: the server's thread
 * verifies every webhook and must not load the SDK, which only the answer worker needs.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function verifyLineSignature(rawBody: Buffer | string, channelSecret: string, signature: string): boolean {
  const expected = createHmac('sha256', channelSecret).update(rawBody).digest();
  let given: Buffer;
  try {
    given = Buffer.from(signature, 'base64');
  } catch {
    return false;
  }
  // timingSafeEqual throws on unequal lengths; a wrong length is simply a wrong signature.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
