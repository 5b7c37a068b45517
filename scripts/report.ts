/**
 * `npm run report`: what people asked over the last 30 days (`--days N`), from the store in
 * DATABASE_URL (PostgreSQL) or DATA_DB_PATH (SQLite): questions most often abstained, most
 * disliked answers, most asked topics, answer rates by channel, curated answers given and
 * questions per day. `--json` prints one JSON object on stdout instead of tables.
 * Reads only: safe to run while the bot is writing (WAL).
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { isBotError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { formatReport } from '../src/store/report-format.js';
import { openStore } from '../src/store/open-store.js';
import { parseCommandLine, usageError } from './command-line.js';

const DAY_MS = 24 * 60 * 60_000;
const USAGE = `
Usage: npm run report -- [options]

  --days N      the last N days (default 30)
  --limit N     N rows a table (default 10)
  --json        print one JSON object instead of tables
  -h, --help    print this help
`;

// Read before the try below: its catch would print usage errors as failures (exit 1, not 2).
const { values, positionals } = parseCommandLine(USAGE, {
  days: { type: 'string', default: '30' },
  json: { type: 'boolean', default: false },
  limit: { type: 'string', default: '10' },
});
if (positionals.length) usageError(USAGE, `unexpected argument "${positionals[0]}"`);

try {
  const days = Number(values.days);
  const limit = Number(values.limit);
  if (!Number.isInteger(days) || days < 1 || !Number.isInteger(limit) || limit < 1) {
    usageError(USAGE, '--days and --limit take a whole number from 1');
  }
  const config = loadConfig();
  if (!config.databaseUrl && config.dataDbPath !== ':memory:' && !existsSync(config.dataDbPath)) {
    console.error(`No store at ${config.dataDbPath} yet: it is created when the bot first starts (set DATA_DB_PATH to read another).`);
    process.exit(1);
  }
  const store = await openStore(config, createLogger('warn'), { readonly: true });
  const report = await store.report({ since: new Date(Date.now() - days * DAY_MS), limit });
  await store.close();
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
} catch (error) {
  console.error(isBotError(error) || error instanceof TypeError ? `error: ${(error as Error).message}` : error);
  process.exit(1);
}
