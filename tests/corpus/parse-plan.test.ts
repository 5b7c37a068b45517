/** The parser on the real plan text (corpus/): what GitHub issue 2 asks of its sections. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { parsePlan } from '../../src/corpus/parse-plan.js';
import { sectionPath } from '../../src/corpus/section.js';

const raw = fs.readFileSync(path.join(PROJECT_ROOT, 'corpus/yamaguchi-kenmin-katsudo-plan-3rd-revision.txt'), 'utf8');
const sections = parsePlan(raw);
const paths = sections.map(sectionPath);

describe('parsePlan on the real plan', () => {
  it('finds the plan’s sections', () => {
    expect(sections.length).toBeGreaterThanOrEqual(80);
  });

  it('tells the two summaries from the plan itself', () => {
    expect(new Set(sections.map((s) => s.part))).toEqual(new Set(['資料1', '資料2', '本文']));
    // The summaries come first in the file; once the plan starts, it runs to the end.
    const firstPlan = sections.findIndex((s) => s.part === '本文');
    expect(sections.slice(firstPlan).every((s) => s.part === '本文')).toBe(true);
    expect(sections.filter((s) => s.part === '本文').length).toBeGreaterThanOrEqual(50);
  });

  it.each([
    '本文 > 第5章 施策の展開方向 > 2 県民活動団体の自立・持続的発展に向けた環境づくり > (5) 休眠預金の活用等による民間公益活動の促進',
    '本文 > 第1章 基本計画改定の背景と趣旨 > 6 基本計画の期間',
    '本文 > 第2章 県民活動の定義と役割等 > 1 県民活動の定義',
    '本文 > 第6章 基本計画の推進 > 1 推進体制 > (2) 山口県県民活動審議会',
    '資料2 > 第5章 施策の展開方向 > 2 県民活動団体の自立・持続的発展に向けた環境づくり > (5) 休眠預金の活用等による民間公益活動の促進',
  ])('has the section %s', (expected) => {
    expect(paths).toContain(expected);
  });

  it('puts each passage under its own heading', () => {
    const period = sections.find((s) => sectionPath(s) === '本文 > 第1章 基本計画改定の背景と趣旨 > 6 基本計画の期間')!;
    expect(period.text).toContain('平成30年度から平成34年度までの5年間');
    const dormant = sections.find((s) => sectionPath(s).startsWith('本文 > 第5章') && sectionPath(s).endsWith('(5) 休眠預金の活用等による民間公益活動の促進'))!;
    expect(dormant.text).toContain('休眠預金等活用法');
  });

  it('leaves no one-character line in any section', () => {
    const stray = sections.flatMap((s) =>
      s.text
        .split('\n')
        .filter((line) => [...line.trim()].length === 1)
        .map((line) => `${sectionPath(s)} (line ${s.line}): ${line}`),
    );
    expect(stray).toEqual([]);
  });

  it('drops page numbers', () => {
    expect(raw).toMatch(/^\s*-\s*6\s*-\s*$/m);
    // Also not glued into a joined sentence (`調整し、- 6 -着実に`).
    for (const s of sections) expect(s.text).not.toMatch(/-\s*\d+\s*-/);
  });

  it('joins the vertical goal text into one line', () => {
    const goal = sections.filter((s) => s.text.includes('誰もが県民活動に参加し'));
    expect(goal.length).toBeGreaterThan(0);
    expect(goal.some((s) => s.part === '本文')).toBe(true);
  });

  it('joins sentences broken across lines, with no space between Japanese characters', () => {
    const history = sections.find((s) => sectionPath(s) === '本文 > 第1章 基本計画改定の背景と趣旨 > 1 基本計画策定の経緯')!;
    // In the source 「やまぐち」 ends one line and 「県民活動支援センター」 starts the next.
    expect(history.text).toContain('「やまぐち県民活動支援センター」');
    expect(history.text).not.toMatch(/[\u3040-\u9fff] [\u3040-\u9fff]/);
  });

  it('folds full-width digits and letters in headings and text', () => {
    expect(paths.join('\n')).not.toMatch(/[０-９Ａ-Ｚ]/);
  });

  it('points each section at its line in the source', () => {
    const period = sections.find((s) => sectionPath(s) === '本文 > 第1章 基本計画改定の背景と趣旨 > 6 基本計画の期間')!;
    const line = raw.split('\n')[period.line - 1];
    expect(line).toContain('基本計画の期間は');
  });
});
