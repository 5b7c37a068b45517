/**
 * One contract for every BotStore backend: the same tests on a SQLite file and on a real
 * PostgreSQL cluster (tests/helpers/postgres-server.ts). Each test opens a fresh database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { StoreOptions } from '../../src/store/kysely-store.js';
import type { BotStore, QuestionRecord } from '../../src/store/store.js';
import { type PostgresServer, SKIP_POSTGRES_MESSAGE, startPostgresServer } from '../helpers/postgres-server.js';

const DAY = 24 * 60 * 60_000;
const HOUR = 60 * 60_000;

interface Backend {
  name: string;
  /** Why the backend cannot run here, if it cannot. */
  skip?: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A new, empty database on every call with `fresh`; the same one again without. */
  open(options?: Partial<StoreOptions>, fresh?: boolean): Promise<BotStore>;
  /** Makes a new, empty database the next `open(…, false)` uses. */
  renew(): Promise<void>;
}

function sqliteBackend(): Backend {
  let dir: string;
  let file: string;
  let n = 0;
  return {
    name: 'SQLite',
    async setUp() {
      dir = mkdtempSync(path.join(tmpdir(), 'bot-contract-'));
    },
    async tearDown() {
      rmSync(dir, { recursive: true, force: true });
    },
    async renew() {
      file = path.join(dir, `store-${(n += 1)}.sqlite`);
    },
    async open(options = {}, fresh = true) {
      if (fresh || !file) await this.renew();
      return openSqliteStore({ path: file, logger: createLogger('silent'), ...options });
    },
  };
}

function postgresBackend(): Backend {
  let server: PostgresServer | undefined;
  let url: string | undefined;
  return {
    name: 'PostgreSQL',
    skip: SKIP_POSTGRES_MESSAGE,
    async setUp() {
      server = await startPostgresServer();
    },
    async tearDown() {
      await server?.stop();
    },
    async renew() {
      url = await server!.createDatabase();
    },
    async open(options = {}, fresh = true) {
      if (fresh || !url) await this.renew();
      return openPostgresStore({ url: url!, logger: createLogger('silent'), ...options });
    },
  };
}

const backends: Backend[] = [sqliteBackend(), postgresBackend()];

const question = (overrides: Partial<QuestionRecord> = {}): QuestionRecord => ({
  channel: 'line',
  question: '休眠預金とは？',
  outcome: 'answered',
  mode: 'extractive',
  latencyMs: 12.4,
  at: new Date(),
  ...overrides,
});

