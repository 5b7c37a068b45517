/**
 * The bot as an operator runs it: a child process started with a given command line in the
 * checkout (the Dockerfile's CMD, `npm start`), its own process group (so that what it leaves
 * behind can be killed as a container runtime would), its JSON log lines collected.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

/** The newest modification time under `dir`, recursively. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** `npm run build` (what `npm ci`'s prepare runs) when dist/ is missing or older than src/: the test runs what was just written. */
export function ensureDist(): void {
  const main = path.join(PROJECT_ROOT, 'dist', 'main.js');
  if (fs.existsSync(main) && fs.statSync(main).mtimeMs >= newestMtime(path.join(PROJECT_ROOT, 'src'))) return;
  execFileSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build-dist.mjs')], { cwd: PROJECT_ROOT, stdio: 'pipe' });
}

/** The exec-form CMD of the Dockerfile, e.g. ['node', 'dist/main.js']: what the image's container runs. */
export function dockerfileCommand(): string[] {
  const dockerfile = fs.readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8');
  const cmds = [...dockerfile.matchAll(/^CMD\s+(\[.*\])\s*$/gm)];
  if (!cmds.length) throw new Error('the Dockerfile has no exec-form CMD ["…"] line');
  return JSON.parse(cmds.at(-1)![1]) as string[];
}

export interface BotProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Parsed JSON log lines (stderr) so far. */
  logs(): Array<Record<string, unknown> & { msg: string }>;
  stderr(): string;
  /** Resolves when the process the command started exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL to the whole process group: what a container runtime does once its main process is gone. */
  killGroup(): number;
}

export async function until(ok: () => boolean | Promise<boolean>, what: string, ms = 60_000, detail = () => ''): Promise<void> {
  const end = Date.now() + ms;
  while (!(await Promise.resolve(ok()).catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${detail().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `command` in the checkout with `env`, on PORT 0 (the printed address names the real port); resolves once /readyz says ready. */
export async function startBotProcess(command: string[], env: NodeJS.ProcessEnv): Promise<BotProcess> {
  const [file, ...args] = command;
  const child = spawn(file === 'node' ? process.execPath : file, args, {
    cwd: PROJECT_ROOT,
    env: { ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, as a container's processes are its own: killGroup reaches them all.
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  const detail = () => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  await until(() => gone || /http:\/\/127\.0\.0\.1:\d+\//.test(stdout), 'the address on stdout', 60_000, detail);
  if (gone) throw new Error(`the bot exited at start\n${detail()}`);
  const port = Number(stdout.match(/http:\/\/127\.0\.0\.1:(\d+)\//)![1]);
  const url = `http://127.0.0.1:${port}`;
  await until(async () => (await fetch(`${url}/readyz`)).status === 200, '/readyz 200', 60_000, detail);
  return {
    child,
    url,
    port,
    logs: () =>
      stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown> & { msg: string }];
          } catch {
            return [];
          }
        }),
    stderr: () => stderr,
    exited,
    killGroup() {
      try {
        process.kill(-child.pid!, 'SIGKILL');
        return 1;
      } catch {
        return 0; // nothing left in the group
      }
    },
  };
}

/** True when something accepts connections on 127.0.0.1:`port`. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
