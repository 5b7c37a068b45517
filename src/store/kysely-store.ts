/**
 * The BotStore over kysely, one implementation for both databases: SQLite (sqlite-store.ts,
 * the embedded default) and PostgreSQL (postgres-store.ts, for several replicas). The dialect
 * only decides how the database is opened; migrations, queries and the report are shared.
 */
import { randomBytes } from 'node:crypto';
import { type Insertable, type Kysely, Migrator } from 'kysely';
import { StoreError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createUserHasher } from '../user-hash.js';
import { coalescedWrites } from './coalesced-writes.js';
import { createCuratedAnswers } from './curated-store.js';
import { migrationProvider } from './migrations.js';
import { buildReport } from './report.js';
import type { StoreDialect, StoreSchema } from './schema.js';
import type { BotStore } from './store.js';

export interface StoreOptions {
  /** Key of the user-id HMAC (src/user-hash.ts). @default one generated on first start and kept in the meta table */
  salt?: string;
  /** @default 180 */
  retentionDays?: number;
  logger: Logger;
  /** @default Date.now */
  now?: () => number;
  /** For the report script: no migrations, no purge, no salt written. */
  readonly?: boolean;
}

const DAY_MS = 24 * 60 * 60_000;
const SALT_KEY = 'user_hash_salt';
/** Question-log rows in one INSERT at most: 9 parameters each, far below SQLite's and PostgreSQL's bounds. */
const QUESTION_ROWS_PER_INSERT = 500;

/** Applies the pending migrations; a failure stops start-up with what went wrong. */
export async function migrateStore(db: Kysely<StoreSchema>, dialect: StoreDialect, logger: Logger): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  let { results, error } = await migrator.migrateToLatest();
  // PostgreSQL's Migrator holds a row lock; on SQLite kysely takes none, so a second process
  // opening a new file at the same moment (the bot and `npm run curated`) loses the race to
  // record a migration. Its transaction rolled back whole; once more, it finds them applied.
  if (error && dialect === 'sqlite') ({ results, error } = await migrator.migrateToLatest());
  for (const result of results ?? []) {
    if (result.status === 'Success') logger.info('store migration applied', { migration: result.migrationName, dialect });
  }
  if (error) throw new StoreError(`the ${dialect} store could not be migrated: ${(error as Error).message ?? error}`, { cause: error });
}

/** A reader that may not migrate needs a store that is up to date: one the bot has opened since it last changed. */
async function ensureMigrated(db: Kysely<StoreSchema>, dialect: StoreDialect): Promise<void> {
  const pending = (await new Migrator({ db, provider: migrationProvider(dialect) }).getMigrations()).filter((m) => !m.executedAt);
  if (pending.length) {
    throw new StoreError(`the store predates this version (${pending.map((m) => m.name).join(', ')} not applied): start the bot once, which migrates it, then try again.`);
  }
}

/**
 * A salt from the settings wins; otherwise the one kept in the database, made on first start.
 * Two replicas starting at once on one PostgreSQL may both make one: the insert that loses
 * does nothing, and both read back the one that won.
 */
async function saltOf(db: Kysely<StoreSchema>, configured: string | undefined, readonly: boolean): Promise<string> {
  if (configured) return configured;
  const read = async () => (await db.selectFrom('meta').select('value').where('key', '=', SALT_KEY).executeTakeFirst())?.value;
  const kept = await read();
  if (kept || readonly) return kept ?? '';
  await db.insertInto('meta').values({ key: SALT_KEY, value: randomBytes(32).toString('hex') }).onConflict((c) => c.column('key').doNothing()).execute();
  return (await read()) as string;
}

export async function createKyselyStore(db: Kysely<StoreSchema>, dialect: StoreDialect, options: StoreOptions): Promise<BotStore> {
  const { logger, readonly = false } = options;
  const now = options.now ?? Date.now;
  const retentionMs = (options.retentionDays ?? 180) * DAY_MS;
  try {
    if (!readonly) await migrateStore(db, dialect, logger);
    else await ensureMigrated(db, dialect);
    const hashUser = createUserHasher(await saltOf(db, options.salt, readonly));
    const writable = () => {
      if (readonly) throw new StoreError('the store was opened read-only');
    };

    const purge = async () => {
      if (readonly) return 0;
      const cutoff = now() - retentionMs;
      const removed = await db.transaction().execute(async (tx) => {
        const feedback = await tx.deleteFrom('feedback').where('at', '<', cutoff).executeTakeFirst();
        const questions = await tx.deleteFrom('question_log').where('at', '<', cutoff).executeTakeFirst();
        return Number(feedback.numDeletedRows) + Number(questions.numDeletedRows);
      });
      if (removed > 0) logger.info('old rows deleted', { removed, retentionDays: retentionMs / DAY_MS });
      return removed;
    };
    await purge();
    const timer = readonly
      ? undefined
      : setInterval(() => purge().catch((error: unknown) => logger.error('old rows could not be deleted', { error })), DAY_MS);
    // The daily purge must not keep a finished process (a script, a test) alive.
    timer?.unref();
    let closed: Promise<void> | undefined;
    // A row an answer: the rows that come together are inserted together (coalesced-writes.ts).
    const questionLog = coalescedWrites<Insertable<StoreSchema['question_log']>>((rows) => db.insertInto('question_log').values(rows).execute().then(() => undefined), {
      maxRows: QUESTION_ROWS_PER_INSERT,
    });

    return {
      async record(f) {
        writable();
        const sources = JSON.stringify(f.sources.map(({ rank, score, section, chunkId }) => ({ rank, score, section, chunkId })));
        await db
          .insertInto('feedback')
          .values({ at: f.at.getTime(), channel: f.channel, vote: f.vote, question: f.question, answer: f.answer, sources, user_hash: f.userHash })
          .execute();
      },
      async logQuestion(q) {
        writable();
        await questionLog.write({
          at: q.at.getTime(),
          channel: q.channel,
          question: q.question,
          outcome: q.outcome,
          mode: q.mode ?? null,
          latency_ms: Math.round(q.latencyMs),
          top_section: q.topSection ?? null,
          user_hash: q.userHash ?? null,
          curated_id: q.curatedId ?? null,
        });
      },
      hashUser,
      async claimOnce(key) {
        writable();
        const result = await db
          .insertInto('meta')
          .values({ key: `claim:${key}`, value: new Date(now()).toISOString() })
          .onConflict((c) => c.column('key').doNothing())
          .executeTakeFirst();
        return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
      },
      curated: createCuratedAnswers(db, hashUser, now, writable),
      report: (reportOptions) => buildReport(db, { ...reportOptions, until: new Date(now()) }),
      purge,
      close() {
        if (timer) clearInterval(timer);
        // The questions logged until now are stored before the connection goes.
        closed ??= questionLog.flush().then(() => db.destroy());
        return closed;
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