for (const backend of backends) {
  describe.skipIf(Boolean(backend.skip))(`store contract on ${backend.name}${backend.skip ? ` (skipped: ${backend.skip})` : ''}`, () => {
    const opened: BotStore[] = [];
    const open = async (options?: Partial<StoreOptions>, fresh?: boolean) => {
      const store = await backend.open(options, fresh);
      opened.push(store);
      return store;
    };
    beforeAll(() => backend.setUp(), 120_000);
    afterAll(() => backend.tearDown(), 60_000);
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    it('keeps the generated salt across a restart, so one user keeps one hash', async () => {
      const first = await open();
      const hash = first.hashUser('line:U1');
      expect(hash).toMatch(/^[0-9a-f]{32}$/);
      await first.close();
      const second = await open({}, false);
      expect(second.hashUser('line:U1')).toBe(hash);
      expect((await open({ salt: 'a-long-shared-salt-value' })).hashUser('line:U1')).not.toBe(hash);
    });

    it('lets replicas that start together migrate once and agree on one generated salt', async () => {
      await backend.renew();
      // The same empty database for both. SQLite files are one replica's each, so this matters
      // on PostgreSQL, but SQLite must not fail at it either.
      const [a, b] = await Promise.all([open({}, false), open({}, false)]);
      expect(a.hashUser('line:U1')).toBe(b.hashUser('line:U1'));
      await a.curated.add({ phrasings: ['q'], answer: 'a', author: 'cli' });
      expect(await b.curated.list()).toHaveLength(1);
    });

    it('adds, lists, changes and switches off curated answers, with the author hashed', async () => {
      let now = Date.UTC(2026, 11, 2, 3, 0);
      const store = await open({ now: () => now });
      const added = await store.curated.add({ phrasings: [' センターの電話番号は？ ', '', '電話番号を教えて', '電話番号を教えて'], answer: ' 083-000-0000 です。 ', author: 'slack:T1:U-raw' });
      expect(added).toEqual({
        id: expect.any(Number),
        phrasings: ['センターの電話番号は？', '電話番号を教えて'],
        answer: '083-000-0000 です。',
        sectionId: null,
        authorHash: store.hashUser('slack:T1:U-raw'),
        createdAt: new Date(now),
        updatedAt: new Date(now),
        active: true,
      });
      const second = await store.curated.add({ phrasings: ['開館時間は？'], answer: '9時から', sectionId: 'sec-5-2', author: 'cli' });
      expect(second.id).toBeGreaterThan(added.id);
      expect(await store.curated.get(second.id)).toEqual(second);
      expect(await store.curated.get(99_999)).toBeUndefined();

      now += HOUR;
      const changed = await store.curated.update(added.id, { answer: '083-111-1111 です。', author: 'admin' });
      expect(changed).toMatchObject({ answer: '083-111-1111 です。', phrasings: added.phrasings, authorHash: store.hashUser('admin'), createdAt: added.createdAt, updatedAt: new Date(now) });
      const off = await store.curated.update(second.id, { active: false, author: 'cli' });
      expect(off?.active).toBe(false);
      expect((await store.curated.list()).map((c) => c.id)).toEqual([added.id]);
      expect((await store.curated.list({ includeInactive: true })).map((c) => [c.id, c.active])).toEqual([[added.id, true], [second.id, false]]);
      expect(await store.curated.update(99_999, { active: false, author: 'cli' })).toBeUndefined();
    });

    it('refuses a curated answer without a phrasing or an answer, and stores nothing of it', async () => {
      const store = await open();
      await expect(store.curated.add({ phrasings: ['  '], answer: 'a', author: 'cli' })).rejects.toThrow(/at least one phrasing/);
      await expect(store.curated.add({ phrasings: ['q'], answer: ' ', author: 'cli' })).rejects.toThrow(/answer text/);
      const kept = await store.curated.add({ phrasings: ['q'], answer: 'a', author: 'cli' });
      await expect(store.curated.update(kept.id, { phrasings: [], author: 'cli' })).rejects.toThrow(/at least one phrasing/);
      expect(await store.curated.list({ includeInactive: true })).toEqual([kept]);
    });

    it('reports channels, refusals, disliked answers, per-day counts in Japan time and curated answers given', async () => {
      // 2026-12-01 23:30 JST is 14:30 UTC; 2026-12-02 00:30 JST is the next day in Japan.
      const now = Date.UTC(2026, 11, 2, 6, 0);
      const store = await open({ now: () => now });
      const phone = await store.curated.add({ phrasings: ['電話番号は？'], answer: '083', author: 'cli' });
      const hours = await store.curated.add({ phrasings: ['開館時間は？'], answer: '9時', author: 'cli' });
      await store.logQuestion(question({ at: new Date(Date.UTC(2026, 11, 1, 14, 30)) }));
      await store.logQuestion(question({ outcome: 'abstained', question: '天気は？', at: new Date(Date.UTC(2026, 11, 1, 14, 40)) }));
      await store.logQuestion(question({ at: new Date(Date.UTC(2026, 11, 1, 15, 30)), mode: 'curated', curatedId: phone.id }));
      await store.logQuestion(question({ channel: 'api', at: new Date(Date.UTC(2026, 11, 2, 1, 0)), mode: 'curated', curatedId: phone.id }));
      await store.logQuestion(question({ channel: 'api', at: new Date(Date.UTC(2026, 11, 2, 2, 0)), mode: 'curated', curatedId: hours.id }));
      await store.logQuestion(question({ outcome: 'failed', mode: undefined, at: new Date(Date.UTC(2026, 11, 2, 2, 0)) }));
      await store.logQuestion(question({ at: new Date(now - 40 * DAY) }));
      for (const [vote, user] of [['down', 'u1'], ['down', 'u2'], ['up', 'u3']] as const) {
        await store.record({ channel: 'line', vote, question: '休眠預金とは？', answer: 'A1', sources: [], userHash: user, at: new Date(now - HOUR) });
      }

      const report = await store.report({ since: new Date(now - 30 * DAY) });
      expect(report.until).toBe(new Date(now).toISOString());
      expect(report.channels).toEqual([
        { channel: 'line', total: 4, answered: 2, abstained: 1, failed: 1, answerRate: 0.5 },
        { channel: 'api', total: 2, answered: 2, abstained: 0, failed: 0, answerRate: 1 },
      ]);
      expect(report.daily).toEqual([
        { day: '2026-12-01', questions: 2, refused: 1 },
        { day: '2026-12-02', questions: 4, refused: 0 },
      ]);
      expect(report.curated).toEqual([
        { id: phone.id, title: '電話番号は？', count: 2 },
        { id: hours.id, title: '開館時間は？', count: 1 },
      ]);
      expect(report.abstained).toEqual([{ question: '天気は？', count: 1 }]);
      expect(report.disliked).toEqual([{ question: '休眠預金とは？', answer: 'A1', down: 2, up: 1 }]);
    });

    it('logs questions that arrive together in one go, and stores the ones not yet written before it closes', async () => {
      const now = Date.UTC(2026, 11, 2, 6, 0);
      const store = await open({ now: () => now });
      const at = new Date(now - HOUR);
      await Promise.all(Array.from({ length: 700 }, (_, i) => store.logQuestion(question({ question: `q${i}`, at }))));
      // Not awaited: close() must write them first.
      for (let i = 0; i < 3; i++) void store.logQuestion(question({ channel: 'api', at }));
      await store.close();
      const reopened = await open({ now: () => now }, false);
      const report = await reopened.report({ since: new Date(now - DAY) });
      expect(report.channels).toEqual([
        { channel: 'line', total: 700, answered: 700, abstained: 0, failed: 0, answerRate: 1 },
        { channel: 'api', total: 3, answered: 3, abstained: 0, failed: 0, answerRate: 1 },
      ]);
    });

    it('lets one caller claim a key, once, across stores on one database', async () => {
      await backend.renew();
      const [a, b] = await Promise.all([open({}, false), open({}, false)]);
      const claims = await Promise.all([a.claimOnce('seed'), b.claimOnce('seed'), a.claimOnce('seed')]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await b.claimOnce('other')).toBe(true);
    });

    it('purges old feedback and questions, never curated answers', async () => {
      let now = Date.now();
      const store = await open({ retentionDays: 30, now: () => now });
      await store.curated.add({ phrasings: ['q'], answer: 'a', author: 'cli' });
      await store.logQuestion(question({ at: new Date(now - 10 * DAY) }));
      await store.record({ channel: 'web', vote: 'up', question: 'q', answer: 'a', sources: [], userHash: 'u', at: new Date(now - 10 * DAY) });
      expect(await store.purge()).toBe(0);
      now += 25 * DAY;
      expect(await store.purge()).toBe(2);
      expect((await store.report({ since: new Date(0) })).channels).toEqual([]);
      expect(await store.curated.list()).toHaveLength(1);
    });
  });
}
