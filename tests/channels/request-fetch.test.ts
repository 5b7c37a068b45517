/**
 * The answer worker's fetch (src/channels/request-fetch.ts): what the LINE and Slack SDKs get
 * from it is what they get from Node's fetch, with the real SDKs against the local fakes, and
 * every case it does not take goes to the fallback.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { messagingApi, HTTPFetchError } from '@line/bot-sdk';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRequestFetch, installRequestFetch } from '../../src/channels/request-fetch.js';
import { startFakeLineApi, type FakeLineApi } from '../../src/testing/fake-line-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../src/testing/fake-slack-api.js';

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
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-request-id': 'r1' });
      res.end(JSON.stringify({ ok: true, text: 'こんにちは', echo: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createRequestFetch', () => {
  it('sends method, headers and body, and gives status, headers and the body as fetch does', async () => {
    const fallback = vi.fn(globalThis.fetch);
    const fetch = createRequestFetch({ fallback });
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
    const fetch = createRequestFetch();
    const response = await fetch(`${base}/form`, { method: 'POST', body: new URLSearchParams({ channel: 'C1', text: 'あ b' }) });
    expect((await response.json()).echo).toBe('channel=C1&text=%E3%81%82+b');
    expect(seen.at(-1)!.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
  });

  it('gives a 404 as a response, a 204 with no body, and repeated headers joined', async () => {
    const fetch = createRequestFetch();
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
    const fetch = createRequestFetch();
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
    const fetch = createRequestFetch({ fallback });
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

describe('the SDKs over it', () => {
  let line: FakeLineApi;
  let slack: FakeSlackApi;
  let restore: () => void;
  beforeAll(async () => {
    [line, slack] = await Promise.all([startFakeLineApi(), startFakeSlackApi()]);
    // As the answer worker does: the LINE SDK reads the global fetch at each call.
    restore = installRequestFetch();
  });
  afterAll(async () => {
    restore();
    await Promise.all([line.close(), slack.close()]);
  });

  it('LINE: a reply lands, and an API error is the SDK’s HTTPFetchError with status and body', async () => {
    expect(globalThis.fetch.name).toBe('requestFetch');
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
  });

  it('Slack: chat.postMessage lands, and an error reply is the SDK’s platform error', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const posted = await client.chat.postMessage({ channel: 'C1', thread_ts: '1.2', text: '休眠預金とは' });
    expect(posted.ok).toBe(true);
    expect(slack.callsTo('chat.postMessage').at(-1)!.args).toMatchObject({ channel: 'C1', thread_ts: '1.2', text: '休眠預金とは' });
    slack.failNext('chat.postMessage', 'channel_not_found');
    await expect(client.chat.postMessage({ channel: 'C404', text: 'x' })).rejects.toMatchObject({ code: 'slack_webapi_platform_error', data: { error: 'channel_not_found' } });
  });
});
