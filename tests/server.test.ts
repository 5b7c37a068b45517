/** The server's request log: one line a request with a request id, and no secrets in it. */
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { createHttpServer, type HttpRoute } from '../src/server.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

async function start(routes: HttpRoute[]) {
  const lines: Array<Record<string, any>> = [];
  const logger = createLogger('debug', (line) => lines.push(JSON.parse(line)));
  server = createHttpServer({ routes, logger });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines, logger };
}

describe('request logging', () => {
  it('logs method, path, status and ms once per request, with a request id shared by the route’s own lines', async () => {
    let logger!: ReturnType<typeof createLogger>;
    const route: HttpRoute = {
      method: 'POST',
      path: '/hook',
      async handle(req, res) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        logger.warn('route says', { headers: req.headers, token: 'xoxb-secret' });
        res.writeHead(202);
        res.end();
      },
    };
    const s = await start([route]);
    logger = s.logger;
    const res = await fetch(`${s.base}/hook?token=abc`, { method: 'POST', headers: { authorization: 'Bearer top-secret', 'x-request-id': 'lb-123' }, body: '{}' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-request-id')).toBe('lb-123');
    await new Promise((resolve) => setTimeout(resolve, 20));

    const requests = s.lines.filter((l) => l.msg === 'request');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ level: 'info', reqId: 'lb-123', method: 'POST', path: '/hook', status: 202 });
    expect(requests[0].ms).toBeGreaterThanOrEqual(4);
    const own = s.lines.find((l) => l.msg === 'route says')!;
    expect(own.reqId).toBe('lb-123');
    const all = JSON.stringify(s.lines);
    expect(all).not.toContain('top-secret');
    expect(all).not.toContain('xoxb-secret');
    expect(all).not.toContain('token=abc');
  });

  it('makes a fresh id when none (or a strange one) is given, and logs 404s at info but probes at debug', async () => {
    const s = await start([{ method: 'GET', path: '/healthz', handle: (_q, r) => void r.end('ok') }]);
    const a = await fetch(`${s.base}/nowhere`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    const b = await fetch(`${s.base}/healthz`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.headers.get('x-request-id')).not.toBe(a.headers.get('x-request-id'));
    const requests = s.lines.filter((l) => l.msg === 'request');
    expect(requests.map((l) => [l.path, l.status, l.level])).toEqual([
      ['/nowhere', 404, 'info'],
      ['/healthz', 200, 'debug'],
    ]);
  });

  it('logs /readyz at debug while it answers 503 (the index is loading), and other 5xx at info', async () => {
    let ready = false;
    const s = await start([
      { method: 'GET', path: '/readyz', handle: (_q, r) => void ((r.statusCode = ready ? 200 : 503), r.end()) },
      { method: 'GET', path: '/healthz', handle: (_q, r) => void ((r.statusCode = 500), r.end()) },
    ]);
    await fetch(`${s.base}/readyz`);
    ready = true;
    await fetch(`${s.base}/readyz`);
    await fetch(`${s.base}/healthz`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.lines.filter((l) => l.msg === 'request').map((l) => [l.path, l.status, l.level])).toEqual([
      ['/readyz', 503, 'debug'],
      ['/readyz', 200, 'debug'],
      ['/healthz', 500, 'info'],
    ]);
  });

  it("keeps a route's own fields out of the request line and of other requests' lines", async () => {
    let logger!: ReturnType<typeof createLogger>;
    const route: HttpRoute = {
      method: 'POST',
      path: '/ask',
      handle(_req, res) {
        logger.error('answer failed', { error: new Error('boom'), answerMs: 7 });
        res.writeHead(200);
        res.end();
      },
    };
    const quiet: HttpRoute = { method: 'GET', path: '/healthz', handle: (_q, r) => void r.end('ok') };
    const s = await start([route, quiet]);
    logger = s.logger;
    await fetch(`${s.base}/ask`, { method: 'POST', headers: { 'x-request-id': 'r-1' } });
    await fetch(`${s.base}/healthz`, { headers: { 'x-request-id': 'r-2' } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const requests = s.lines.filter((l) => l.msg === 'request');
    expect(requests.map((l) => l.reqId)).toEqual(['r-1', 'r-2']);
    for (const line of requests) {
      expect(line).not.toHaveProperty('error');
      expect(line).not.toHaveProperty('answerMs');
    }
  });
});
