/**
 * Child processes of the bench: TypeScript entries started as `node --import tsx` (so the pid
 * we hold is the node process itself, whose memory we read), free ports, readiness polling,
 * and reading a process's memory from /proc. Everything listens on 127.0.0.1 only.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { sleep } from './stats.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Every child still running, so that the bench's time bound can stop them all (each by its own pid). */
const running = new Map<ChildProcess, boolean>();

export function track(child: ChildProcess, group = false): ChildProcess {
  running.set(child, group);
  child.once('exit', () => running.delete(child));
  return child;
}

export function spawnTs(entry: string, args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions = ['ignore', 'pipe', 'pipe']): ChildProcess {
  return track(spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, env, stdio }));
}

/** Last resort when the bench runs out of time: SIGKILL each child we started. */
export function killAll(): void {
  for (const [child, group] of running) {
    try {
      if (child.pid !== undefined) process.kill(group ? -child.pid : child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Runs a child to completion, collecting stdout; kills it (by pid) past `timeoutMs`. */
export function runToEnd(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** A port free right now (the kernel picks it); main.ts needs one up front, as PORT=0 would not tell us. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls GET /readyz until 200; resolves with the time it did, or throws past the deadline or if the child exits. */
export async function waitReady(base: string, child: ChildProcess, timeoutMs: number, everyMs = 20): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now();
    } catch {
      // not listening yet
    }
    await sleep(everyMs);
  }
  throw new Error(`server not ready within ${timeoutMs} ms`);
}

/** Resident memory now and its high-water mark, in MB, from /proc (Linux). */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm'))?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 3000, group = false): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      // A detached child leads its own process group: -pid reaches what it started (npx → tsx → node).
      process.kill(group ? -child.pid! : child.pid!, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
