/**
 * Synthetic corpora for the build benchmark: the plan repeated n times, each copy with its
 * chapter labels (`第N章`) and `(n)` headings renumbered, so that the copies parse into
 * distinct sections with distinct heading paths instead of n identical ones.
 */
import fs from 'node:fs/promises';
import { foldWidth } from '../../src/text/normalize.js';

/** Chapter labels only at the start of a line, where the parser reads them (not `第５章で述べる…` in a sentence). */
const CHAPTER = /^(\s*第\s*)([0-9０-９]+)(\s*章)/;
/** `(n)` headings, optionally marked 新/拡; the parser takes one or two digits. */
const LEVEL2 = /^(\s*(?:新|拡)?\s*[（(])([0-9０-９]{1,2})([)）])/;

/** Copy `k` (0-based) of the plan: chapters move up by 10·k, `(n)` headings shift by k within 1–99. */
export function renumberCopy(text: string, k: number): string {
  if (k === 0) return text;
  return text
    .split('\n')
    .map((line) =>
      line
        .replace(CHAPTER, (_m, pre: string, n: string, post: string) => `${pre}${Number(foldWidth(n)) + 10 * k}${post}`)
        .replace(LEVEL2, (_m, pre: string, n: string, post: string) => `${pre}${((Number(foldWidth(n)) - 1 + k) % 99) + 1}${post}`),
    )
    .join('\n');
}

/** Writes the plan repeated `times` times to `target`; returns its size in bytes. */
export async function writeSyntheticCorpus(source: string, target: string, times: number): Promise<number> {
  const plan = await fs.readFile(source, 'utf8');
  const copies = Array.from({ length: times }, (_, k) => renumberCopy(plan, k));
  const text = copies.join('\n');
  await fs.writeFile(target, text);
  return Buffer.byteLength(text);
}
