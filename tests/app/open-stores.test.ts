/** Configuration picks the stores: PostgreSQL with DATABASE_URL (tests/app/replicas.test.ts) else SQLite at DATA_DB_PATH, Redis for short-lived state when REDIS_URL is set. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { openStores } from '../../src/app/open-stores.js';
import { REDIS_SERVER_BIN, startRedisServer, type RedisServer } from '../helpers/redis-server.js';

describe('store settings', () => {
  it('has defaults, and refuses bad values with the variable named', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ dataDbPath: path.join(PROJECT_ROOT, 'data/bot.sqlite'), retentionDays: 180, metricsEnabled: true });
    expect(config.redisUrl).toBeUndefined();
    expect(config.userHashSalt).toBeUndefined();
    expect(loadConfig({ METRICS_ENABLED: 'false', DATA_DB_PATH: ':memory:', RETENTION_DAYS: '30' })).toMatchObject({
      metricsEnabled: false,
      dataDbPath: ':memory:',
      retentionDays: 30,
    });
    expect(() => loadConfig({ USER_HASH_SALT: 'short' })).toThrow(/USER_HASH_SALT/);
    expect(() => loadConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
    expect(() => loadConfig({ METRICS_ENABLED: 'maybe' })).toThrow(/METRICS_ENABLED/);
    expect(() => loadConfig({ REDIS_URL: 'http://user:secret@host' })).toThrow(/REDIS_URL/);
    expect(() => loadConfig({ REDIS_URL: 'http://user:secret@host' })).not.toThrow(/secret/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@host/bot' })).toThrow(/DATABASE_URL must start with postgres:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@host/bot' })).not.toThrow(/secret/);
    expect(loadConfig({ DATABASE_URL: 'postgresql://bot@db:5432/bot' }).databaseUrl).toBe('postgresql://bot@db:5432/bot');
  });
});

describe('openStores', () => {
  let dir: string;
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'bot-stores-'));
    if (REDIS_SERVER_BIN) redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = (extra: Record<string, string> = {}) => loadConfig({ DATA_DB_PATH: path.join(dir, 'bot.sqlite'), ...extra });

  it('keeps short-lived state in memory without REDIS_URL', async () => {
    const stores = await openStores(env(), createLogger('silent'));
    expect(await stores.state.claimOnce('k', 60_000)).toBe(true);
    expect(await stores.state.claimOnce('k', 60_000)).toBe(false);
    await stores.close();
  });

  it.skipIf(!REDIS_SERVER_BIN)('shares short-lived state through Redis with REDIS_URL', async () => {
    const a = await openStores(env({ REDIS_URL: redis!.url }), createLogger('silent'));
    const b = await openStores(env({ REDIS_URL: redis!.url, DATA_DB_PATH: path.join(dir, 'other.sqlite') }), createLogger('silent'));
    expect(await a.state.claimOnce('shared', 60_000)).toBe(true);
    expect(await b.state.claimOnce('shared', 60_000)).toBe(false);
    await a.close();
    await b.close();
  });
});
