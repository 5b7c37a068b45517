/**
 * A real, throwaway PostgreSQL for tests: `initdb` in a temporary folder, started with `pg_ctl`
 * on a free 127.0.0.1 port (its socket in the same folder), stopped and deleted by the tests
 * themselves; no system service. PostgreSQL refuses to run as root, so as root the cluster runs
 * as the `postgres` user (Debian's package makes it) through `runuser`. Tests skip with
 * SKIP_POSTGRES_MESSAGE when there are no binaries or no such user; CI installs them (.ci/run).
 */
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

/** The folder with initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/<version>/bin (newest first). */
const BIN_DIR: string | undefined = (() => {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath && existsSync(path.join(path.dirname(onPath), 'pg_ctl'))) return path.dirname(onPath);
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : undefined;
})();

/** Who runs the cluster: ourselves, or as root the `postgres` user. */
const RUN_AS: { user?: string; uid?: number; gid?: number } | undefined = (() => {
  if (process.getuid?.() !== 0) return {};
  const entry = spawnSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).stdout.trim().split(':');
  if (entry.length < 4 || !spawnSync('sh', ['-c', 'command -v runuser'], { encoding: 'utf8' }).stdout.trim()) return undefined;
  return { user: 'postgres', uid: Number(entry[2]), gid: Number(entry[3]) };
})();

export const SKIP_POSTGRES_MESSAGE: string | undefined = !BIN_DIR
  ? 'PostgreSQL is not installed (no initdb): skipping PostgreSQL tests (apt-get install postgresql; CI installs it)'
  : !RUN_AS
    ? 'running as root with no `postgres` user to run PostgreSQL as: skipping PostgreSQL tests'
    : undefined;

export interface PostgresServer {
  port: number;
  /** A new, empty database on the cluster; its connection URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function command(bin: string, args: string[]) {
  const file = path.join(BIN_DIR!, bin);
  return RUN_AS?.user ? run('runuser', ['-u', RUN_AS.user, '--', file, ...args], { timeout: 60_000 }) : run(file, args, { timeout: 60_000 });
}

const USER = 'bot';

export async function startPostgresServer(): Promise<PostgresServer> {
  if (SKIP_POSTGRES_MESSAGE) throw new Error(SKIP_POSTGRES_MESSAGE);
  const dir = mkdtempSync(path.join(tmpdir(), 'bot-pg-'));
  if (RUN_AS?.uid !== undefined) chownSync(dir, RUN_AS.uid, RUN_AS.gid!);
  const data = path.join(dir, 'data');
  const port = await freePort();
  // trust on a loopback-only cluster that lives for one test run; fsync off: nothing here must survive a crash.
  await command('initdb', ['-D', data, '-U', USER, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  await command('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  const admin = `postgres://${USER}@127.0.0.1:${port}/postgres`;
  let n = 0;
  return {
    port,
    async createDatabase() {
      const name = `store_${process.pid}_${(n += 1)}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://${USER}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      try {
        await command('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
