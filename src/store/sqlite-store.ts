/**
 * The BotStore on one SQLite file (better-sqlite3, WAL). SQLite allows one writer per file:
 * give every replica its own DATA_DB_PATH (see README-section.md).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Logger } from '../logger.js';
import { createUserHasher } from '../user-hash.js';
import { buildReport } from './report.js';
import type { BotStore } from './store.js';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:'. */
  path: string;
  /** Key of the user-id HMAC (src/user-hash.ts). @default one generated on first start and kept in the meta table */
  salt?: string;
  /** @default 180 */
  retentionDays?: number;
  logger: Logger;
  /** @default Date.now */
  now?: () => number;
  /** Open an existing file for reading only (the report script): no schema changes, no purge. */
  readonly?: boolean;
}

const DAY_MS = 24 * 60 * 60_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, channel TEXT NOT NULL,
  vote TEXT NOT NULL CHECK (vote IN ('up', 'down')), question TEXT NOT NULL, answer TEXT NOT NULL,
  sources TEXT NOT NULL, user_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS feedback_at ON feedback (at);
CREATE TABLE IF NOT EXISTS question_log (
  id INTEGER PRIMARY KEY, at INTEGER NOT NULL, channel TEXT NOT NULL, question TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'abstained', 'failed')), mode TEXT,
  latency_ms INTEGER NOT NULL, top_section TEXT, user_hash TEXT);
CREATE INDEX IF NOT EXISTS question_log_at ON question_log (at);
`;

/** A salt from the settings wins; otherwise the one kept in the file, made on first start. */
function saltOf(db: Database.Database, configured: string | undefined, readonly: boolean): string {
  if (configured) return configured;
  const kept = db.prepare('SELECT value FROM meta WHERE key = ?').get('user_hash_salt') as { value: string } | undefined;
  if (kept || readonly) return kept?.value ?? '';
  const fresh = randomBytes(32).toString('hex');
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('user_hash_salt', fresh);
  return fresh;
}

export function openSqliteStore(options: SqliteStoreOptions): BotStore {
  const { logger, readonly = false } = options;
  const now = options.now ?? Date.now;
  const retentionMs = (options.retentionDays ?? 180) * DAY_MS;
  if (!readonly && options.path !== ':memory:') mkdirSync(path.dirname(options.path), { recursive: true });
  const db = new Database(options.path, { readonly, fileMustExist: readonly });
  // A slow report must not make a vote fail: wait for the lock rather than throw SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  if (!readonly) {
    // WAL lets the report script read while the bot writes; NORMAL is durable enough with WAL.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
  }
  const hashUser = createUserHasher(saltOf(db, options.salt, readonly));

  const insertFeedback = readonly
    ? undefined
    : db.prepare('INSERT INTO feedback (at, channel, vote, question, answer, sources, user_hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertQuestion = readonly
    ? undefined
    : db.prepare(
        'INSERT INTO question_log (at, channel, question, outcome, mode, latency_ms, top_section, user_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
  const writable = <T>(statement: T | undefined): T => {
    if (!statement) throw new Error('the store was opened read-only');
    return statement;
  };

  const purge = () => {
    if (readonly) return 0;
    const cutoff = now() - retentionMs;
    const removed = db.transaction(
      () => db.prepare('DELETE FROM feedback WHERE at < ?').run(cutoff).changes + db.prepare('DELETE FROM question_log WHERE at < ?').run(cutoff).changes,
    )();
    if (removed > 0) logger.info('old rows deleted', { removed, retentionDays: retentionMs / DAY_MS });
    return removed;
  };
  purge();
  const timer = readonly ? undefined : setInterval(purge, DAY_MS);
  // The daily purge must not keep a finished process (a script, a test) alive.
  timer?.unref();

  return {
    async record(f) {
      const sources = JSON.stringify(f.sources.map(({ rank, score, section, chunkId }) => ({ rank, score, section, chunkId })));
      writable(insertFeedback).run(f.at.getTime(), f.channel, f.vote, f.question, f.answer, sources, f.userHash);
    },
    async logQuestion(q) {
      writable(insertQuestion).run(q.at.getTime(), q.channel, q.question, q.outcome, q.mode ?? null, Math.round(q.latencyMs), q.topSection ?? null, q.userHash ?? null);
    },
    hashUser,
    report: (reportOptions) => buildReport(db, { ...reportOptions, until: new Date(now()) }),
    purge,
    close() {
      if (timer) clearInterval(timer);
      if (db.open) db.close();
    },
  };
}
