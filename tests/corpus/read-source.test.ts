/** Reading a plan source: what is accepted (UTF-8, BOM, Shift_JIS, Markdown) and what is refused, with a message saying why. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { decodeSource, readPlanSections } from '../../src/corpus/read-source.js';
import { sectionPath } from '../../src/corpus/section.js';
import { encodeShiftJis } from '../helpers/shift-jis.js';
import { makeTempDir } from '../helpers/temp-index.js';

const SNIPPET = ['第５章 施策の展開方向', '２ 県民活動団体の自立・持続的発展に向けた環境づくり', '（５）休眠預金の活用等による民間公益活動の促進', '休眠預金等を民間公益活動に活用します。'].join('\n');
const DORMANT = '本文 > 第5章 施策の展開方向 > 2 県民活動団体の自立・持続的発展に向けた環境づくり > (5) 休眠預金の活用等による民間公益活動の促進';

/** Latin-1 `café au lait ÿ`: 0xE9 before a space, and 0xFF, are invalid in UTF-8 and in Shift_JIS alike. */
const LATIN1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x61, 0x75, 0x20, 0x6c, 0x61, 0x69, 0x74, 0x20, 0xff]);

let dir: string;
const write = async (name: string, data: string | Uint8Array) => {
  const file = path.join(dir, name);
  await fs.writeFile(file, data);
  return file;
};

beforeAll(async () => {
  dir = await makeTempDir('sources');
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('decodeSource', () => {
  it('reads UTF-8 and drops a byte-order mark', () => {
    const text = decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('第１章')]), 'plan.txt');
    expect(text).toBe('第１章');
  });

  it('reads Shift_JIS', () => {
    expect(decodeSource(encodeShiftJis(SNIPPET), 'plan.txt')).toBe(SNIPPET);
  });

  it('picks a Latin-1 sample that neither decoder accepts (so the next test means something)', () => {
    for (const encoding of ['utf-8', 'shift_jis']) {
      expect(() => new TextDecoder(encoding, { fatal: true }).decode(LATIN1)).toThrow();
    }
  });

  it.each([
    ['an empty file', new Uint8Array(), /empty/],
    ['a binary file', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48]), /binary/],
    ['text with NUL bytes', new TextEncoder().encode('第１章\u0000\u0000基本計画'), /binary/],
    ['a Latin-1 file', LATIN1, /neither UTF-8 nor Shift_JIS/],
  ])('refuses %s with a SourceError naming the file', (_name, bytes, message) => {
    let error: unknown;
    try {
      decodeSource(bytes, 'plan.txt');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).code).toBe('source_invalid');
    expect((error as SourceError).message).toMatch(message);
    expect((error as SourceError).message).toContain('plan.txt');
  });
});

describe('readPlanSections', () => {
  it('parses a UTF-8 snippet with a byte-order mark', async () => {
    const file = await write('bom.txt', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SNIPPET)]));
    const { sections } = await readPlanSections(file);
    expect(sections.map(sectionPath)).toEqual([DORMANT]);
  });

  it('parses a Shift_JIS-encoded snippet', async () => {
    const file = await write('sjis.txt', encodeShiftJis(SNIPPET));
    const { text, sections } = await readPlanSections(file);
    expect(text).toBe(SNIPPET);
    expect(sections.map(sectionPath)).toEqual([DORMANT]);
    expect(sections[0].text).toBe('休眠預金等を民間公益活動に活用します。');
  });

  it('reads Markdown headings and bullets as the plan’s own', async () => {
    const file = await write('plan.md', '# 第５章 施策の展開方向\n## ２ 県民活動団体の自立\n- 休眠預金等を活用します。\n- 寄附を促進します。\n');
    const { sections } = await readPlanSections(file);
    expect(sections.map(sectionPath)).toEqual(['本文 > 第5章 施策の展開方向 > 2 県民活動団体の自立']);
    expect(sections[0].text).toBe('○ 休眠預金等を活用します。\n○ 寄附を促進します。');
  });

  it.each([
    ['an empty file', 'empty.txt', new Uint8Array(), /empty/],
    ['a binary file', 'binary.bin', new Uint8Array([1, 2, 3, 0, 0, 0, 255, 254]), /binary/],
    ['a non-UTF-8 file', 'latin1.txt', LATIN1, /neither UTF-8 nor Shift_JIS/],
    ['prose with no headings', 'prose.txt', new TextEncoder().encode('今日は良い天気です。\n散歩に行きました。\n'), /no sections found/],
  ])('refuses %s', async (_name, name, bytes, message) => {
    const file = await write(name, bytes);
    await expect(readPlanSections(file)).rejects.toSatisfy(
      (e: unknown) => e instanceof SourceError && message.test(e.message) && e.file === file,
    );
  });

  it('refuses a file that does not exist', async () => {
    await expect(readPlanSections(path.join(dir, 'missing.txt'))).rejects.toThrow(/cannot read the file \(ENOENT\)/);
  });
});
