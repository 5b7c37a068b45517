/** Sections → chunks: heading paths, size limits, and the summaries' copies of the plan. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { chunkSections, markDuplicates } from '../../src/corpus/chunk.js';
import { parsePlan } from '../../src/corpus/parse-plan.js';
import { sectionPath, type Chunk, type Section } from '../../src/corpus/section.js';

const sections = parsePlan(fs.readFileSync(path.join(PROJECT_ROOT, 'corpus/yamaguchi-kenmin-katsudo-plan-3rd-revision.txt'), 'utf8'));
const chunks = chunkSections(sections);
const byId = new Map(chunks.map((c) => [c.id, c]));
/** A chunk's text starts with its own heading line; the rest is the passage. */
const body = (c: Chunk, heading?: string) => (heading && c.text.startsWith(`${heading}\n`) ? c.text.slice(heading.length + 1) : c.text);

const section = (text: string, headings = ['第5章 施策の展開方向', '(5) 休眠預金の活用等による民間公益活動の促進'], part = '本文'): Section => ({
  part,
  headings,
  text,
  line: 1,
});

describe('chunkSections', () => {
  it('gives every chunk its section’s heading path, and unique ids', () => {
    const paths = new Set(sections.map(sectionPath));
    for (const c of chunks) {
      expect(paths.has(c.section)).toBe(true);
      expect(c.section.startsWith(`${c.part} > `) || c.section === c.part).toBe(true);
    }
    expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
    expect(chunks.length).toBeGreaterThanOrEqual(sections.length);
  });

  it('starts each chunk’s text with its own heading', () => {
    const [c] = chunkSections([section('休眠預金等を民間公益活動に活用します。')]);
    expect(c.section).toBe('本文 > 第5章 施策の展開方向 > (5) 休眠預金の活用等による民間公益活動の促進');
    expect(c.text).toBe('(5) 休眠預金の活用等による民間公益活動の促進\n休眠預金等を民間公益活動に活用します。');
  });

  it('cuts a long section at sentence boundaries, every piece under the limit', () => {
    const sentences = Array.from({ length: 30 }, (_, i) => `これは${i + 1}番目の文で、県民活動の促進について述べています。`);
    const text = sentences.join('');
    const pieces = chunkSections([section(text)], { maxChars: 120 });
    const heading = '(5) 休眠預金の活用等による民間公益活動の促進';
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) {
      expect(body(p, heading).length).toBeLessThanOrEqual(120);
      expect(body(p, heading)).toMatch(/。$/);
      expect(p.section).toBe(`本文 > 第5章 施策の展開方向 > ${heading}`);
    }
    expect(pieces.map((p) => body(p, heading)).join('')).toBe(text);
  });

  it('keeps the real plan’s chunks within the default 800 characters', () => {
    for (const c of chunks) {
      const heading = c.section.split(' > ').at(-1);
      expect(body(c, heading).length, c.id).toBeLessThanOrEqual(800);
    }
  });

  it('marks the summary’s copy of a passage as a duplicate of the plan’s own', () => {
    const copy = chunks.find((c) => c.part === '資料2' && c.section.endsWith('(5) 休眠預金の活用等による民間公益活動の促進'))!;
    expect(copy.duplicateOf).toBeDefined();
    const original = byId.get(copy.duplicateOf!)!;
    expect(original.part).toBe('本文');
    expect(original.section).toBe(
      '本文 > 第5章 施策の展開方向 > 2 県民活動団体の自立・持続的発展に向けた環境づくり > (5) 休眠預金の活用等による民間公益活動の促進',
    );
  });

  it('points every duplicate at a chunk of the plan itself, never at another duplicate', () => {
    const duplicates = chunks.filter((c) => c.duplicateOf);
    expect(duplicates.filter((c) => c.part !== '本文').length).toBeGreaterThanOrEqual(10);
    for (const c of duplicates) {
      const target = byId.get(c.duplicateOf!)!;
      expect(target.part).toBe('本文');
      expect(target.duplicateOf).toBeUndefined();
    }
  });

  it('leaves distinct passages unmarked', () => {
    const plan = chunks.find((c) => c.section === '本文 > 第1章 基本計画改定の背景と趣旨 > 6 基本計画の期間')!;
    expect(plan.duplicateOf).toBeUndefined();
  });
});

describe('markDuplicates', () => {
  const chunk = (id: string, part: string, text: string): Chunk => ({ id, part, section: part, text });

  it('prefers the plan itself even when the summary comes first', () => {
    const text = '休眠預金等を民間団体が行う公益に資する活動に活用することとされました。';
    const list = [chunk('a', '資料2', text), chunk('b', '本文', `${text}このことにより担い手の育成が期待されます。`)];
    markDuplicates(list);
    expect(list[0].duplicateOf).toBe('b');
    expect(list[0].verbatim).toBe(true);
    expect(list[1].duplicateOf).toBeUndefined();
  });

  it('does not mark texts that share little', () => {
    const list = [
      chunk('a', '資料2', '休眠預金等を民間団体が行う公益に資する活動に活用します。'),
      chunk('b', '本文', 'ボランティアのマッチングを推進し、あいかさねっとの利用を促進します。'),
    ];
    markDuplicates(list);
    expect(list.map((c) => c.duplicateOf)).toEqual([undefined, undefined]);
  });
});
