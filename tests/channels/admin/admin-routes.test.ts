import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_CSP } from '../../../src/channels/admin/admin-routes.js';
import { openCuratedStack, type CuratedStack } from '../../helpers/curated-stack.js';
import { ADMIN_TOKEN, seedStore, startAdminServer, type AdminServer } from './harness.js';

describe('the admin page over HTTP', () => {
  let server: AdminServer;
  let curated: CuratedStack;
  let reloads = 0;
  beforeEach(async () => {
    curated = await openCuratedStack();
    await seedStore(curated.store);
    reloads = 0;
    server = await startAdminServer({ curated, saved: () => void (reloads += 1) });
  });
  afterEach(async () => {
    await server.close();
    await curated.close();
  });
  const stored = () => curated.store.curated.list({ includeInactive: true });

  const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}/admin/curated`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields) });

  async function login(): Promise<{ cookie: string; csrf: string }> {
    const res = await fetch(`${server.baseUrl}/admin/login`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ token: ADMIN_TOKEN }) });
    expect(res.status).toBe(303);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    const cookie = setCookie.split(';')[0];
    const page = await (await fetch(`${server.baseUrl}/admin`, { headers: { cookie } })).text();
    return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page)![1] };
  }

  it('refuses without the token, and with a wrong one', async () => {
    const none = await fetch(`${server.baseUrl}/admin`);
    expect(none.status).toBe(401);
    const body = await none.text();
    expect(body).toContain('トークン');
    expect(body).not.toContain('センターの電話番号');
    expect((await fetch(`${server.baseUrl}/admin`, { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status).toBe(401);
    expect((await fetch(`${server.baseUrl}/admin`, { headers: { cookie: 'kenmin_admin=forged' } })).status).toBe(401);
    const badLogin = await fetch(`${server.baseUrl}/admin/login`, { method: 'POST', body: new URLSearchParams({ token: 'nope' }) });
    expect(badLogin.status).toBe(401);
    expect(await badLogin.text()).toContain('トークンが違います');
    expect((await form({ action: 'save', phrasings: 'q', answer: 'a' })).status).toBe(401);
    expect(await stored()).toHaveLength(0);
  });

  it('shows the report with the token: the chart data, the misses with a write button, escaped text, a strict CSP', async () => {
    const res = await fetch(`${server.baseUrl}/admin`, { headers: bearer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(ADMIN_CSP);
    const page = await res.text();
    expect(page).toContain('<canvas id="daily-chart"');
    const daily = JSON.parse(/<script type="application\/json" id="daily-data">(.*?)<\/script>/s.exec(page)![1]);
    // The store's days (in Japan's time): 1 question two days ago, 4 (3 refused) yesterday.
    expect(daily.map((d: { questions: number; refused: number }) => [d.questions, d.refused])).toEqual([[1, 1], [4, 3]]);
    expect(page).toContain(`href="/admin?question=${encodeURIComponent('センターの電話番号は？')}#curate"`);
    expect(page).toContain('NPO&lt;script&gt;とは');
    expect(page).not.toContain('NPO<script>');
    // The two spellings of the phone question count as one miss, asked 3 times.
    expect(page).toMatch(/<tr><td>センターの電話番号は？?<\/td><td class="num">3<\/td>/);

    const prefilled = await (await fetch(`${server.baseUrl}/admin?question=${encodeURIComponent('開館時間は？')}`, { headers: bearer })).text();
    expect(prefilled).toMatch(/<textarea id="phrasings"[^>]*>開館時間は？<\/textarea>/);
  });

  it('serves chart.js itself', async () => {
    const res = await fetch(`${server.baseUrl}/admin/chart.umd.min.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(await res.text()).toContain('Chart.js v4');
  });

  it('stores a curated answer from the logged-in form, with the CSRF field; refuses without it or from another origin', async () => {
    const { cookie, csrf } = await login();
    const fields = { action: 'save', phrasings: 'センターの電話番号は？\n電話番号を教えて', answer: '083-000-0000（テスト用）', sectionId: '' };

    expect((await form(fields, { cookie })).status).toBe(403);
    expect((await form({ ...fields, csrf: 'x' }, { cookie })).status).toBe(403);
    expect((await form({ ...fields, csrf }, { cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect(await stored()).toHaveLength(0);
    expect(reloads).toBe(0);

    const saved = await form({ ...fields, csrf }, { cookie, origin: server.baseUrl });
    expect(reloads).toBe(1);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin?saved=1#curated');
    expect(await stored()).toMatchObject([
      { id: 1, phrasings: ['センターの電話番号は？', '電話番号を教えて'], answer: '083-000-0000（テスト用）', sectionId: null, active: true, authorHash: curated.store.hashUser('admin') },
    ]);

    const page = await (await fetch(`${server.baseUrl}/admin?saved=1`, { headers: { cookie } })).text();
    expect(page).toContain('回答 #1 を保存しました。');
    expect(page).toContain('<li>電話番号を教えて</li>');
  });

  it('keeps what was typed when the answer is empty, and stores nothing', async () => {
    const res = await form({ action: 'save', phrasings: '開館時間は？', answer: '   ', sectionId: 's1-1' }, bearer);
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('回答: 回答を入力してください。');
    expect(page).toMatch(/<textarea id="phrasings"[^>]*>開館時間は？<\/textarea>/);
    expect(page).toContain('value="s1-1"');
    expect(await stored()).toHaveLength(0);
  });

  it('edits an answer and switches it off and on again', async () => {
    await curated.store.curated.add({ phrasings: ['開館時間は？'], answer: '9時から17時', author: 'cli' });
    const edit = await (await fetch(`${server.baseUrl}/admin?edit=1`, { headers: bearer })).text();
    expect(edit).toContain('回答 #1 を修正');
    expect(edit).toMatch(/<textarea id="answer"[^>]*>9時から17時<\/textarea>/);

    expect((await form({ action: 'save', id: '1', phrasings: '開館時間は？', answer: '9時から18時', sectionId: 's2-1' }, bearer)).status).toBe(303);
    expect((await stored())[0]).toMatchObject({ answer: '9時から18時', sectionId: 's2-1', active: true });

    expect((await form({ action: 'disable', id: '1' }, bearer)).status).toBe(303);
    expect((await stored())[0].active).toBe(false);
    const page = await (await fetch(`${server.baseUrl}/admin`, { headers: bearer })).text();
    expect(page).toMatch(/<tr class="inactive" data-id="1">/);
    expect((await form({ action: 'enable', id: '1' }, bearer)).status).toBe(303);
    expect((await stored())[0].active).toBe(true);

    expect((await form({ action: 'disable', id: '99' }, bearer)).status).toBe(404);
    expect((await form({ action: 'drop', id: '1' }, bearer)).status).toBe(400);
  });

  it('logs out: the cookie is cleared', async () => {
    const { cookie, csrf } = await login();
    const res = await fetch(`${server.baseUrl}/admin/logout`, { method: 'POST', redirect: 'manual', headers: { cookie }, body: new URLSearchParams({ csrf }) });
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/^kenmin_admin=;.*Max-Age=0/);
  });
});
