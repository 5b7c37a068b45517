/**
 * The HTTP question endpoints' door, against the real server on 127.0.0.1: whose address the
 * per-client limit counts (forged X-Forwarded-For, TRUST_PROXY), the limit's setting, the JSON
 * content type, nosniff, HEAD, a 413 on a keep-alive connection, slow bodies, client aborts and
 * the connection cap.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpServerLimits, TrustProxy } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import { rawExchange, requestText, statuses } from '../helpers/raw-http.js';
import { startHarness as startLine } from './line/harness.js';
import { sampleAnswer, startWebServer, type WebServer } from './web/harness.js';

let server: WebServer | undefined;
let logLines: Array<Record<string, any>> = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: { ratePerMinute?: number; trustProxy?: TrustProxy; httpLimits?: Partial<HttpServerLimits> } = {}) {
  // A fresh array per server: a late line of an earlier test's server cannot land in it.
  const lines: Array<Record<string, any>> = [];
  logLines = lines;
  const logger = createLogger('debug', (line) => lines.push(JSON.parse(line)));
  // The conversation's per-user limit out of the way: these tests are about the request guard.
  server = await startWebServer({ answers: createFixedAnswerService((q) => sampleAnswer(q)), limits: { questionsPerMinute: 10_000 }, logger, ...options });
  return server;
}

const portOf = (s: WebServer) => Number(new URL(s.baseUrl).port);

const ask = (s: WebServer, headers: Record<string, string> = {}, path = '/api/ask') =>
  fetch(`${s.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ question: '休眠預金とは？' }) });

async function statusesOf(requests: Array<() => Promise<Response>>): Promise<number[]> {
  const out: number[] = [];
  for (const request of requests) out.push((await request()).status);
  return out;
}

const forged = (i: number) => `198.51.100.${i}`;

describe('the per-client request limit', () => {
  it('counts one client once, whatever X-Forwarded-For it forges: 80 forged addresses, 30 answered', async () => {
    const s = await start();
    const got = await statusesOf(Array.from({ length: 80 }, (_, i) => () => ask(s, { 'x-forwarded-for': forged(i) })));
    expect(got.filter((st) => st === 200)).toHaveLength(30);
    expect(got.slice(30).every((st) => st === 429)).toBe(true);
  });

  it('with TRUST_PROXY=1, keys on the right-most hop the proxy appended, not on what the client wrote before it', async () => {
    const s = await start({ trustProxy: { hops: 1 } });
    // One real client behind the proxy, forging a new address in front of its own each time.
    const one = await statusesOf(Array.from({ length: 40 }, (_, i) => () => ask(s, { 'x-forwarded-for': `${forged(i)}, 203.0.113.7` })));
    expect(one.filter((st) => st === 200)).toHaveLength(30);
    // Forty real clients behind the proxy: each its own limit.
    const many = await statusesOf(Array.from({ length: 40 }, (_, i) => () => ask(s, { 'x-forwarded-for': `10.0.0.1, 203.0.113.${100 + i}` })));
    expect(many.every((st) => st === 200)).toBe(true);
  });

  it('with trusted proxy addresses, skips every trusted hop; from an untrusted peer the header is ignored', async () => {
    // 127.0.0.1 (the test's own peer) and 10.0.0.0/8 are proxies: the client is the first address left of them.
    const trusted = await start({ trustProxy: { addresses: ['127.0.0.1', '10.0.0.0/8'] } });
    const viaTwoProxies = await statusesOf(Array.from({ length: 35 }, (_, i) => () => ask(trusted, { 'x-forwarded-for': `${forged(i)}, 203.0.113.8, 10.1.2.3` })));
    expect(viaTwoProxies.filter((st) => st === 200)).toHaveLength(30);
    await trusted.close();

    const untrusted = await start({ trustProxy: { addresses: ['10.9.9.9'] } });
    const direct = await statusesOf(Array.from({ length: 35 }, (_, i) => () => ask(untrusted, { 'x-forwarded-for': `203.0.113.${i}` })));
    expect(direct.filter((st) => st === 200)).toHaveLength(30);
  });

  it('is a setting, shared by /api/ask and /api/ask/stream; 0 turns it off', async () => {
    const limited = await start({ ratePerMinute: 3 });
    expect(await statusesOf([() => ask(limited), () => ask(limited, {}, '/api/ask/stream'), () => ask(limited), () => ask(limited, {}, '/api/ask/stream'), () => ask(limited)])).toEqual([200, 200, 200, 429, 429]);
    await limited.close();
    const open = await start({ ratePerMinute: 0 });
    const got = await statusesOf(Array.from({ length: 80 }, () => () => ask(open)));
    expect(got.every((st) => st === 200)).toBe(true);
  });
});

describe('what the question endpoints accept', () => {
  it('takes only application/json (415 for a form or text/plain post, before the limit counts it)', async () => {
    const s = await start({ ratePerMinute: 2 });
    const body = JSON.stringify({ question: '休眠預金とは？' });
    for (const path of ['/api/ask', '/api/ask/stream']) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await fetch(`${s.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
        expect(res.status, `${path} ${type}`).toBe(415);
        expect((await res.json()).error).toBe('unsupported_media_type');
      }
    }
    const noType = await fetch(`${s.baseUrl}/api/ask`, { method: 'POST', body: new Blob([body]) });
    expect(noType.status).toBe(415);
    // None of those counted: two real questions still fit in the limit of two.
    expect((await ask(s, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
    expect((await ask(s)).status).toBe(200);
  });

  it('marks every JSON response nosniff: answers, errors, 404s and probes', async () => {
    const s = await start();
    const responses = [await ask(s), await ask(s, { 'content-type': 'text/plain' }), await fetch(`${s.baseUrl}/nowhere`), await fetch(`${s.baseUrl}/healthz`), await fetch(`${s.baseUrl}/readyz`)];
    for (const res of responses) expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
  });

  it('answers HEAD on a GET route like GET without the body, and names HEAD where GET is allowed', async () => {
    const s = await start();
    for (const path of ['/healthz', '/readyz', '/']) {
      const get = await fetch(`${s.baseUrl}${path}`);
      const head = await fetch(`${s.baseUrl}${path}`, { method: 'HEAD' });
      expect(head.status, path).toBe(get.status);
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'));
      expect(head.headers.get('content-length')).toBe(get.headers.get('content-length'));
      expect(await head.text()).toBe('');
    }
    const post = await fetch(`${s.baseUrl}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('a refusal on a keep-alive connection', () => {
  const question = JSON.stringify({ question: '休眠預金とは？' });
  const second = requestText('POST', '/api/ask', { 'content-type': 'application/json' }, question);

  for (const path of ['/api/ask', '/api/ask/stream']) {
    it(`${path}: a 413 by Content-Length, then a second request on the same socket: a clean 413 and a clean close, no reset`, async () => {
      const s = await start();
      const big = requestText('POST', path, { 'content-type': 'application/json' }, JSON.stringify({ question: 'x'.repeat(200_000) }));
      const result = await rawExchange(portOf(s), big + second);
      expect(result.error).toBeUndefined();
      expect(result.closedByServer).toBe(true);
      const [first, ...rest] = statuses(result.received);
      expect(first).toBe(413);
      expect(result.received).toMatch(/^connection: close$/im);
      // The rest of the big body was never read as a request: at most a clean answer to the second.
      expect(rest.every((st) => st === 200)).toBe(true);
      expect(result.received).not.toMatch(/HTTP\/1\.1 400/);
    });
  }

  it('a 413 found while reading a chunked body (no Content-Length): a clean 413 and close, no reset', async () => {
    const s = await start();
    const chunk = 'x'.repeat(50_000);
    const chunked =
      'POST /api/ask HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n' +
      `${(chunk.length + 13).toString(16)}\r\n{"question":"${chunk}\r\n` +
      [1, 2, 3].map(() => `${chunk.length.toString(16)}\r\n${chunk}\r\n`).join('') +
      '2\r\n"}\r\n0\r\n\r\n';
    const result = await rawExchange(portOf(s), chunked + second);
    expect(result.error).toBeUndefined();
    expect(statuses(result.received)[0]).toBe(413);
    expect(result.received).toMatch(/^connection: close$/im);
  });

  it('a refusal before the body (401, 415) closes the connection too, so its body is not read as the next request', async () => {
    const s = await start();
    const plain = requestText('POST', '/api/ask', { 'content-type': 'text/plain' }, question);
    const result = await rawExchange(portOf(s), plain + second);
    expect(result.error).toBeUndefined();
    expect(statuses(result.received)[0]).toBe(415);
    expect(statuses(result.received).slice(1).every((st) => st === 200)).toBe(true);
  });

  it('after a good answer the connection stays open for the next request', async () => {
    const s = await start();
    const result = await rawExchange(portOf(s), second + second, { idleMs: 300 });
    expect(statuses(result.received)).toEqual([200, 200]);
    expect(result.closedByServer).toBe(false);
  });
});

describe('slow and vanishing clients', () => {
  it('cuts off a body that trickles in: 408 and closed within the request timeout, not Node’s 300 s', async () => {
    const s = await start({ httpLimits: { requestTimeoutMs: 1_000, headersTimeoutMs: 1_000 } });
    const result = await new Promise<{ received: string; ms: number }>((resolve) => {
      const started = performance.now();
      const socket = net.connect(portOf(s), '127.0.0.1');
      let received = '';
      socket.on('connect', () => socket.write('POST /api/ask HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"question":'));
      // A byte every 200 ms: never idle for long, never done.
      const drip = setInterval(() => socket.writable && socket.write(' '), 200);
      socket.on('data', (d) => (received += d));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(drip);
        resolve({ received, ms: performance.now() - started });
      });
    });
    expect(statuses(result.received)).toEqual([408]);
    // The timeout is 1 s and Node checks it every 500 ms here; 10 s leaves room for a busy machine.
    expect(result.ms).toBeLessThan(10_000);
  });

  it('logs a client that hangs up mid-body at debug, never at error', async () => {
    const s = await start();
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(portOf(s), '127.0.0.1', () => {
          socket.write('POST /api/ask HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"question":"休眠');
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('close', () => resolve());
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(logLines.filter((l) => l.level === 'error')).toEqual([]);
    expect(logLines.filter((l) => l.msg === 'client aborted the request')).toHaveLength(5);
    expect(logLines.filter((l) => l.msg === 'request' && l.aborted).every((l) => l.level === 'debug')).toBe(true);
    // And the server still answers.
    expect((await ask(s)).status).toBe(200);
  });

  it('the LINE webhook too: a hang-up mid-body is logged at debug, not at error', async () => {
    const line = await startLine();
    try {
      const port = Number(new URL(line.url).port);
      await new Promise<void>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.write('POST /line/webhook HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"events":[');
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on('close', () => resolve());
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(line.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
      expect(line.logLines.filter((l) => l.includes('client aborted the request'))).toHaveLength(1);
    } finally {
      await line.close();
    }
  });

  it('holds at most the configured number of connections; a freed slot serves again', async () => {
    const s = await start({ httpLimits: { maxConnections: 2 } });
    const open = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(portOf(s), '127.0.0.1', () => resolve(socket));
          }),
      ),
    );
    // Accepted by the kernel, then closed by Node at once, before any answer.
    const third = await rawExchange(portOf(s), requestText('GET', '/healthz', {}), { idleMs: 2_000 });
    expect(third.closedByServer).toBe(true);
    expect(third.received).toBe('');
    open[0].destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const fourth = await rawExchange(portOf(s), requestText('GET', '/healthz', { connection: 'close' }));
    expect(statuses(fourth.received)).toEqual([200]);
    open[1].destroy();
  });
});
