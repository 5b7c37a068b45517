/**
 * The admin page as HTML, drawn on the server: it reads without script, and the one script it
 * loads (admin.js, with chart.js) only draws the chart from the JSON in the page. No inline
 * script or style: the Content-Security-Policy is `default-src 'self'`.
 */
import type { CuratedAnswer } from '../../store/curated.js';
import type { Report } from '../../store/store.js';

/**
 * What the page shows of the store's report: questions and refusals per day, the misses, the
 * most disliked answers, and how often each curated answer was given.
 */
export type AdminReport = Pick<Report, 'since' | 'until' | 'daily' | 'abstained' | 'disliked' | 'curated'>;

/** What the curation form holds: empty, an answer being edited, or what was sent back with an error. */
export interface CurateForm {
  id?: number;
  phrasings: string;
  answer: string;
  sectionId: string;
  error?: string;
}

export interface AdminPageData {
  report: AdminReport;
  curated: CuratedAnswer[];
  form: CurateForm;
  csrfToken: string;
  /** A line at the top: 「回答 #3 を登録しました」. */
  notice?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
const h = escapeHtml;
/** JSON inside a `<script type="application/json">`: `<` escaped so that no text can close the element. */
const jsonInHtml = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
const cut = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars)}…` : text);
const day = (iso: string) => iso.slice(0, 10);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${h(title)}</title>
<link rel="stylesheet" href="/admin/admin.css">
</head>
<body>
${body}
</body>
</html>
`;
}

export function loginPage(error?: string): string {
  return layout(
    '管理ページ: ログイン',
    `<main class="login">
<h1>管理ページ</h1>
<p>管理用のトークン（ADMIN_TOKEN）を入力してください。</p>
${error ? `<p class="error" role="alert">${h(error)}</p>` : ''}
<form method="post" action="/admin/login">
<label for="token">トークン</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit">ログイン</button>
</form>
</main>`,
  );
}

/** A link that fills the form below with a question: a plain GET, so it works without script. */
const writeLink = (question: string) =>
  `<a class="button" href="/admin?question=${encodeURIComponent(question)}#curate">回答を書く</a>`;

function missesTable(report: AdminReport): string {
  if (report.abstained.length === 0) return '<p class="empty">この期間、答えられなかった質問はありません。</p>';
  const rows = report.abstained.map((row) => `<tr><td>${h(row.question)}</td><td class="num">${row.count}</td><td>${writeLink(row.question)}</td></tr>`);
  return `<table id="misses"><thead><tr><th>質問</th><th>回数</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function dislikedTable(report: AdminReport): string {
  if (report.disliked.length === 0) return '<p class="empty">この期間、👎 の付いた回答はありません。</p>';
  const rows = report.disliked.map(
    (row) =>
      `<tr><td>${h(row.question || '（質問の記録なし）')}</td><td>${h(cut(row.answer, 160))}</td><td class="num">${row.down}</td><td class="num">${row.up}</td><td>${row.question ? writeLink(row.question) : ''}</td></tr>`,
  );
  return `<table id="disliked"><thead><tr><th>質問</th><th>回答</th><th>👎</th><th>👍</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function curatedTable(data: AdminPageData): string {
  if (data.curated.length === 0) return '<p class="empty">登録済みの回答はまだありません。</p>';
  const used = new Map(data.report.curated.map((row) => [row.id, row.count]));
  const rows = data.curated.map((answer) => {
    const toggle = `<form method="post" action="/admin/curated" class="inline">
<input type="hidden" name="csrf" value="${h(data.csrfToken)}"><input type="hidden" name="id" value="${answer.id}">
<input type="hidden" name="action" value="${answer.active ? 'disable' : 'enable'}">
<button type="submit">${answer.active ? '無効にする' : '有効にする'}</button></form>`;
    return `<tr class="${answer.active ? 'active' : 'inactive'}" data-id="${answer.id}">
<td class="num">#${answer.id}</td>
<td><ul class="phrasings">${answer.phrasings.map((p) => `<li>${h(p)}</li>`).join('')}</ul></td>
<td>${h(cut(answer.answer, 200))}</td>
<td>${answer.sectionId ? h(answer.sectionId) : '—'}</td>
<td class="num">${used.get(answer.id) ?? 0}</td>
<td>${answer.active ? '有効' : '無効'}<br><small>${h(day(answer.updatedAt.toISOString()))}</small></td>
<td><a class="button" href="/admin?edit=${answer.id}#curate">編集</a> ${toggle}</td>
</tr>`;
  });
  return `<table id="curated"><thead><tr><th>ID</th><th>質問の言い方</th><th>回答</th><th>出典の節</th><th>使用回数</th><th>状態</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function curateForm(data: AdminPageData): string {
  const { form } = data;
  return `<form id="curate" method="post" action="/admin/curated">
<h2>${form.id ? `回答 #${form.id} を修正` : '回答を登録'}</h2>
${form.error ? `<p class="error" role="alert">${h(form.error)}</p>` : ''}
<input type="hidden" name="csrf" value="${h(data.csrfToken)}">
<input type="hidden" name="action" value="save">
${form.id ? `<input type="hidden" name="id" value="${form.id}">` : ''}
<label for="phrasings">質問の言い方（1行に1つ。1行目が見出し）</label>
<textarea id="phrasings" name="phrasings" rows="3" maxlength="3000" required>${h(form.phrasings)}</textarea>
<label for="answer">回答</label>
<textarea id="answer" name="answer" rows="6" maxlength="3000" required>${h(form.answer)}</textarea>
<label for="sectionId">根拠となる計画の節（任意。例: s12-1）</label>
<input id="sectionId" name="sectionId" maxlength="100" value="${h(form.sectionId)}">
<button type="submit">保存</button>
${form.id ? '<a href="/admin#curate">新しく登録する</a>' : ''}
</form>`;
}

export function adminPage(data: AdminPageData): string {
  const { report } = data;
  return layout(
    '管理ページ: 県民活動ナビ',
    `<header><h1>管理ページ</h1><p>${h(day(report.since))} 〜 ${h(day(report.until))}</p>
<form method="post" action="/admin/logout" class="inline"><input type="hidden" name="csrf" value="${h(data.csrfToken)}"><button type="submit">ログアウト</button></form></header>
<main>
${data.notice ? `<p class="notice" role="status">${h(data.notice)}</p>` : ''}
<section><h2>日ごとの質問数</h2>
<div class="chart"><canvas id="daily-chart" role="img" aria-label="日ごとの質問数と、計画書から答えられなかった数"></canvas></div>
<script type="application/json" id="daily-data">${jsonInHtml(report.daily)}</script>
</section>
<section><h2>答えられなかった質問（多い順）</h2>${missesTable(report)}</section>
<section><h2>「役に立たなかった」（👎）の多い回答</h2>${dislikedTable(report)}</section>
<section><h2>登録済みの回答</h2>${curatedTable(data)}</section>
<section>${curateForm(data)}</section>
</main>
<script src="/admin/chart.umd.min.js"></script>
<script src="/admin/admin.js"></script>`,
  );
}
