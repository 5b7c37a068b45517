/**
 * The admin page, `GET /admin`, for the support center's staff: the report as a page (a chart of
 * questions and refusals per day, the misses, the most disliked answers) and the curated
 * answers, to add, edit or switch off. Mounted only when ADMIN_TOKEN is set (else every path
 * here is a 404), and then only for whoever shows it (admin-auth.ts). Chart.js is served from
 * node_modules by this server, so the page needs no CDN and works offline.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { HttpRoute } from '../../server.js';
import type { CuratedAnswers } from '../../store/curated.js';
import type { ReportOptions } from '../../store/store.js';
import { checkCuratedFields, type CuratedFieldErrors } from '../curated-draft.js';
import { readBodyWithin } from '../http-body.js';
import { createAdminAuth } from './admin-auth.js';
import { adminPage, loginPage, type AdminReport, type CurateForm } from './admin-page.js';

export const ADMIN_CSP = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";
/** A form with a 3,000-character answer and phrasings is well under this. */
const FORM_LIMIT_BYTES = 64 * 1024;
/** The store hashes it like any author id. */
export const ADMIN_AUTHOR = 'admin';

export interface AdminRoutesOptions {
  /** ADMIN_TOKEN (checked at config load: 16 characters or more). */
  token: string;
  /** The store's report (`BotStore.report`). */
  report(options: ReportOptions): Promise<AdminReport>;
  curated: CuratedAnswers;
  /** Called after every write, so that this replica's matcher reads the store at once (others catch up on their own). */
  saved?: () => void | Promise<void>;
  logger: Logger;
  /** Days the chart and the lists cover. @default 30 */
  days?: number;
  /** @default the clock */
  now?: () => Date;
}

