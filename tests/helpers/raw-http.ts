/**
 * HTTP at the socket, for what fetch hides: two requests on one keep-alive connection, a body
 * that trickles in, a client that hangs up mid-body. Everything stays on 127.0.0.1.
 */
import net from 'node:net';

export interface RawExchange {
  /** Everything the server sent, as text. */
  received: string;
  /** The socket's error (ECONNRESET, say), if it ended with one. */
  error?: NodeJS.ErrnoException;
  /** How long after connecting the connection closed. */
  closedAfterMs: number;
  /** False when the server left it open and the reader gave up after `idleMs` of silence. */
  closedByServer: boolean;
}

/**
 * Connects, writes `request` (all at once, so that pipelined requests arrive together), and
 * reads until the server closes the connection or `idleMs` pass with nothing more to read.
 */
export function rawExchange(port: number, request: string | Buffer, { idleMs = 1_500 } = {}): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let error: NodeJS.ErrnoException | undefined;
    let idle: NodeJS.Timeout | undefined;
    let closedByServer = true;
    const finish = () => {
      clearTimeout(idle);
      resolve({ received: Buffer.concat(chunks).toString('utf8'), error, closedAfterMs: performance.now() - started, closedByServer });
    };
    const rearm = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        closedByServer = false;
        socket.destroy();
      }, idleMs);
    };
    socket.on('connect', () => {
      socket.write(request);
      rearm();
    });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      rearm();
    });
    socket.on('error', (e) => (error = e));
    socket.on('close', finish);
  });
}

/** The status lines of the responses in `received`, in order: `[413, 200]`. */
export function statuses(received: string): number[] {
  return [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
}

/** One HTTP/1.1 request as text, with Content-Length computed from the body. */
export function requestText(method: string, path: string, headers: Record<string, string | number>, body = ''): string {
  const all = { host: '127.0.0.1', 'content-length': Buffer.byteLength(body), ...headers };
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`;
}
