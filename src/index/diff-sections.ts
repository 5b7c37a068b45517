/**
 * What changed between two index builds, section by section, so a maintainer sees what a new
 * plan text does before it goes live. Sections are matched by heading path; a path that
 * appears several times (資料2 repeats some headings) is matched occurrence by occurrence.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { IndexError } from '../errors.js';
import { sectionPath, type Section } from '../corpus/section.js';

export interface SectionDiff {
  /** Heading paths in the new build only (or occurring more often there). */
  added: string[];
  /** Heading paths in the live build only (or occurring less often in the new one). */
  removed: string[];
  /** Same path, different text. */
  changed: string[];
  unchanged: number;
}

/** White space is layout from the PDF, not content: it does not make a section "changed". */
const squashSpace = (text: string) => text.replace(/\s+/g, '');

function byPath(sections: Section[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const s of sections) {
    const key = sectionPath(s);
    map.set(key, [...(map.get(key) ?? []), squashSpace(s.text)]);
  }
  return map;
}

export function diffSections(before: Section[], after: Section[]): SectionDiff {
  const old = byPath(before);
  const next = byPath(after);
  const diff: SectionDiff = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const [key, texts] of next) {
    const previous = old.get(key) ?? [];
    texts.forEach((text, i) => {
      if (i >= previous.length) diff.added.push(key);
      else if (previous[i] !== text) diff.changed.push(key);
      else diff.unchanged++;
    });
  }
  for (const [key, texts] of old) {
    const count = next.get(key)?.length ?? 0;
    for (let i = count; i < texts.length; i++) diff.removed.push(key);
  }
  return diff;
}

export async function readBuildSections(dir: string): Promise<Section[]> {
  try {
    return JSON.parse(await fs.readFile(path.join(dir, 'sections.json'), 'utf8')) as Section[];
  } catch (error) {
    throw new IndexError('index_invalid', `The index at ${dir} has no readable sections.json. Run \`npm run index\` to rebuild it.`, dir, { cause: error });
  }
}

export function formatSectionDiff(diff: SectionDiff): string {
  const lines = [
    `sections: ${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.unchanged} unchanged`,
  ];
  for (const [mark, paths] of [['+', diff.added], ['-', diff.removed], ['~', diff.changed]] as const) {
    for (const p of paths) lines.push(`  ${mark} ${p}`);
  }
  return lines.join('\n');
}
