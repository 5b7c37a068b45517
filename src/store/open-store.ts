/**
 * The one store the settings choose: PostgreSQL with DATABASE_URL (shared by replicas), else
 * the SQLite file at DATA_DB_PATH. The bot, `npm run report` and `npm run curated` open it here.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { openSqliteStore } from './sqlite-store.js';
import type { BotStore } from './store.js';

export type StoreConfig = Pick<Config, 'dataDbPath' | 'databaseUrl' | 'userHashSalt' | 'retentionDays'>;

export async function openStore(config: StoreConfig, logger: Logger, options: { readonly?: boolean } = {}): Promise<BotStore> {
  const common = { salt: config.userHashSalt, retentionDays: config.retentionDays, logger, readonly: options.readonly };
  if (config.databaseUrl) {
    // Loaded only when configured: pg is a large import for a bot that runs alone.
    const { openPostgresStore } = await import('./postgres-store.js');
    return openPostgresStore({ url: config.databaseUrl, ...common });
  }
  return openSqliteStore({ path: config.dataDbPath, ...common });
}

