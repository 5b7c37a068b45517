/**
 * The BotStore on one SQLite file (better-sqlite3, WAL), the embedded default. SQLite allows one
 * writer per file and replicas do not share it: several replicas need PostgreSQL
 * (DATABASE_URL, docs/state-and-deployment.md).
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { LRUCache } from 'lru-cache';
import { StoreError } from '../errors.js';
import { createKyselyStore, type StoreOptions } from './kysely-store.js';
import type { StoreSchema } from './schema.js';
import type { BotStore } from './store.js';

export interface SqliteStoreOptions extends StoreOptions {
  /** A file path, or ':memory:'. */
  path: string;
}

/**
 * The file holds hashed user ids and what residents asked: only its owner may read it (0600).
 * SQLite gives its -wal and -shm files the database file's permissions.
 */
function createPrivateFile(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // 'a' creates a missing file with the mode and leaves an existing one as it is.
  closeSync(openSync(file, 'a', 0o600));
}

function openDatabase(options: SqliteStoreOptions): Database.Database {
  const readonly = options.readonly ?? false;
  if (!readonly && options.path !== ':memory:') createPrivateFile(options.path);
  let db: Database.Database;
  try {
    db = new Database(options.path, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw new StoreError(`the SQLite store at ${options.path} cannot be opened: ${(error as Error).message}`, { cause: error });
  }
  // A slow report must not make a vote fail: wait for the lock rather than throw SQLITE_BUSY.
  db.pragma('busy_timeout = 5000');
  if (!readonly) {
    // WAL lets the report script read while the bot writes; NORMAL is durable enough with WAL.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  return db;
}

/** Statements kept prepared: the store's queries are a few dozen distinct SQL texts. */
const STATEMENTS_KEPT = 200;

/**
 * kysely prepares each query's SQL afresh, which costs more than running it (the question log
 * writes one row an answer). The same SQL text gets the same prepared statement: a statement is
 * run to completion before the next call (better-sqlite3 is synchronous, and the store does not
 * stream rows), and SQLite prepares it again by itself when the schema changes.
 */
export function keepingStatements(db: Database.Database): SqliteDatabase {
  const statements = new LRUCache<string, Database.Statement>({ max: STATEMENTS_KEPT });
  return {
    close: () => db.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = db.prepare(sql)));
      return statement;
    },
  };
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<BotStore> {
  const database = keepingStatements(openDatabase(options));
  return createKyselyStore(new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database }) }), 'sqlite', options);
}
