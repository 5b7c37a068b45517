/**
 * The one way user ids are hashed, for logs, the store and feedback alike: an HMAC keyed with
 * the salt (USER_HASH_SALT, or the one generated and kept in the database). LINE and Slack ids
 * are short and guessable, so a plain hash could be reversed by hashing every candidate; a keyed
 * one cannot. One function and one salt give a user the same hash in log lines and store rows,
 * so a maintainer can follow one user without ever seeing the raw id.
 */
import { createHmac } from 'node:crypto';

/** `line:U…` or `slack:T…:U…` → 32 hex characters. */
export type UserHasher = (id: string) => string;

export function createUserHasher(salt: string): UserHasher {
  return (id) => createHmac('sha256', salt).update(id).digest('hex').slice(0, 32);
}
