/**
 * The BotStore on one SQLite file (better-sqlite3, WAL), the embedded default. SQLite allows one
 * writer per file and replicas do not share it: several replicas need PostgreSQL
 * (DATABASE_URL, docs/state-and-deployment.md).
 */
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
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

export async function openSqliteStore(options: SqliteStoreOptions): Promise<BotStore> {
  const database = openDatabase(options);
  return createKyselyStore(new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database }) }), 'sqlite', options);
}
