/**
 * The store's versioned migrations, in code so that the built bot carries them: the same list for
 * SQLite and PostgreSQL, applied in order at start-up by kysely's Migrator (which takes a lock,
 * so replicas starting together apply each once). A new change is a new entry, never an edit.
 * 001 is the schema the store had before migrations existed, so it uses IF NOT EXISTS: a file
 * from an older bot adopts it without losing a row.
 */
import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import type { StoreDialect } from './schema.js';

/** SQLite's `integer primary key` is the row id; PostgreSQL counts with an identity column. */
const idType = (dialect: StoreDialect) => (dialect === 'postgres' ? 'bigserial' : 'integer');

export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '001_feedback_and_question_log': {
      async up(db: Kysely<any>) {
        await db.schema.createTable('meta').ifNotExists().addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
        await db.schema
          .createTable('feedback')
          .ifNotExists()
          .addColumn('id', idType(dialect), (c) => c.primaryKey())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('vote', 'text', (c) => c.notNull().check(sql`vote IN ('up', 'down')`))
          .addColumn('question', 'text', (c) => c.notNull())
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('sources', 'text', (c) => c.notNull())
          .addColumn('user_hash', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('feedback_at').ifNotExists().on('feedback').column('at').execute();
        await db.schema
          .createTable('question_log')
          .ifNotExists()
          .addColumn('id', idType(dialect), (c) => c.primaryKey())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('question', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome IN ('answered', 'abstained', 'failed')`))
          .addColumn('mode', 'text')
          .addColumn('latency_ms', 'integer', (c) => c.notNull())
          .addColumn('top_section', 'text')
          .addColumn('user_hash', 'text')
          .execute();
        await db.schema.createIndex('question_log_at').ifNotExists().on('question_log').column('at').execute();
      },
    },
    '002_curated_answers': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('curated_answer')
          .addColumn('id', idType(dialect), (c) => c.primaryKey())
          .addColumn('phrasings', 'text', (c) => c.notNull())
          .addColumn('answer', 'text', (c) => c.notNull())
          .addColumn('section_id', 'text')
          .addColumn('author_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
          .execute();
        // No foreign key: a curated answer switched off or purged must not take log rows with it.
        await db.schema.alterTable('question_log').addColumn('curated_id', 'bigint').execute();
        await db.schema.createIndex('curated_answer_updated_at').on('curated_answer').column('updated_at').execute();
      },
    },
  };
}

export const migrationProvider = (dialect: StoreDialect): MigrationProvider => ({ getMigrations: async () => storeMigrations(dialect) });
