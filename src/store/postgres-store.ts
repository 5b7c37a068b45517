/**
 * The BotStore on PostgreSQL (`DATABASE_URL=postgres://…`), for several replicas: they share
 * one database, so feedback, the question log and curated answers are the same on each.
 * Loaded only when configured (app/open-stores.ts), like the Redis client.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { StoreError } from '../errors.js';
import { createKyselyStore, type StoreOptions } from './kysely-store.js';
import type { StoreSchema } from './schema.js';
import type { BotStore } from './store.js';

export interface PostgresStoreOptions extends StoreOptions {
  /** postgres://user:password@host:5432/database */
  url: string;
  /** Connections this replica may hold. @default 5 */
  poolSize?: number;
}

/**
 * Times and counts are bigints, which pg returns as strings to keep precision; milliseconds
 * since the epoch and row counts fit in a double, so they come back as numbers on this pool
 * only (pg's global parsers stay untouched).
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** The URL without its password, for messages. */
export const redactedUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:…@');

export async function openPostgresStore(options: PostgresStoreOptions): Promise<BotStore> {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 5, types, connectionTimeoutMillis: 10_000 });
  // An idle connection the server drops must not crash the bot: the pool replaces it.
  pool.on('error', (error) => options.logger.warn('postgres connection lost', { error }));
  try {
    (await pool.connect()).release();
  } catch (error) {
    await pool.end();
    throw new StoreError(`PostgreSQL at ${redactedUrl(options.url)} cannot be reached: ${(error as Error).message}. Check DATABASE_URL.`, { cause: error });
  }
  return createKyselyStore(new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) }), 'postgres', options);
}
