/**
 * The plan's 【評価指標】 tables (名称 / 現状値 / 目標値). PDF extraction gives one cell a line,
 * and a name may break over two lines:
 *
 *   名称 現状値 目標値
 *   県民活動団体数 2,201団体
 *   《平成 28年(2016 年)度末》
 *   (今後調整)
 *   認定NPO法人数
 *   (認定取得率)
 *   6法人(1.4%)
 *   《平成 29年(2017 年)》
 *   (今後調整)
 *
 * Joined as prose this reads 「名称現状値目標値県民活動団体数 2,201団体…」. Here each row becomes
 * one line, in the plan's own order of characters (so that a phrase quoted from the plan still
 * matches the passage), and a structured row for answering number questions.
 */

export interface IndicatorRow {
  /** 指標の名称, e.g. 「認定NPO法人数(認定取得率)」. */
  name: string;
  /** 現状値, e.g. 「6法人(1.4%)」. */
  current: string;
  /** When the current value was measured, e.g. 「平成 29年(2017 年)」 (without 《》). */
  asOf?: string;
  /** 目標値, e.g. 「今後調整」 (without the brackets). */
  target?: string;
}

const HEADER = /^名称\s*現状値\s*目標値$/;
/** A value cell: a number with its unit (2,201団体, 61.6%, 9市, 633件). */
const VALUE_START = /^\d[\d,.]*\s*[^\s\d《(]*/;
const NAME_AND_VALUE = /^(\D.*?)\s+(\d[\d,.]*\S*)$/;
const AS_OF = /^《(.+)》$/;
const BRACKETED = /^\((.+)\)$/;

export function isIndicatorHeader(line: string): boolean {
  return HEADER.test(line.trim());
}

/** Reads the rows that follow a header line; stops at the first line that fits no cell. */
export function parseIndicatorRows(lines: string[]): { rows: IndicatorRow[]; consumed: number } {
  const rows: IndicatorRow[] = [];
  let name: string[] = [];
  let row: IndicatorRow | undefined;
  let i = 0;
  const finish = () => {
    if (row) rows.push(row);
    row = undefined;
    name = [];
  };
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    if (row) {
      const asOf = line.match(AS_OF);
      const bracketed = line.match(BRACKETED);
      if (asOf && !row.asOf && !row.target) {
        row.asOf = asOf[1].trim();
        continue;
      }
      if (bracketed && !row.target) {
        row.target = bracketed[1].trim();
        finish();
        continue;
      }
      finish();
    }
    const both = line.match(NAME_AND_VALUE);
    if (both) {
      row = { name: [...name, both[1]].join(''), current: both[2] };
    } else if (VALUE_START.test(line) && name.length) {
      row = { name: name.join(''), current: line };
    } else if (/。$/.test(line)) {
      // Prose after the table.
      break;
    } else {
      // A name cell, or the second line of one (認定NPO法人数 / (認定取得率)).
      if (name.length >= 3) break;
      name.push(line);
    }
  }
  finish();
  // Name lines never closed by a value are not part of the table.
  return { rows, consumed: rows.length ? i - name.length : 0 };
}

/** One line a row, in the plan's order of cells. */
export function formatIndicatorRow(row: IndicatorRow): string {
  return [row.name, row.current, row.asOf ? `《${row.asOf}》` : '', row.target ? `(${row.target})` : ''].filter(Boolean).join(' ');
}

const ROW_LINE = /^(.+?) (\d[\d,.]*\S*)(?: 《(.+?)》)?(?: \((.+)\))?$/;

/** The inverse of formatIndicatorRow, for a line of a parsed section. */
export function parseIndicatorLine(line: string): IndicatorRow | undefined {
  const m = line.match(ROW_LINE);
  if (!m || !m[3]) return undefined;
  return { name: m[1], current: m[2], asOf: m[3], ...(m[4] ? { target: m[4] } : {}) };
}
