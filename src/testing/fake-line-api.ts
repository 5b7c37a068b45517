/**
 * A fake LINE Messaging API on 127.0.0.1: records reply, push and loading-animation calls and
 * can be told to fail the next calls, so the real MessagingApiClient is tested against HTTP.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeLinePath = '/v2/bot/message/reply' | '/v2/bot/message/push' | '/v2/bot/chat/loading/start';

export interface RecordedCall {
  path: string;
  /** Parsed JSON; `any` so that assertions can read it freely. */
  body: any;
  headers: http.IncomingHttpHeaders;
  /** The status the fake answered with. */
  status: number;
}

export type FakeFailure = 500 | 429 | 'invalid-reply-token' | 409;

export interface FakeLineApi {
  baseURL: string;
  calls: RecordedCall[];
  /** Successful calls to one path. */
  ok(path: FakeLinePath): RecordedCall[];
  /** The next `count` calls to `path` (any path if omitted) fail this way. */
  failNext(count: number, failure: FakeFailure, options?: { path?: FakeLinePath; retryAfter?: string }): void;
  close(): Promise<void>;
}

const FAILURES: Record<FakeFailure, { status: number; body: object }> = {
  500: { status: 500, body: { message: 'Internal server error' } },
  429: { status: 429, body: { message: 'Too many requests' } },
  409: { status: 409, body: { message: 'The retry key is already accepted' } },
  'invalid-reply-token': { status: 400, body: { message: 'Invalid reply token' } },
};

export interface FakeLineApiOptions {
  /**
   * Reply and push calls are answered (and recorded) only after this long, like a slow network:
   * answers stay in flight long enough for a test to stop the bot meanwhile. @default 0
   */
  messageDelayMs?: number;
}

export async function startFakeLineApi(options: FakeLineApiOptions = {}): Promise<FakeLineApi> {
  const calls: RecordedCall[] = [];
  const queue: { failure: FakeFailure; path?: string; retryAfter?: string }[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const delayMs = path.startsWith('/v2/bot/message/') ? (options.messageDelayMs ?? 0) : 0;
      if (delayMs > 0) setTimeout(() => answerCall(req, res, path, chunks), delayMs);
      else answerCall(req, res, path, chunks);
    });
  });

  function answerCall(req: http.IncomingMessage, res: http.ServerResponse, path: string, chunks: Buffer[]): void {
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = raw ? JSON.parse(raw) : undefined;
    const known = ['/v2/bot/message/reply', '/v2/bot/message/push', '/v2/bot/chat/loading/start'].includes(path);
    const i = queue.findIndex((f) => !f.path || f.path === path);
    let status = known ? 200 : 404;
    let answer: object = known ? (path.endsWith('/push') ? { sentMessages: [{ id: '1', quoteToken: 'q' }] } : {}) : { message: 'Not found' };
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-line-request-id': `req-${calls.length}` };
    if (known && req.headers.authorization !== 'Bearer test-token') {
      status = 401;
      answer = { message: 'Authentication failed' };
    } else if (known && i >= 0) {
      const [planned] = queue.splice(i, 1);
      ({ status, body: answer } = FAILURES[planned.failure]);
      if (planned.retryAfter) headers['retry-after'] = planned.retryAfter;
    }
    calls.push({ path, body, headers: req.headers, status });
    res.writeHead(status, headers);
    res.end(JSON.stringify(answer));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}`,
    calls,
    ok: (path) => calls.filter((c) => c.path === path && c.status === 200),
    failNext(count, failure, options = {}) {
      for (let n = 0; n < count; n++) queue.push({ failure, ...options });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
