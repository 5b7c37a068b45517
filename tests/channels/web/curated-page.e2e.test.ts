/**
 * A curated answer on the chat page in a real headless Chromium (Debian's /usr/bin/chromium via
 * playwright-core), against our real server, the conversation and the real matcher: the page
 * shows the center's label over the text, the section as its source, and says whose answer it
 * is instead of 計画本文からの抜粋. Skips itself where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTextStack } from '../../../src/app/text-stack.js';
import { loadConfig } from '../../../src/config.js';
import { createCuratedMatcher } from '../../../src/qa/curated-match.js';
import { createFixedAnswerService } from '../../../src/qa/fixed-answer-service.js';
import type { CuratedAnswer } from '../../../src/store/curated.js';
import { TEST_INFO } from '../../helpers/conversation.js';
import { sampleAnswer, startWebServer, type WebServer } from './harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('a curated answer on the web page in Chromium (skipped without it)', () => {
  let browser: Browser;
  let server: WebServer;

  beforeAll(async () => {
    const { analyzer } = await loadTextStack(loadConfig({}));
    const curated = createCuratedMatcher<CuratedAnswer>({ analyzer });
    const at = new Date('2026-12-02T03:00:00Z');
    curated.replace([{ id: 1, phrasings: ['やまぐち県民活動支援センターの電話番号を教えてください'], answer: '（テスト用）000-0000-0000 です。', sectionId: null, authorHash: 'h', createdAt: at, updatedAt: at, active: true }]);
    server = await startWebServer({ answers: createFixedAnswerService((q) => sampleAnswer(q), TEST_INFO), curated });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the label and the text, and says the support center registered it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(20_000);
    await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
    await page.goto(`${server.baseUrl}/`);
    await page.getByLabel('質問', { exact: true }).fill('支援センターの電話番号っておしえて');
    await page.keyboard.press('Enter');
    const turn = page.locator('.turn').nth(0);
    await turn.locator('.meta').waitFor();
    expect(await turn.locator('.answer-text').innerText()).toContain('やまぐち県民活動支援センターの回答（2026年12月登録）\n（テスト用）000-0000-0000 です。');
    expect(await turn.locator('.meta').innerText()).toMatch(/^支援センターが登録した回答・\d+ ミリ秒$/);
    await page.close();
  }, 60_000);
});