// Read from src/ however the server runs: the compiled server (dist/, one bundle) keeps no folders of its own.
const PUBLIC_DIR = path.join(PROJECT_ROOT, 'src/channels/admin/public');
/** chart.js exports no subpath for its UMD build: found next to the module it does export. */
const CHART_JS = path.join(path.dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

const SECURITY_HEADERS = {
  'content-security-policy': ADMIN_CSP,
  'x-content-type-options': 'nosniff',
  // Not no-referrer: under it Chromium sends `Origin: null` with the page's own form posts, and
  // the origin check (admin-auth.ts) would refuse them. Other sites still learn nothing.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { 'content-type': type, 'content-length': payload.length, ...SECURITY_HEADERS, ...headers });
  res.end(payload);
}
const sendHtml = (res: http.ServerResponse, status: number, html: string, headers: Record<string, string> = {}) =>
  send(res, status, 'text/html; charset=utf-8', html, { 'cache-control': 'no-store', ...headers });
const redirect = (res: http.ServerResponse, location: string, headers: Record<string, string> = {}) =>
  void res.writeHead(303, { location, 'cache-control': 'no-store', ...headers }).end();

function asset(pathName: string, type: string, body: Buffer): HttpRoute {
  return { method: 'GET', path: pathName, handle: (_req, res) => send(res, 200, type, body, { 'cache-control': 'no-cache' }) };
}

/** A urlencoded form; undefined after a 413 was sent (with `Connection: close`: the rest of the body is not read). */
async function readForm(req: http.IncomingMessage, res: http.ServerResponse): Promise<URLSearchParams | undefined> {
  const raw = await readBodyWithin(req, res, FORM_LIMIT_BYTES, () => res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8' }).end('入力が長すぎます。'));
  return raw && new URLSearchParams(raw.toString('utf8'));
}

const FIELD_NAMES: Record<keyof CuratedFieldErrors, string> = { phrasings: '質問の言い方', answer: '回答', sectionId: '節の ID' };
const errorText = (errors: CuratedFieldErrors) => Object.entries(errors).map(([field, message]) => `${FIELD_NAMES[field as keyof CuratedFieldErrors]}: ${message}`).join(' ');

export function createAdminRoutes(options: AdminRoutesOptions): HttpRoute[] {
  const { logger, curated } = options;
  const auth = createAdminAuth(options.token);
  const now = options.now ?? (() => new Date());
  const days = options.days ?? 30;
  // The answer is stored: a matcher that cannot reload now still catches up on its own timer.
  const notifySaved = () => Promise.resolve(options.saved?.()).catch((error: unknown) => logger.warn('curated reload after a save failed', { error }));

  async function render(res: http.ServerResponse, status: number, form: CurateForm, notice?: string): Promise<void> {
    const since = new Date(now().getTime() - days * 24 * 60 * 60_000);
    const [report, answers] = await Promise.all([options.report({ since, limit: 20 }), curated.list({ includeInactive: true })]);
    sendHtml(res, status, adminPage({ report, curated: answers, form, csrfToken: auth.csrfToken, notice }));
  }

  /** The form as the query asks: blank, prefilled with a question (「回答を書く」), or an answer to edit. */
  async function formFor(query: URLSearchParams): Promise<CurateForm> {
    const edit = Number(query.get('edit'));
    const existing = Number.isInteger(edit) && edit > 0 ? await curated.get(edit) : undefined;
    if (existing) return { id: existing.id, phrasings: existing.phrasings.join('\n'), answer: existing.answer, sectionId: existing.sectionId ?? '' };
    return { phrasings: query.get('question')?.trim() ?? '', answer: '', sectionId: '' };
  }

  const page: HttpRoute = {
    method: 'GET',
    path: '/admin',
    async handle(req, res) {
      if (!auth.allows(req)) return sendHtml(res, 401, loginPage());
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
      const saved = Number(query.get('saved'));
      await render(res, 200, await formFor(query), Number.isInteger(saved) && saved > 0 ? `回答 #${saved} を保存しました。` : undefined);
    },
  };

  const login: HttpRoute = {
    method: 'POST',
    path: '/admin/login',
    async handle(req, res) {
      const form = await readForm(req, res);
      if (!form) return;
      if (!auth.isToken(form.get('token') ?? '')) {
        logger.warn('admin login refused');
        return sendHtml(res, 401, loginPage('トークンが違います。'));
      }
      // Secure when the browser came over HTTPS (directly or through a proxy that says so).
      const secure = (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
      redirect(res, '/admin', { 'set-cookie': auth.sessionCookie(secure) });
    },
  };

  const logout: HttpRoute = {
    method: 'POST',
    path: '/admin/logout',
    async handle(req, res) {
      const form = await readForm(req, res);
      if (!form) return;
      if (!auth.allowsWrite(req, form.get('csrf') ?? undefined)) return sendHtml(res, 403, loginPage('この操作は受け付けられませんでした。もう一度ログインしてください。'));
      redirect(res, '/admin', { 'set-cookie': auth.clearCookie() });
    },
  };

  const write: HttpRoute = {
    method: 'POST',
    path: '/admin/curated',
    async handle(req, res) {
      const form = await readForm(req, res);
      if (!form) return;
      if (!auth.allows(req)) return sendHtml(res, 401, loginPage());
      if (!auth.allowsWrite(req, form.get('csrf') ?? undefined)) {
        logger.warn('admin write refused', { reason: 'csrf' });
        return sendHtml(res, 403, loginPage('この操作は受け付けられませんでした（ページが古い可能性があります）。ページを開き直してください。'));
      }
      const id = form.has('id') ? Number(form.get('id')) : undefined;
      if (id !== undefined && !(Number.isInteger(id) && id > 0)) return render(res, 400, { phrasings: '', answer: '', sectionId: '', error: `回答の ID「${form.get('id')}」が正しくありません。` });
      const action = form.get('action') ?? 'save';

      if (action === 'disable' || action === 'enable') {
        if (id === undefined) return render(res, 400, { phrasings: '', answer: '', sectionId: '', error: '回答の ID がありません。' });
        const changed = await curated.update(id, { active: action === 'enable', author: ADMIN_AUTHOR });
        if (!changed) return render(res, 404, { phrasings: '', answer: '', sectionId: '', error: `回答 #${id} は見つかりませんでした。` });
        logger.info('curated answer switched', { channel: 'admin', id, active: changed.active });
        await notifySaved();
        return redirect(res, `/admin?saved=${id}#curated`);
      }
      if (action !== 'save') return render(res, 400, { phrasings: '', answer: '', sectionId: '', error: `操作「${action}」は使えません。` });

      const fields = { phrasings: form.get('phrasings') ?? '', answer: form.get('answer') ?? '', sectionId: form.get('sectionId') ?? '' };
      const checked = checkCuratedFields(fields);
      // What was typed comes back in the form with the error: nothing is lost.
      if (!checked.ok) return render(res, 400, { id, ...fields, error: errorText(checked.errors) });
      const saved = id !== undefined ? await curated.update(id, { ...checked.draft, author: ADMIN_AUTHOR }) : await curated.add({ ...checked.draft, author: ADMIN_AUTHOR });
      if (!saved) return render(res, 404, { ...fields, error: `回答 #${id} は見つかりませんでした。新しく登録するには、もう一度保存してください。` });
      logger.info('curated answer saved', { channel: 'admin', id: saved.id, updated: id !== undefined });
      await notifySaved();
      redirect(res, `/admin?saved=${saved.id}#curated`);
    },
  };

  const read = (file: string) => readFileSync(path.join(PUBLIC_DIR, file));
  return [
    page,
    login,
    logout,
    write,
    asset('/admin/admin.js', 'text/javascript; charset=utf-8', read('admin.js')),
    asset('/admin/admin.css', 'text/css; charset=utf-8', read('admin.css')),
    asset('/admin/chart.umd.min.js', 'text/javascript; charset=utf-8', readFileSync(CHART_JS)),
  ];
}
