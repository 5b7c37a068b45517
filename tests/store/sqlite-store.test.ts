/** The SQLite store on a real file in a temporary folder: what survives a restart, and what never gets in. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { createUserHasher } from '../../src/user-hash.js';
import type { BotStore, FeedbackRecord } from '../../src/store/store.js';

const DAY = 24 * 60 * 60_000;
let dir: string;
let file: string;
const opened: BotStore[] = [];
const open = async (options: Partial<Parameters<typeof openSqliteStore>[0]> = {}) => {
  const store = await openSqliteStore({ path: file, logger: createLogger('silent'), ...options });
  opened.push(store);
  return store;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'bot-store-'));
  file = path.join(dir, 'nested', 'bot.sqlite');
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
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
const mkdirFor = (f: string) => mkdirSync(path.dirname(f), { recursive: true });
const rows = (table: string) => query(file, (db) => db.prepare(`SELECT * FROM ${table}`).all() as any[]);

describe('SQLite store', () => {
  it('keeps feedback across a restart, in WAL mode, with the user hashed by a salt kept in the file', async () => {
    const first = await open();
    const hash = first.hashUser('slack:T1:U-slack-raw-id');
    await first.record(vote({ userHash: hash }));
    await first.close();

    const second = await open();
    // The generated salt survived the restart: one user, one hash.
    expect(second.hashUser('slack:T1:U-slack-raw-id')).toBe(hash);
    await second.record(vote({ vote: 'up', userHash: second.hashUser('slack:T1:U-slack-raw-id') }));
    const stored = rows('feedback');
    expect(stored.map((r) => r.vote)).toEqual(['down', 'up']);
    expect(JSON.parse(stored[0].sources)).toEqual([{ rank: 1, score: 0.9, section: '第5章 > (5) 休眠預金', chunkId: 'c1' }]);
    expect(stored[0].user_hash).toBe(stored[1].user_hash);
    expect(stored[0].user_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(query(file, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    await second.close();
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
    const a = await open({ salt: 'a-long-shared-salt-value' });
    const b = await openSqliteStore({ path: path.join(dir, 'other.sqlite'), salt: 'a-long-shared-salt-value', logger: createLogger('silent') });
    opened.push(b);
    expect(a.hashUser('line:U1')).toBe(b.hashUser('line:U1'));
    expect(a.hashUser('line:U1')).not.toBe((await open({ path: path.join(dir, 'third.sqlite') })).hashUser('line:U1'));
    await a.logQuestion({ channel: 'line', question: 'q', outcome: 'answered', mode: 'extractive', latencyMs: 3, userHash: a.hashUser('line:U1'), at: new Date() });
    await a.close();
    expect(query(file, (db) => (db.prepare('SELECT user_hash FROM question_log').get() as any).user_hash)).toBe(b.hashUser('line:U1'));
  });

  it('deletes rows older than the retention period at start', async () => {
    let now = Date.now();
    const store = await open({ retentionDays: 30, now: () => now });
    await store.record(vote({ at: new Date(now - 40 * DAY) }));
    await store.record(vote({ at: new Date(now - 10 * DAY) }));
    await store.logQuestion({ channel: 'api', question: 'old', outcome: 'abstained', latencyMs: 1, at: new Date(now - 31 * DAY) });
    await store.close();

    const reopened = await open({ retentionDays: 30, now: () => now });
    expect(rows('feedback')).toHaveLength(1);
    expect(rows('question_log')).toHaveLength(0);
    now += 25 * DAY;
    expect(await reopened.purge()).toBe(1);
    expect(rows('feedback')).toHaveLength(0);
  });

  it('opens read-only for the report without creating a missing file', async () => {
    await expect(open({ readonly: true })).rejects.toThrow(/cannot be opened/);
  });

  it('creates the file readable by its owner only, and its write-ahead log alike', async () => {
    const store = await open();
    await store.logQuestion({ channel: 'api', question: 'q', outcome: 'answered', latencyMs: 1, at: new Date() });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
  });

  it('adopts a file made before migrations existed, keeping its rows, and adds the curated table', async () => {
    const old = new Database((mkdirFor(file), file));
    old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE feedback (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, channel TEXT NOT NULL, vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        question TEXT NOT NULL, answer TEXT NOT NULL, sources TEXT NOT NULL, user_hash TEXT NOT NULL);
      CREATE TABLE question_log (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, channel TEXT NOT NULL, question TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('answered', 'abstained', 'failed')), mode TEXT, latency_ms INTEGER NOT NULL, top_section TEXT, user_hash TEXT);
      INSERT INTO meta VALUES ('user_hash_salt', 'kept-salt-from-the-old-bot');
      INSERT INTO question_log (at, channel, question, outcome, latency_ms) VALUES (${Date.now()}, 'line', '古い質問', 'abstained', 5);`);
    old.close();
    // A reader may not migrate: it says what to do.
    await expect(open({ readonly: true })).rejects.toThrow(/start the bot once/);
    const store = await open();
    expect(store.hashUser('line:U1')).toBe(createUserHasher('kept-salt-from-the-old-bot')('line:U1'));
    const report = await store.report({ since: new Date(Date.now() - DAY) });
    expect(report.abstained).toEqual([{ question: '古い質問', count: 1 }]);
    expect((await store.curated.add({ phrasings: ['q'], answer: 'a', author: 'cli' })).id).toBe(1);
    expect(rows('kysely_migration').map((r) => r.name)).toEqual(['001_feedback_and_question_log', '002_curated_answers']);
  });
});
