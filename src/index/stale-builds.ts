/**
 * A build killed half way leaves a `.tmp-*` folder in `<indexDir>/builds/` (buildIndex renames
 * it into place only when complete), and an activation killed between its write and its rename
 * leaves a `current.json.<pid>.tmp`. Each is named after the host and process that made it, so
 * the next run (`npm run index`, or a first start that builds) can tell one whose process is
 * gone — removed at once, however young — from one that may belong to a build running right
 * now: left alone unless it is older than any build takes (another host's, or an unnamed one).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { buildsDir, hostTag, pointerFile } from './index-paths.js';

/** A build takes seconds; a temporary folder this old was abandoned. @default 5 minutes */
export const STALE_TEMP_MS = 5 * 60_000;

/** The temporary folder a build writes into: `.tmp-<build>-<host>-<pid>-<random>`. */
export async function makeBuildTemp(indexDir: string, build: string): Promise<string> {
  await fs.mkdir(buildsDir(indexDir), { recursive: true });
  return fs.mkdtemp(path.join(buildsDir(indexDir), `.tmp-${build}-${hostTag()}-${process.pid}-`));
}

/** False only when `pid` surely runs no more on this host (EPERM: it runs, as another user). */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return false; // this run has not started building yet
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a temporary entry is abandoned: its maker is gone, or (when that cannot be told) it is old. */
function abandoned(owner: { host: string; pid: number } | undefined, mtimeMs: number, now: number, olderThanMs: number): boolean {
  if (owner && owner.host === hostTag()) return !processAlive(owner.pid);
  return now - mtimeMs > olderThanMs;
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Removes abandoned `.tmp-*` build folders and pointer temporaries; returns their names. */
export async function removeStaleTemps(indexDir: string, options: { olderThanMs?: number; now?: number } = {}): Promise<string[]> {
  const olderThanMs = options.olderThanMs ?? STALE_TEMP_MS;
  const now = options.now ?? Date.now();
  const host = hostTag();
  const candidates = [
    ...(await listDir(buildsDir(indexDir)))
      .filter((n) => n.startsWith('.tmp-'))
      .map((name) => {
        const tagged = name.match(/-([\w.]+)-(\d+)-[^-]+$/);
        // A build name holds dashes too: the host tag is trusted only when it is this host's.
        const owner = tagged && name.includes(`-${host}-${tagged[2]}-`) ? { host, pid: Number(tagged[2]) } : undefined;
        return { name, full: path.join(buildsDir(indexDir), name), owner };
      }),
    ...(await listDir(indexDir))
      .filter((n) => n.startsWith(`${path.basename(pointerFile(indexDir))}.`) && n.endsWith('.tmp'))
      .map((name) => {
        const tagged = name.slice(path.basename(pointerFile(indexDir)).length + 1).match(/^([\w.]+)-(\d+)\.tmp$/);
        return { name, full: path.join(indexDir, name), owner: tagged ? { host: tagged[1], pid: Number(tagged[2]) } : undefined };
      }),
  ];
  const removed: string[] = [];
  for (const { name, full, owner } of candidates) {
    const stat = await fs.stat(full).catch(() => undefined);
    if (!stat || !abandoned(owner, stat.mtimeMs, now, olderThanMs)) continue;
    await fs.rm(full, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
