import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/channels/web/web-routes.js';
import { QuestionError } from '../../../src/errors.js';
import { createFixedAnswerService } from '../../../src/qa/fixed-answer-service.js';
import type { Answer, AnswerService } from '../../../src/qa/types.js';
import { parseEvents, sampleAnswer, startWebServer, type WebServer } from './harness.js';

/** A service that streams like a model: two deltas, then a final answer (the fixed service yields one). */
function streamingService(final: (q: string) => Answer = (q) => sampleAnswer(q), chunks = ['休眠預金は', '活用されます。']) {
  const asked: { question: string; signal?: AbortSignal }[] = [];
  const service: AnswerService = {
    ...createFixedAnswerService(final),
    async *stream(question, context) {
      asked.push({ question, signal: context?.signal });
      for (const chunk of chunks) yield chunk;
      return final(question);
    },
  };
  return { service, asked };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

let server: WebServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('the page', () => {
  it('serves Japanese HTML at / with the CSP header, and its script and style', async () => {
    server = await startWebServer({ answers: streamingService().service });
    const page = await fetch(`${server.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/^default-src 'self';/);
    const html = await page.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('data-token="off"');
    for (const example of ['休眠預金とは何ですか', '認定NPO法人になるには？', 'あいかさねっとって何？', 'この計画の期間は？']) {
      expect(html).toContain(`<button type="button" class="example">${example}</button>`);
    }
    const script = await fetch(`${server.baseUrl}/app.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('/api/ask/stream');
    expect((await fetch(`${server.baseUrl}/style.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${server.baseUrl}/favicon.ico`)).status).toBe(204);
  });

  it('loads nothing from outside the server: no http(s) URL and no inline script or style in the assets', () => {
    const dir = new URL('../../../src/channels/web/public/', import.meta.url);
    const files = readdirSync(dir);
    expect(files.sort()).toEqual(['app.js', 'index.html', 'style.css']);
    for (const file of files) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(text, file).not.toMatch(/https?:\/\//i);
      expect(text, file).not.toMatch(/@import|url\(/);
    }
    const html = readFileSync(new URL('index.html', dir), 'utf8');
    expect(html).not.toMatch(/<style|style=|<script>|<script(?![^>]*src=)|\son[a-z]+=/i);
  });

  it('tells the page to ask for the access key when WEB_TOKEN is set', async () => {
    server = await startWebServer({ answers: streamingService().service, token: 's3cret' });
    const html = await (await fetch(`${server.baseUrl}/`)).text();
    expect(html).toContain('data-token="required"');
    expect(html).not.toContain('s3cret');
  });
});

describe('POST /api/ask/stream', () => {
  it('streams the deltas, then the final answer in the /api/ask shape', async () => {
    const { service, asked } = streamingService();
    server = await startWebServer({ answers: service });
    const response = await post(`${server.baseUrl}/api/ask/stream`, { question: '休眠預金とは何ですか' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('no-cache');
    const events = parseEvents(await response.text());
    expect(events.map((e) => e.event)).toEqual(['delta', 'delta', 'done']);
    expect(events[0].data).toBe('休眠預金は');
    expect(events[1].data).toBe('活用されます。');
    expect(events[2].data).toMatchObject({
      question: '休眠預金とは何ですか',
      answer: '「休眠預金とは何ですか」への答え: 休眠預金は民間公益活動に活用されます。',
      abstained: false,
      mode: 'llm',
      sources: [{ rank: 1, score: 0.9, section: expect.stringContaining('第5章'), text: expect.stringContaining('休眠預金等活用法') }],
    });
    expect(typeof (events[2].data as { ms: unknown }).ms).toBe('number');
    expect(asked[0].signal).toBeInstanceOf(AbortSignal);
  });

  it('keeps a delta with newlines inside one event', async () => {
    server = await startWebServer({ answers: streamingService(undefined, ['一行目\n\n二行目']).service });
    const events = parseEvents(await (await post(`${server.baseUrl}/api/ask/stream`, { question: 'q' })).text());
    expect(events[0]).toEqual({ event: 'delta', data: '一行目\n\n二行目' });
    expect(events.map((e) => e.event)).toEqual(['delta', 'done']);
  });

  it('answers 400 JSON, before any stream, for a question the service refuses', async () => {
    server = await startWebServer({ answers: createFixedAnswerService(() => Promise.reject(new QuestionError('質問が空です。'))) });
    const response = await post(`${server.baseUrl}/api/ask/stream`, { question: '？？' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({ error: 'bad_question', message: '質問が空です。' });
  });

  it('ends with an error event when the answer fails midway', async () => {
    const service: AnswerService = {
      ...createFixedAnswerService((q) => sampleAnswer(q)),
      async *stream() {
        yield '途中まで';
        throw new Error('model connection reset');
      },
    };
    server = await startWebServer({ answers: service });
    const events = parseEvents(await (await post(`${server.baseUrl}/api/ask/stream`, { question: 'q' })).text());
    expect(events.map((e) => e.event)).toEqual(['delta', 'error']);
    expect(events[1].data).toMatchObject({ error: 'internal_error', message: expect.stringContaining('エラー') });
  });

  it('answers 400 to a body that is not JSON or has no question, and 413 to one over 100 kB', async () => {
    server = await startWebServer({ answers: streamingService().service });
    const url = `${server.baseUrl}/api/ask/stream`;
    expect((await post(url, '{not json')).status).toBe(400);
    const noQuestion = await post(url, { q: 'x' });
    expect(noQuestion.status).toBe(400);
    expect(await noQuestion.json()).toMatchObject({ error: 'bad_request' });
    expect((await post(url, { question: 'あ'.repeat(40_000) })).status).toBe(413);
  });

  it('answers 503 while the index is loading', async () => {
    server = await startWebServer({ answers: undefined });
    expect((await post(`${server.baseUrl}/api/ask/stream`, { question: 'q' })).status).toBe(503);
  });

  it('shares the rate limit with /api/ask', async () => {
    server = await startWebServer({ answers: streamingService().service, ratePerMinute: 2 });
    expect((await post(`${server.baseUrl}/api/ask`, { question: 'q' })).status).toBe(200);
    expect((await post(`${server.baseUrl}/api/ask/stream`, { question: 'q' })).status).toBe(200);
    const limited = await post(`${server.baseUrl}/api/ask/stream`, { question: 'q' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
  });
});

describe('WEB_TOKEN', () => {
  for (const path of ['/api/ask', '/api/ask/stream']) {
    it(`is required as a bearer token on ${path}`, async () => {
      server = await startWebServer({ answers: streamingService().service, token: 's3cret' });
      const url = `${server.baseUrl}${path}`;
      expect((await post(url, { question: 'q' })).status).toBe(401);
      expect((await post(url, { question: 'q' }, { authorization: 'Bearer wrong' })).status).toBe(401);
      const ok = await post(url, { question: 'q' }, { authorization: 'Bearer s3cret' });
      expect(ok.status).toBe(200);
      await ok.text();
    });
  }

  it('is not needed for the page itself or /readyz (the page has to load to ask for it)', async () => {
    server = await startWebServer({ answers: streamingService().service, token: 's3cret' });
    expect((await fetch(`${server.baseUrl}/`)).status).toBe(200);
    expect((await fetch(`${server.baseUrl}/readyz`)).status).toBe(200);
  });
});

describe('a reader who leaves mid-answer', () => {
  it('aborts the answer service through the signal', async () => {
    let signal: AbortSignal | undefined;
    const service: AnswerService = {
      ...createFixedAnswerService((q) => sampleAnswer(q)),
      async *stream(question, context) {
        signal = context?.signal;
        yield '考え中';
        await new Promise((resolve) => signal?.addEventListener('abort', resolve));
        return sampleAnswer(question);
      },
    };
    server = await startWebServer({ answers: service });
    const controller = new AbortController();
    const response = await fetch(`${server.baseUrl}/api/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"question":"q"}', signal: controller.signal });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: delta');
    expect(signal?.aborted).toBe(false);
    controller.abort();
    await expect.poll(() => signal?.aborted, { timeout: 2000 }).toBe(true);
  });
});
