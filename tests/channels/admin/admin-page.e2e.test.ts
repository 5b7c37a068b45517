/**
 * The admin page in a real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) against our real server: refused without the token; after logging in, the
 * chart is drawn by the chart.js the bot serves (nothing leaves 127.0.0.1, the CSP lets it
 * run), the lists show, and an answer written from a miss's 「回答を書く」 is stored and answers
 * the next such question on /api/ask. Skips itself where Chromium is not installed.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCuratedStack, type CuratedStack } from '../../helpers/curated-stack.js';
import { ADMIN_TOKEN, seedStore, startAdminServer, type AdminServer } from './harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`admin-page.e2e: skipped, ${CHROMIUM} not found (Debian: apt-get install chromium).`);

const MISS = 'センターの電話番号は？';

describe.skipIf(!hasChromium)('the admin page in Chromium (skipped without it)', () => {
  let browser: Browser;
  let server: AdminServer;
  let curated: CuratedStack;

  beforeAll(async () => {
    curated = await openCuratedStack();
    await seedStore(curated.store);
    [server, browser] = await Promise.all([
      startAdminServer({ curated }),
      chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await curated?.close();
  });

  it('refuses without the token, then shows the chart and the lists, and stores an answer that /api/ask then gives', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
    page.setDefaultTimeout(20_000);
    const outside: string[] = [];
    const problems: string[] = [];
    await page.route('**/*', (route) => {
      if (new URL(route.request().url()).hostname === '127.0.0.1') return route.continue();
      outside.push(route.request().url());
      return route.abort();
    });
    page.on('pageerror', (error) => problems.push(error.message));
    // A CSP violation shows as a console error: none may occur.
    page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));

    const refused = await page.goto(`${server.baseUrl}/admin`);
    expect(refused?.status()).toBe(401);
    expect(await page.locator('canvas').count()).toBe(0);
    expect(await page.getByText(MISS).count()).toBe(0);

    await page.getByLabel('トークン').fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByText('トークンが違います。').waitFor();
    problems.length = 0; // the 401 itself is logged as a console error

    await page.getByLabel('トークン').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.locator('#daily-chart').waitFor();

    // Chart.js (served by the bot) drew on the canvas: a chart is attached and pixels are painted.
    await expect.poll(() => page.evaluate(() => Boolean((window as any).Chart?.getChart(document.getElementById('daily-chart'))))).toBe(true);
    const chart = await page.evaluate(() => {
      const canvas = document.getElementById('daily-chart') as HTMLCanvasElement;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
      const instance = (window as any).Chart.getChart(canvas);
      return { width: canvas.width, height: canvas.height, painted, labels: instance.data.labels, questions: instance.data.datasets[0].data };
    });
    expect(chart.width).toBeGreaterThan(300);
    expect(chart.height).toBeGreaterThan(100);
    expect(chart.painted).toBeGreaterThan(1000);
    const { daily } = await curated.store.report({ since: new Date(Date.now() - 30 * 86_400_000) });
    expect(chart.labels).toEqual(daily.map((d) => d.day));
    expect(chart.questions).toEqual([1, 4]);

    expect(await page.locator('#misses tbody tr').count()).toBe(2);
    expect(await page.locator('#disliked tbody tr').allTextContents()).toEqual([expect.stringContaining('NPO<script>とは')]);
    expect(await page.getByText('登録済みの回答はまだありません。').isVisible()).toBe(true);

    // 「回答を書く」 on the miss fills the form with its question.
    await page.locator('#misses tr', { hasText: MISS }).getByRole('link', { name: '回答を書く' }).click();
    expect(await page.getByLabel('質問の言い方（1行に1つ。1行目が見出し）').inputValue()).toBe(MISS);
    await page.getByLabel('回答', { exact: true }).fill('電話は 083-000-0000（テスト用の番号）です。');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('回答 #1 を保存しました。').waitFor();
    expect(await page.locator('#curated tbody tr').allTextContents()).toEqual([expect.stringContaining('電話は 083-000-0000')]);
    expect(await curated.store.curated.list()).toMatchObject([{ id: 1, phrasings: [MISS], answer: '電話は 083-000-0000（テスト用の番号）です。', active: true }]);

    // The next matching question on /api/ask, as written and reworded, gets it.
    for (const question of [MISS, 'センターの電話番号を教えてください']) {
      const asked = await fetch(`${server.baseUrl}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
      expect(asked.status).toBe(200);
      const body = await asked.json();
      expect(body.answer).toContain('やまぐち県民活動支援センターの回答');
      expect(body.answer).toContain('083-000-0000');
    }

    expect(outside).toEqual([]);
    expect(problems).toEqual([]);
    await page.goto(`${server.baseUrl}/admin`);
    await page.screenshot({ path: path.join(os.tmpdir(), 'admin-page.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
