/** The SQLite store on a real file in a temporary folder: what survives a restart, and what never gets in. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { BotStore, FeedbackRecord } from '../../src/store/store.js';

const DAY = 24 * 60 * 60_000;
let dir: string;
let file: string;
const opened: BotStore[] = [];
const open = (options: Partial<Parameters<typeof openSqliteStore>[0]> = {}) => {
  const store = openSqliteStore({ path: file, logger: createLogger('silent'), ...options });
  opened.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bot-store-'));
  file = path.join(dir, 'nested', 'bot.sqlite');
});
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

const vote = (overrides: Partial<FeedbackRecord> = {}): FeedbackRecord => ({
  channel: 'slack',
  vote: 'down',
  question: '休眠預金とは？',
  answer: '休眠預金とは、10年以上取引のない預金です。',
  sources: [{ rank: 1, score: 0.9, section: '第5章 > (5) 休眠預金', text: '休眠預金等活用法に基づき…', chunkId: 'c1' }],
  userHash: '0123456789abcdef0123456789abcdef',
  at: new Date(),
  ...overrides,
});

/** Read with a connection of our own, as another process (the report) would. */
function query<T>(f: string, read: (db: Database.Database) => T): T {
  const db = new Database(f, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
const rows = (table: string) => query(file, (db) => db.prepare(`SELECT * FROM ${table}`).all() as any[]);

describe('SQLite store', () => {
  it('keeps feedback across a restart, in WAL mode, with the user hashed by a salt kept in the file', async () => {
    const first = open();
    const hash = first.hashUser('slack:T1:U-slack-raw-id');
    await first.record(vote({ userHash: hash }));
    first.close();

    const second = open();
    // The generated salt survived the restart: one user, one hash.
    expect(second.hashUser('slack:T1:U-slack-raw-id')).toBe(hash);
    await second.record(vote({ vote: 'up', userHash: second.hashUser('slack:T1:U-slack-raw-id') }));
    const stored = rows('feedback');
    expect(stored.map((r) => r.vote)).toEqual(['down', 'up']);
    expect(JSON.parse(stored[0].sources)).toEqual([{ rank: 1, score: 0.9, section: '第5章 > (5) 休眠預金', chunkId: 'c1' }]);
    expect(stored[0].user_hash).toBe(stored[1].user_hash);
    expect(stored[0].user_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(query(file, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    second.close();
    // The raw id is nowhere in the file, nor in its write-ahead log.
    for (const f of [file, `${file}-wal`]) {
      try {
        expect(readFileSync(f).includes('U-slack-raw-id')).toBe(false);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  });

  it('hashes with USER_HASH_SALT when given, so replicas with their own files agree', async () => {
    const a = open({ salt: 'a-long-shared-salt-value' });
    const b = openSqliteStore({ path: path.join(dir, 'other.sqlite'), salt: 'a-long-shared-salt-value', logger: createLogger('silent') });
    opened.push(b);
    expect(a.hashUser('line:U1')).toBe(b.hashUser('line:U1'));
    expect(a.hashUser('line:U1')).not.toBe(open({ path: path.join(dir, 'third.sqlite') }).hashUser('line:U1'));
    await a.logQuestion({ channel: 'line', question: 'q', outcome: 'answered', mode: 'extractive', latencyMs: 3, userHash: a.hashUser('line:U1'), at: new Date() });
    a.close();
    expect(query(file, (db) => (db.prepare('SELECT user_hash FROM question_log').get() as any).user_hash)).toBe(b.hashUser('line:U1'));
  });

  it('deletes rows older than the retention period at start', async () => {
    let now = Date.now();
    const store = open({ retentionDays: 30, now: () => now });
    await store.record(vote({ at: new Date(now - 40 * DAY) }));
    await store.record(vote({ at: new Date(now - 10 * DAY) }));
    await store.logQuestion({ channel: 'api', question: 'old', outcome: 'abstained', latencyMs: 1, at: new Date(now - 31 * DAY) });
    store.close();

    const reopened = open({ retentionDays: 30, now: () => now });
    expect(rows('feedback')).toHaveLength(1);
    expect(rows('question_log')).toHaveLength(0);
    now += 25 * DAY;
    expect(reopened.purge()).toBe(1);
    expect(rows('feedback')).toHaveLength(0);
  });

  it('opens read-only for the report without creating a missing file', () => {
    expect(() => open({ readonly: true })).toThrow();
  });
});
