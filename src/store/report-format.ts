/**
 * `npm run report` as terminal tables. Japanese characters take two columns in a terminal,
 * so cells are measured and cut by display width, not by string length.
 */
import { shortSectionPath } from '../corpus/section.js';
import type { Report } from './store.js';

const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const widthOf = (text: string) => Array.from(text).reduce((w, c) => w + (WIDE.test(c) ? 2 : 1), 0);

/** Cuts to `max` columns (with …) and pads to `width`. */
function cell(value: string | number, width: number, max = width): string {
  let text = String(value).replace(/\s+/g, ' ');
  if (widthOf(text) > max) {
    let cut = '';
    for (const c of text) {
      if (widthOf(cut + c) > max - 1) break;
      cut += c;
    }
    text = `${cut}…`;
  }
  return text + ' '.repeat(Math.max(0, width - widthOf(text)));
}

function table(title: string, headers: string[], rows: Array<Array<string | number>>, maxWidths: number[]): string {
  if (rows.length === 0) return `${title}\n  (none)\n`;
  const widths = headers.map((h, i) => Math.min(maxWidths[i], Math.max(widthOf(h), ...rows.map((r) => widthOf(String(r[i]))))));
  const line = (cells: Array<string | number>) => `  ${cells.map((c, i) => cell(c, widths[i], maxWidths[i])).join('  ').trimEnd()}`;
  return [title, line(headers), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...rows.map(line), ''].join('\n');
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

export function formatReport(report: Report): string {
  return [
    `Report from ${report.since.slice(0, 10)} to ${report.until.slice(0, 10)}`,
    '',
    table('Answer rates by channel', ['channel', 'questions', 'answered', 'abstained', 'failed', 'answer rate'],
      report.channels.map((c) => [c.channel, c.total, c.answered, c.abstained, c.failed, percent(c.answerRate)]), [12, 9, 8, 9, 6, 11]),
    table('Questions most often abstained', ['count', 'question'], report.abstained.map((a) => [a.count, a.question]), [5, 70]),
    table('Most disliked answers (👎)', ['down', 'up', 'question', 'answer'],
      report.disliked.map((d) => [d.down, d.up, d.question, d.answer]), [4, 4, 30, 50]),
    table('Most asked topics (top section of the answer)', ['count', 'section'], report.topics.map((t) => [t.count, shortSectionPath(t.section)]), [5, 80]),
    table('Curated answers given', ['count', 'id', 'title'], report.curated.map((c) => [c.count, c.id, c.title]), [5, 6, 70]),
    table('Questions per day (Japan time)', ['day', 'questions', 'refused'], report.daily.map((d) => [d.day, d.questions, d.refused]), [10, 9, 7]),
  ].join('\n');
}
