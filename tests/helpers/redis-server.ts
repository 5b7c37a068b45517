/**
 * A real redis-server for tests: a child process on a free 127.0.0.1 port, with persistence
 * off, started and stopped by the test itself (no system service). Tests that need it skip
 * with a message when Debian's redis-server is not installed; CI installs it (.ci/run).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** The binary, or undefined when the machine has none. */
export const REDIS_SERVER_BIN: string | undefined = (() => {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim();
  return found || undefined;
})();

export const SKIP_REDIS_MESSAGE = 'redis-server is not installed: skipping Redis tests (apt-get install redis-server; CI installs it)';

export interface RedisServer {
  port: number;
  url: string;
  /** SIGKILL, as when the server crashes: no goodbye to the clients. */
  kill(): Promise<void>;
  /** Starts again on the same port (after kill). */
  restart(): Promise<void>;
  /** SIGSTOP: the server hangs with its connections open, answering nothing, as a stalled host does. */
  pause(): void;
  /** SIGCONT after pause: it answers again, the commands sent meanwhile included. */
  resume(): void;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function spawnRedis(bin: string, port: number): Promise<ChildProcess> {
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start on port ${port}:\n${output}`));
    }, 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${output}`));
    });
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once('exit', () => resolve()));

export async function startRedisServer(): Promise<RedisServer> {
  if (!REDIS_SERVER_BIN) throw new Error(SKIP_REDIS_MESSAGE);
  const bin = REDIS_SERVER_BIN;
  const port = await freePort();
  let child = await spawnRedis(bin, port);
  const stopWith = async (signal: NodeJS.Signals) => {
    const done = exited(child);
    child.kill(signal);
    await done;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => stopWith('SIGKILL'),
    async restart() {
      child = await spawnRedis(bin, port);
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    // A paused server cannot act on SIGTERM: wake it first.
    stop: () => (child.kill('SIGCONT'), stopWith('SIGTERM')),
  };
}
