/**
 * The chat page in a real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core), against our real server and the real offline answer service built from
 * corpus/. Takes a phone-size screenshot (into docs/web-chat.png with UPDATE_SCREENSHOT=1, for
 * README; otherwise into the temp dir, so a test run leaves the tree clean). Skips itself where
 * Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultAnswerService } from '../../../src/app/local-answers.js';
import { loadConfig, PROJECT_ROOT } from '../../../src/config.js';
import { silentLogger } from '../../../src/logger.js';
import { createFixedAnswerService } from '../../../src/qa/fixed-answer-service.js';
import type { AnswerService } from '../../../src/qa/types.js';
import { sampleAnswer, startWebServer, type WebServer } from './harness.js';

// CHROMIUM_PATH only for trying the skip or another build; CI uses Debian's package.
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`web-page.e2e: skipped, ${CHROMIUM} not found (Debian: apt-get install chromium).`);

async function openPage(browser: Browser, url: string, viewport = { width: 900, height: 1000 }) {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(20_000);
  const outside: string[] = [];
  const problems: string[] = [];
  // Nothing may leave 127.0.0.1: a request elsewhere is recorded and refused.
  await page.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === '127.0.0.1') return route.continue();
    outside.push(route.request().url());
    return route.abort();
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
  await page.goto(url);
  return { page, outside, problems };
}

const PHONE = { width: 390, height: 844 };

async function ask(page: Page, question: string, turn: number) {
  await page.getByLabel('質問', { exact: true }).fill(question);
  await page.keyboard.press('Enter');
  // .meta is written with the final answer (after the `done` event)
  await page.locator('.turn').nth(turn).locator('.meta').waitFor();
  return page.locator('.turn').nth(turn);
}

describe.skipIf(!hasChromium)('the web chat page in Chromium (skipped without it)', () => {
  let browser: Browser;
  let server: WebServer;
  let indexDir: string;
  let answers: AnswerService;

  beforeAll(async () => {
    indexDir = await mkdtemp(path.join(os.tmpdir(), 'web-e2e-index-'));
    // Offline on purpose: no model, so nothing reaches beyond 127.0.0.1 whatever the environment says.
    const config = loadConfig({ ...process.env, INDEX_DIR: indexDir, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', EMBEDDINGS_PROVIDER: 'offline' });
    [{ answers }, browser] = await Promise.all([
      createDefaultAnswerService(config, silentLogger),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      }),
    ]);
    server = await startWebServer({ answers });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (indexDir) await rm(indexDir, { recursive: true, force: true });
  });

  it('answers with sources, notes an out-of-scope question', async () => {
    const { page, outside, problems } = await openPage(browser, `${server.baseUrl}/`);
    await expect.poll(() => page.locator('#plan-version').textContent()).toContain(answers.info().planVersion);

    const first = await ask(page, '休眠預金とは何ですか', 0);
    expect(await first.locator('.answer-text').textContent()).toContain('休眠預金');
    expect(await first.locator('.note-abstained').count()).toBe(0);
    const sections = await first.locator('.source-section').allTextContents();
    expect(sections.length).toBeGreaterThan(0);
    expect(sections.some((s) => /第[15]章/.test(s))).toBe(true);
    // The quoted passage is folded until asked for.
    const quote = first.locator('blockquote').first();
    expect(await quote.isVisible()).toBe(false);
    await first.locator('summary').first().click();
    expect(await quote.isVisible()).toBe(true);
    expect((await quote.textContent())?.length).toBeGreaterThan(20);

    const second = await ask(page, '明日の天気を教えて', 1);
    const note = second.locator('.note-abstained');
    expect(await note.isVisible()).toBe(true);
    expect(await note.textContent()).toContain('計画には書かれていない');
    expect(await second.locator('.sources').count()).toBe(0);

    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('on a phone (390×844): each new answer starts in view above the question box, cards stay short, and writes docs/web-chat.png', async () => {
    const { page, outside, problems } = await openPage(browser, `${server.baseUrl}/`, PHONE);
    await expect.poll(() => page.locator('#plan-version').textContent()).toContain(answers.info().planVersion);
    const questions = ['休眠預金とは何ですか', '認定NPO法人になるには？', 'あいかさねっとって何？'];
    for (const [i, question] of questions.entries()) {
      const turn = await ask(page, question, i);
      // Where the answer's first line is, against what is visible: the visual viewport (which the
      // on-screen keyboard shrinks) and, above the bottom of it, the sticky question box.
      const place = await turn.locator('.answer-text').evaluate((text) => {
        const box = text.getBoundingClientRect();
        const vv = window.visualViewport!;
        return {
          top: box.top,
          firstLineBottom: box.top + parseFloat(getComputedStyle(text).lineHeight),
          visibleTop: vv.offsetTop,
          visibleBottom: Math.min(vv.offsetTop + vv.height, document.querySelector('#ask-form')!.getBoundingClientRect().top),
        };
      });
      expect(place.top, `answer ${i + 1}`).toBeGreaterThanOrEqual(place.visibleTop);
      expect(place.firstLineBottom, `answer ${i + 1}`).toBeLessThanOrEqual(place.visibleBottom);

      // At most 3 sources, one per 章・節, each passage folded; the answer's source line is not repeated.
      const sections = await turn.locator('.source-section').allTextContents();
      expect(sections.length).toBeGreaterThan(0);
      expect(sections.length).toBeLessThanOrEqual(3);
      expect(new Set(sections).size).toBe(sections.length);
      for (const quote of await turn.locator('blockquote').all()) expect(await quote.isVisible()).toBe(false);
      const text = (await turn.locator('.answer-text').textContent())!;
      expect(text).not.toContain('（出典:');
      expect(await turn.locator('.cited').count()).toBe(1);
      expect(await turn.locator('.meta').textContent()).toMatch(/\d+ ミリ秒$/);
      // Screen readers hear the finished answer once, from the status region.
      expect(await page.locator('#announce').textContent()).toBe(`回答：${text}`);
    }
    const shot = process.env.UPDATE_SCREENSHOT ? path.join(PROJECT_ROOT, 'docs', 'web-chat.png') : path.join(os.tmpdir(), 'kenmin-web-chat.png');
    await mkdir(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot });

    // A pasted page of text is echoed by its start (the 2,480 characters of the report made a 4,356 px card).
    const long = `休眠預金について教えてください。${'県民活動の促進に関する長い説明文です。'.repeat(130)}`;
    const turn = await ask(page, long, questions.length);
    const echo = (await turn.locator('.question').textContent())!;
    expect(echo.length).toBeLessThan(150);
    expect(echo).toContain(`（全${Array.from(long).length}文字）`);
    expect(long.startsWith(echo.slice(0, 100))).toBe(true);
    expect((await turn.locator('.question').boundingBox())!.height).toBeLessThan(PHONE.height / 3);
    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('sends an example question with one click and fits a phone screen', async () => {
    const { page } = await openPage(browser, `${server.baseUrl}/`, { width: 360, height: 740 });
    await page.getByRole('button', { name: 'この計画の期間は？' }).click();
    await page.locator('.turn .meta').waitFor();
    expect(await page.locator('.turn .question').textContent()).toBe('この計画の期間は？');
    expect(await page.locator('.turn .answer-text').textContent()).not.toBe('');
    // No sideways scrolling at a phone's width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.close();
  });

  it('asks for WEB_TOKEN once, then shows streamed text and replaces it by the final answer', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const service: AnswerService = {
      ...createFixedAnswerService((q) => sampleAnswer(q)),
      async *stream(question) {
        yield 'ストリーム中の';
        yield '下書き';
        await released;
        return sampleAnswer(question, { answer: '最終の回答です。' });
      },
    };
    const guarded = await startWebServer({ answers: service, token: 's3cret' });
    try {
      const { page, problems } = await openPage(browser, `${guarded.baseUrl}/`);
      expect(await page.locator('#token-form').isVisible()).toBe(true);
      await page.getByLabel('アクセスキー').fill('s3cret');
      await page.getByRole('button', { name: '保存' }).click();
      expect(await page.locator('#token-form').isVisible()).toBe(false);
      expect(await page.evaluate(() => sessionStorage.getItem('kenmin-bot-token'))).toBe('s3cret');

      await page.getByLabel('質問', { exact: true }).fill('休眠預金とは何ですか');
      await page.keyboard.press('Enter');
      await page.getByText('ストリーム中の下書き').waitFor();
      release();
      await page.locator('.turn .meta').waitFor();
      expect(await page.locator('.turn .answer-text').textContent()).toBe('最終の回答です。');

      // The key is remembered for the tab: a reload does not ask again.
      await page.reload();
      await page.locator('#plan-version').getByText('test').waitFor();
      expect(await page.locator('#token-form').isVisible()).toBe(false);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await guarded.close();
    }
  });
});
