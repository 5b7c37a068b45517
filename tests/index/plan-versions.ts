/**
 * Plan versions derived from the real plan text, for the re-indexing tests (issue 6).
 * v2 differs from v1 by exactly one added, one removed and one changed section of 本文;
 * "no-kyumin" loses every passage about 休眠預金, so a standard question loses its evidence.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

export const PLAN_FILE = path.join(PROJECT_ROOT, 'corpus', 'yamaguchi-kenmin-katsudo-plan-3rd-revision.txt');

const CH5_3 = '本文 > 第5章 施策の展開方向 > 3 県民活動団体と多様な主体との協働の推進';
export const V2_DIFF = {
  added: [`${CH5_3} > (9) 県民活動ふれあいフェスタによる交流の促進`],
  removed: [`${CH5_3} > (7) 多様な主体との協働による地域課題の解決`],
  changed: ['本文 > 第5章 施策の展開方向 > 2 県民活動団体の自立・持続的発展に向けた環境づくり > (5) 休眠預金の活用等による民間公益活動の促進'],
};
/** Words found only in v2's added section. */
export const ADDED_WORDS = 'ふれあいフェスタ';
const ADDED_TEXT = [
  '',
  '(9)県民活動ふれあいフェスタによる交流の促進',
  '県内の県民活動団体が一堂に会する「県民活動ふれあいフェスタ」を毎年秋に開催し、',
  '団体同士や事業者との交流と、新たな協働の芽生えを支援していきます。',
];

function lastIndex(lines: string[], pattern: RegExp): number {
  for (let i = lines.length - 1; i >= 0; i--) if (pattern.test(lines[i])) return i;
  return -1;
}

/** Removes a heading line and everything up to (not including) the next line matching `until`. */
function removeBlock(lines: string[], heading: RegExp, until: RegExp): string[] {
  const start = lastIndex(lines, heading);
  const end = lines.findIndex((l, i) => i > start && until.test(l));
  if (start < 0 || end < 0) throw new Error(`fixture: ${heading} not found`);
  return [...lines.slice(0, start), ...lines.slice(end)];
}

export function makeV2(v1: string): string {
  let lines = v1.split('\n');
  const after = lastIndex(lines, /その振興・発展を支援していきます。/);
  lines.splice(after + 1, 0, ...ADDED_TEXT);
  lines = removeBlock(lines, /^\s*\(7\)多様な主体との協働による地域課題の解決/, /^\s*\(8\)社会的インパクトボンド/);
  const changed = lastIndex(lines, /民間団体の創意や工夫を活用し/);
  lines[changed] = lines[changed].replace('創意や工夫を活用し', '創意や工夫を最大限に活用し');
  return lines.join('\n');
}

export function makeWithoutKyumin(v1: string): string {
  let lines = v1.split('\n');
  lines = removeBlock(lines, /^\s*\(9\) 休眠預金の活用等/, /^\s*\(10\)/);
  lines = removeBlock(lines, /^\s*\(5\)休眠預金の活用等/, /^\s*\(6\)ソーシャル/);
  return lines.filter((l) => !l.includes('休眠預金等活用法')).join('\n');
}

/** Writes v1, v2 and no-kyumin into `dir`; returns their paths. */
export async function writePlanVersions(dir: string) {
  const v1 = await fs.readFile(PLAN_FILE, 'utf8');
  const files = { v1: path.join(dir, 'plan-v1.txt'), v2: path.join(dir, 'plan-v2.txt'), noKyumin: path.join(dir, 'plan-no-kyumin.txt') };
  await fs.writeFile(files.v1, v1);
  await fs.writeFile(files.v2, makeV2(v1));
  await fs.writeFile(files.noKyumin, makeWithoutKyumin(v1));
  return files;
}
