/** Runs `scripts/build-index.ts` as a child process against a temporary INDEX_DIR, as a maintainer would. */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { PROJECT_ROOT } from '../../src/config.js';
import { buildsDir, pointerFile } from '../../src/index/index-paths.js';
import { offlineBotEnv } from '../helpers/temp-index.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `node --import tsx`, as `npx tsx` does but in one process: the tsx launcher runs a second
 * node, and killing the launcher alone would leave the real build running.
 */
export const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;

export function runIndexCli(indexDir: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(NODE_TSX[0], [...NODE_TSX.slice(1), 'scripts/build-index.ts', ...args], { cwd: PROJECT_ROOT, env: offlineBotEnv(indexDir), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The live pointer's bytes and the builds folder's listing: what a bad run must leave alone. */
export async function snapshot(indexDir: string) {
  return {
    pointer: await fs.readFile(pointerFile(indexDir), 'utf8').catch(() => undefined),
    builds: (await fs.readdir(buildsDir(indexDir)).catch(() => [])).sort(),
  };
}
