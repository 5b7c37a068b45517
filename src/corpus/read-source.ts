/**
 * Reads a plan source file and checks it before anything is built from it: a broken
 * source must never replace a working index. Accepts UTF-8 (with or without BOM),
 * Shift_JIS (older prefectural files) and Markdown.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { SourceError } from '../errors.js';
import { parsePlan } from './parse-plan.js';
import type { Section } from './section.js';

/** A plan is tens of thousands of characters; a file this large is a mistake. */
export const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

export function decodeSource(bytes: Uint8Array, file: string): string {
  if (bytes.length === 0) throw new SourceError('the file is empty. Give the plan text extracted from the PDF.', file);
  if (bytes.length > MAX_SOURCE_BYTES) throw new SourceError(`the file is larger than ${MAX_SOURCE_BYTES} bytes.`, file);
  const sample = bytes.subarray(0, 65_536);
  const controls = sample.filter((b) => b === 0 || (b < 9 && b !== 0) || (b > 13 && b < 32 && b !== 27)).length;
  if (sample.includes(0) || controls > sample.length * 0.01) {
    throw new SourceError('this looks like a binary file, not plan text. Extract the text from the PDF first (UTF-8).', file);
  }
  for (const encoding of ['utf-8', 'shift_jis']) {
    try {
      return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      // try the next encoding
    }
  }
  throw new SourceError('the text is neither UTF-8 nor Shift_JIS. Save it as UTF-8 and try again.', file);
}

/** Markdown headings (`## 2 …`) become the plain heading lines the parser knows. */
function fromMarkdown(text: string): string {
  return text.replace(/^#{1,6}\s+/gm, '').replace(/^\s*[-*]\s+/gm, '○ ');
}

export async function readPlanSections(file: string): Promise<{ text: string; sections: Section[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    throw new SourceError(`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, file, { cause: error });
  }
  let text = decodeSource(bytes, file);
  if (/\.(md|markdown)$/i.test(path.extname(file))) text = fromMarkdown(text);
  const sections = parsePlan(text);
  const headed = sections.filter((s) => s.headings.length > 0);
  if (headed.length === 0) {
    throw new SourceError(
      'no sections found: expected headings such as `第1章 …`, `1 …` or `(1) …`. Is this the plan text?',
      file,
    );
  }
  return { text, sections };
}
