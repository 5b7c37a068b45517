/** 【評価指標】 tables: one row a line, and rows with their values, on snippets and on the real plan. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { formatIndicatorRow, parseIndicatorRows } from '../../src/corpus/indicator-table.js';
import { parsePlan } from '../../src/corpus/parse-plan.js';
import { sectionPath } from '../../src/corpus/section.js';

describe('parseIndicatorRows', () => {
  it('reads a name broken over two lines, the value, its date and the target', () => {
    const { rows, consumed } = parseIndicatorRows(['認定NPO法人数', '(認定取得率)', '6法人(1.4%)', '《平成 29年(2017 年)》', '(今後調整)']);
    expect(rows).toEqual([{ name: '認定NPO法人数(認定取得率)', current: '6法人(1.4%)', asOf: '平成 29年(2017 年)', target: '今後調整' }]);
    expect(consumed).toBe(5);
  });

  it('reads a name and value on one line, and several rows', () => {
    const { rows } = parseIndicatorRows(['県民活動団体数 2,201団体', '《平成 28年(2016 年)度末》', '(今後調整)', '地域の支援センターの設置', '市町数', '9市', '《平成 29年(2017 年)》', '(今後調整)']);
    expect(rows.map((r) => [r.name, r.current])).toEqual([
      ['県民活動団体数', '2,201団体'],
      ['地域の支援センターの設置市町数', '9市'],
    ]);
  });

  it('stops at prose after the table and leaves it unconsumed', () => {
    const { rows, consumed } = parseIndicatorRows(['県民活動団体数 2,201団体', '《平成 28年(2016 年)度末》', '(今後調整)', '県はこれを進めます。']);
    expect(rows).toHaveLength(1);
    expect(consumed).toBe(3);
  });

  it('finds no rows in prose', () => {
    expect(parseIndicatorRows(['県民活動に関する情報を発信します。']).rows).toEqual([]);
  });

  it('formats a row in the plan’s order of cells, so quoted phrases still match', () => {
    const line = formatIndicatorRow({ name: '県民活動団体数', current: '2,201団体', asOf: '平成 28年(2016 年)度末', target: '今後調整' });
    expect(line).toBe('県民活動団体数 2,201団体 《平成 28年(2016 年)度末》 (今後調整)');
  });
});

describe('the real plan’s indicator tables', () => {
  const raw = fs.readFileSync(path.join(PROJECT_ROOT, 'corpus/yamaguchi-kenmin-katsudo-plan-3rd-revision.txt'), 'utf8');
  const sections = parsePlan(raw);
  const tableLines = sections.filter((s) => s.part === '本文').flatMap((s) => s.text.split('\n').filter((l) => /《.+》/.test(l)));

  it('puts every row on a line of its own', () => {
    expect(tableLines).toEqual([
      '県民活動団体数 2,201団体 《平成 28年(2016 年)度末》 (今後調整)',
      '県民活動をしたことがある県民の割合(県政世論調査) 61.6% 《平成 29年(2017 年)調査》 (今後調整)',
      '地域の支援センターの設置市町数 9市 《平成 29年(2017 年)》 (今後調整)',
      '認定NPO法人数(認定取得率) 6法人(1.4%) 《平成 29年(2017 年)》 (今後調整)',
      '「あいかさねっと」への登録件数(団体、企業、個人) 633件 《平成 29年(2017 年)末》 (今後調整)',
    ]);
  });

  it('keeps a list of heading-only items as lines of the heading above them, marks and all', () => {
    const changes = sections.find((s) => sectionPath(s) === '資料2 > 第1章 基本計画改定の背景と趣旨 > 2 県民活動を巡る情勢の変化')!;
    expect(changes.text.split('\n')).toContain('拡(2)地方創生の推進');
    expect(changes.text.split('\n')).toHaveLength(10);
    const points = sections.find((s) => sectionPath(s) === '資料1 > 3 改定のポイント')!;
    expect(points.text).toContain('(5)「評価指標」を新たに設定');
  });
});
