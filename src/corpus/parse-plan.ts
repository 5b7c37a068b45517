/**
 * Turns PDF-extracted plan text into sections with heading paths.
 *
 * What the extraction left behind, and how each is handled:
 * - lines broken mid-sentence → joined (see join-lines.ts);
 * - vertical text, one character a line (`誰\nも\nが…`) → runs of 3+ one-character lines joined;
 * - page numbers (`- 6 -`) and diagram fragments (`２章 県民`) → dropped;
 * - the side label `第５章 施策の展開方向` comes out at the END of a chapter's first page, so a
 *   chapter is the run of headings that restarts at `１`, and takes the label found inside it;
 * - summaries (資料１, 資料２) repeat the chapters before the plan itself: a chapter label that
 *   goes back (第１章 after 第５章) marks the start of the plan itself (`本文`).
 */
import { formatIndicatorRow, isIndicatorHeader, parseIndicatorRows } from './indicator-table.js';
import { joinLines, tidySpaces } from './join-lines.js';
import type { Section } from './section.js';
import { foldWidth } from '../text/normalize.js';

const PAGE_NUMBER = /^-\s*\d+\s*-$/;
const PART_MARKER = /^資料\s*(\d+)$/;
const CHAPTER_LABEL = /^第\s*(\d+)\s*章\s*(.*)$/;
const DIAGRAM_FRAGMENT = /^\d+章(\s|$)/;
const LEVEL1 = /^(\d{1,2})\s+(\S.{0,40})$/;
const LEVEL2 = /^(?:新|拡)?\s*\((\d{1,2})\)\s*(\S.{0,60})$/;
const BOXED = /^≪(.+)≫$/;

interface Draft {
  h1?: string;
  h2?: string;
  /** The heading line as printed, with its 新/拡 marks: an item when the heading has no text of its own. */
  printed?: string;
  lines: string[];
  line: number;
}

interface Block {
  part: string;
  chapter?: string;
  /** A ≪…≫ title that opens a block with no chapter label (the summary's comparison table). */
  title?: string;
  drafts: Draft[];
}

const isHeadingTitle = (title: string) => !/[。]$/.test(title) && !/^[0-9.,%]+$/.test(title);

/** Joins runs of 3 or more one-character lines: vertical text in the PDF. */
export function joinVerticalText(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j < lines.length && lines[j].trim().length === 1) j++;
    if (j - i >= 3) {
      out.push(lines.slice(i, j).map((l) => l.trim()).join(''));
      // Keep the line count stable so that section line numbers point into the source.
      for (let k = i + 1; k < j; k++) out.push('');
      i = j;
    } else {
      out.push(lines[i]);
      i++;
    }
  }
  return out;
}

/**
 * Sub-headings with no text of their own are the items of a list, not sections: the summaries
 * list 「(1)…(10)」 under 「２ 県民活動を巡る情勢の変化」. They become lines of the heading above
 * them, as printed (「拡(2)地方創生の推進」 keeps its mark), instead of vanishing.
 */
function foldHeadingOnlyItems(drafts: Draft[]): void {
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i];
    if (!draft.h2 || !draft.printed || draft.lines.some((l) => l.trim())) continue;
    let parent = drafts.slice(0, i).reverse().find((d) => d.h1 === draft.h1 && !d.h2);
    if (!parent) {
      parent = { h1: draft.h1, lines: [], line: draft.line };
      drafts.splice(i, 0, parent);
      i++;
    }
    if (parent.lines.length === 0) parent.line = draft.line;
    parent.lines.push(draft.printed);
    draft.printed = undefined;
  }
}

/** Lines joined into sentences, with a 【評価指標】 table kept one row a line. */
export function joinSectionLines(lines: string[]): string {
  const header = lines.findIndex((l) => isIndicatorHeader(tidySpaces(l)));
  if (header < 0) return joinLines(lines);
  const after = lines.slice(header + 1).map(tidySpaces);
  const { rows, consumed } = parseIndicatorRows(after);
  if (rows.length === 0) return joinLines(lines);
  const table = [tidySpaces(lines[header]), ...rows.map(formatIndicatorRow)].join('\n');
  return [joinLines(lines.slice(0, header)), table, joinSectionLines(lines.slice(header + 1 + consumed))].filter(Boolean).join('\n');
}

export function parsePlan(raw: string): Section[] {
  const lines = joinVerticalText(raw.split(/\r\n|\r|\n/).map((l) => foldWidth(l).trimEnd()));
  const blocks: Block[] = [];
  let part = '本文';
  let lastChapter = 0;

  const newBlock = (title?: string) => {
    const block: Block = { part, title, drafts: [{ lines: [], line: 0 }] };
    blocks.push(block);
    return block;
  };
  let block = newBlock();
  const current = () => block.drafts[block.drafts.length - 1];
  const startDraft = (h1: string | undefined, h2: string | undefined, line: number, printed?: string) => {
    block.drafts.push({ h1, h2, printed, lines: [], line });
  };

  lines.forEach((rawLine, index) => {
    const text = rawLine.trim();
    const lineNo = index + 1;
    if (!text || PAGE_NUMBER.test(text) || DIAGRAM_FRAGMENT.test(text)) return;

    let m: RegExpMatchArray | null;
    if ((m = text.match(PART_MARKER))) {
      part = `資料${m[1]}`;
      lastChapter = 0;
      block = newBlock();
    } else if ((m = text.match(CHAPTER_LABEL))) {
      const number = Number(m[1]);
      if (number <= lastChapter && part !== '本文') {
        // The chapters start over: what follows, from this chapter's first heading on, is the plan itself.
        part = '本文';
        block.part = part;
      }
      lastChapter = number;
      const label = `第${number}章${m[2] ? ' ' + m[2].replace(/\s+/g, ' ') : ''}`;
      if (block.chapter && block.chapter !== label) {
        // A second chapter's label inside one run of headings: that chapter's first page had no
        // numbered heading (a diagram page). What follows the label belongs to it.
        block = newBlock();
      }
      block.chapter ??= label;
    } else if ((m = text.match(BOXED))) {
      startDraft(`≪${m[1].trim()}≫`, undefined, lineNo);
    } else if ((m = text.match(LEVEL1)) && isHeadingTitle(m[2])) {
      const heading = `${Number(m[1])} ${m[2].trim()}`;
      if (Number(m[1]) === 1) {
        const opener = current();
        const boxedTitle = opener.h1?.startsWith('≪') && opener.lines.length === 0 ? opener.h1 : undefined;
        if (boxedTitle) block.drafts.pop();
        block = newBlock(boxedTitle);
      }
      startDraft(heading, undefined, lineNo);
    } else if ((m = text.match(LEVEL2)) && isHeadingTitle(m[2])) {
      startDraft(current().h1, `(${Number(m[1])}) ${m[2].trim()}`, lineNo, tidySpaces(text));
    } else {
      const draft = current();
      if (draft.lines.length === 0) draft.line = lineNo;
      draft.lines.push(rawLine);
    }
  });

  const sections: Section[] = [];
  for (const b of blocks) {
    foldHeadingOnlyItems(b.drafts);
    for (const draft of b.drafts) {
      const text = joinSectionLines(draft.lines);
      if (!text) continue;
      const headings = [b.chapter ?? b.title, draft.h1, draft.h2].filter((h): h is string => Boolean(h));
      sections.push({ part: b.part, headings, text, line: draft.line });
    }
  }
  return sections;
}
