/**
 * The answer worker's fetches: over undici in the thread (src/channels/request-fetch.ts) and
 * over the platform calls' thread (src/channels/thread-fetch.ts). What the LINE and Slack SDKs
 * get from either is what they get from Node's fetch, with the real SDKs against the local
 * fakes, and every case they do not take goes to the fallback. Then what only the thread's
 * has: bodies streamed across, aborts, the other thread stopping, and the thread itself.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageChannel, Worker } from 'node:worker_threads';
import { messagingApi, HTTPFetchError } from '@line/bot-sdk';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRequestFetch } from '../../src/channels/request-fetch.js';
import { createThreadFetch, servePlatformCalls } from '../../src/channels/thread-fetch.js';
import { startFakeLineApi, type FakeLineApi } from '../../src/testing/fake-line-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../src/testing/fake-slack-api.js';

/** Over WHOLE_BODY_MAX_BYTES with a length: crosses in chunks. */
const BIG = 'あいうえお'.repeat(100_000);
let server: http.Server;
let base: string;
const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (req.url === '/empty') return void res.writeHead(204).end();
      if (req.url === '/moved') return void res.writeHead(302, { location: '/json' }).end();
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
      if (req.url === '/cookies') return void res.writeHead(200, [['set-cookie', 'a=1'], ['set-cookie', 'b=2']]).end('ok');
      if (req.url === '/big') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(BIG);
      if (req.url === '/stream') {
        // Server-sent events, as a model streams its answer: no length, chunks apart in time.
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: 認定\n\n');
        const timer = setTimeout(() => res.end('data: NPO\n\n'), 300);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-request-id': 'r1' });
      res.end(JSON.stringify({ ok: true, text: 'こんにちは', echo: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Fetch = typeof globalThis.fetch;
const stops: Array<() => void> = [];
/** createThreadFetch with servePlatformCalls on the other end of a channel, in this thread. */
function threadFetch(options: { fallback?: Fetch; onStopped?: () => void } = {}) {
  const { port1, port2 } = new MessageChannel();
  const stop = servePlatformCalls(port1);
  stops.push(stop);
  return { fetch: createThreadFetch(port2, { fallback: options.fallback ?? globalThis.fetch, onStopped: options.onStopped }), stop };
}
afterAll(() => stops.forEach((stop) => stop()));

const FETCHES: Array<[string, (fallback?: Fetch) => Fetch]> = [
  ['createRequestFetch', (fallback) => createRequestFetch({ fallback })],
  ['createThreadFetch', (fallback) => threadFetch({ fallback }).fetch],
];

describe.each(FETCHES)('%s', (_name, createFetch) => {
  it('sends method, headers and body, and gives status, headers and the body as fetch does', async () => {
    const fallback = vi.fn(globalThis.fetch);
    const fetch = createFetch(fallback);
    const response = await fetch(new URL('/json', base), { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t' }, body: '{"q":"認定NPO"}' });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe('OK');
    expect(response.headers.get('x-request-id')).toBe('r1');
    expect(await response.json()).toEqual({ ok: true, text: 'こんにちは', echo: '{"q":"認定NPO"}' });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' } });
    expect(fallback).not.toHaveBeenCalled();
  });

  it('encodes URL parameters as a form, as fetch does', async () => {
    const fetch = createFetch();
    const response = await fetch(`${base}/form`, { method: 'POST', body: new URLSearchParams({ channel: 'C1', text: 'あ b' }) });
    expect((await response.json()).echo).toBe('channel=C1&text=%E3%81%82+b');
    expect(seen.at(-1)!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
  });

  it('gives a 404 as a response, a 204 with no body, and repeated headers joined', async () => {
    const fetch = createFetch();
    const missing = await fetch(`${base}/missing`);
    expect([missing.status, missing.ok, missing.statusText]).toEqual([404, false, 'Not Found']);
    const empty = await fetch(`${base}/empty`, { method: 'POST', body: '{}' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const cookies = await fetch(`${base}/cookies`);
    expect(cookies.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(await cookies.text()).toBe('ok');
  });

  it('rejects as fetch does: a TypeError with the socket error as cause, or the abort reason', async () => {
    const fetch = createFetch();
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).message).toBe('fetch failed');
    expect(((refused as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');

    const timedOut = await fetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect((timedOut as Error).name).toBe('TimeoutError');
    const reason = new Error('asker left');
    const controller = new AbortController();
    controller.abort(reason);
    await expect(fetch(`${base}/json`, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('hands what it does not take to the fallback: a Request, a FormData body, a redirect to follow', async () => {
    const fallback = vi.fn(globalThis.fetch);
    const fetch = createFetch(fallback);
    await fetch(new Request(`${base}/json`));
    const form = new FormData();
    form.set('file', new Blob(['x']), 'x.txt');
    await fetch(`${base}/json`, { method: 'POST', body: form });
    expect(fallback).toHaveBeenCalledTimes(2);
    const followed = await fetch(`${base}/moved`);
    expect(fallback).toHaveBeenCalledTimes(3);
    expect(followed.status).toBe(200);
    expect(followed.redirected).toBe(true);
    // redirect: 'error' (what @slack/web-api asks) fails as fetch fails, without the fallback.
    await expect(fetch(`${base}/moved`, { redirect: 'error' })).rejects.toThrow(TypeError);
    expect(fallback).toHaveBeenCalledTimes(3);
  });
});

describe.each(FETCHES)('the SDKs over %s', (_name, createFetch) => {
  let line: FakeLineApi;
  let slack: FakeSlackApi;
  const previous = globalThis.fetch;
  // Every call of these SDKs is plain: none may reach Node's fetch behind the one under test.
  const fallback = vi.fn(previous);
  beforeAll(async () => {
    [line, slack] = await Promise.all([startFakeLineApi(), startFakeSlackApi()]);
    // As the answer worker does: the LINE SDK reads the global fetch at each call.
    globalThis.fetch = createFetch(fallback);
  });
  afterAll(async () => {
    globalThis.fetch = previous;
    await Promise.all([line.close(), slack.close()]);
  });

  it('LINE: a reply lands, and an API error is the SDK’s HTTPFetchError with status and body', async () => {
    const client = new messagingApi.MessagingApiClient({ channelAccessToken: 'test-token', baseURL: line.baseURL });
    await client.replyMessage({ replyToken: 'rt1', messages: [{ type: 'text', text: '認定NPO法人になるには' }] });
    expect(line.ok('/v2/bot/message/reply').at(-1)!.body).toEqual({ replyToken: 'rt1', messages: [{ type: 'text', text: '認定NPO法人になるには' }] });
    const pushed = await client.pushMessage({ to: 'U1', messages: [{ type: 'text', text: 'push' }] });
    expect(pushed.sentMessages[0].id).toBe('1');

    line.failNext(1, 'invalid-reply-token');
    const error = await client.replyMessage({ replyToken: 'rt2', messages: [{ type: 'text', text: 'x' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HTTPFetchError);
    expect((error as HTTPFetchError).status).toBe(400);
    expect((error as HTTPFetchError).body).toContain('Invalid reply token');
    expect(fallback).not.toHaveBeenCalled();
  });

  it('Slack: chat.postMessage lands, and an error reply is the SDK’s platform error', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const posted = await client.chat.postMessage({ channel: 'C1', thread_ts: '1.2', text: '休眠預金とは' });
    expect(posted.ok).toBe(true);
    expect(slack.callsTo('chat.postMessage').at(-1)!.args).toMatchObject({ channel: 'C1', thread_ts: '1.2', text: '休眠預金とは' });
    slack.failNext('chat.postMessage', 'channel_not_found');
    await expect(client.chat.postMessage({ channel: 'C404', text: 'x' })).rejects.toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } });
    expect(fallback).not.toHaveBeenCalled();
  });
});

describe('createThreadFetch, what crosses threads', () => {
  it('streams a body with no length as it comes, and a long one whole and in order', async () => {
    const { fetch } = threadFetch();
    const response = await fetch(`${base}/stream`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    // The first event is here before the server has sent the second.
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe('data: 認定\n\n');
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += decoder.decode(part.value, { stream: true });
    expect(rest).toBe('data: NPO\n\n');

    const big = await fetch(`${base}/big`);
    expect(await big.text()).toBe(BIG);
  });

  it('aborts a call waiting for its response and one whose body is still coming, with the reason', async () => {
    const { fetch } = threadFetch();
    const slow = await fetch(`${base}/slow`, { signal: AbortSignal.timeout(50) }).catch((e: unknown) => e);
    expect((slow as Error).name).toBe('TimeoutError');

    const controller = new AbortController();
    const streaming = await fetch(`${base}/stream`, { signal: controller.signal });
    const reader = streaming.body!.getReader();
    await reader.read();
    const reason = new Error('asker left');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    // The thread still serves the next call.
    expect((await fetch(`${base}/json`)).status).toBe(200);
  });

  it('when the other thread stops: its calls in flight fail as network failures, later ones run on the fallback', async () => {
    const onStopped = vi.fn();
    const fallback = vi.fn(globalThis.fetch);
    const { fetch, stop } = threadFetch({ fallback, onStopped });
    const inFlight = fetch(`${base}/slow`).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop();
    const failed = await inFlight;
    expect(failed).toBeInstanceOf(TypeError);
    expect(((failed as TypeError).cause as Error).message).toBe('the platform calls thread stopped');
    expect(onStopped).toHaveBeenCalledTimes(1);
    expect(fallback).not.toHaveBeenCalled();

    const after = await fetch(`${base}/json`);
    expect(after.status).toBe(200);
    expect(fallback).toHaveBeenCalledTimes(1);
  });

  it('the platform calls thread, started as the answer pool starts it, serves a port it is given', async () => {
    const worker = new Worker(new URL('../../src/app/worker/platform-worker-entry.mjs', import.meta.url));
    try {
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ type: 'serve', port: port1 }, [port1]);
      const fallback = vi.fn(globalThis.fetch);
      const fetch = createThreadFetch(port2, { fallback });
      const response = await fetch(`${base}/json`, { method: 'POST', body: '休眠預金' });
      expect(await response.json()).toMatchObject({ ok: true, echo: '休眠預金' });
      expect(fallback).not.toHaveBeenCalled();
      port2.close();
    } finally {
      await worker.terminate();
    }
  });
});
