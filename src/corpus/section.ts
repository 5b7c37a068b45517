/** Sections and chunks: what the parser and chunker hand on to the index. */

export interface Section {
  /** Where it comes from: `資料1`, `資料2` (summaries that repeat chapters) or `本文` (the plan itself). */
  part: string;
  /** Headings below the part, outermost first: `第5章 施策の展開方向`, `2 …`, `(5) …`. */
  headings: string[];
  /** Lines joined into sentences; paragraphs and bullets separated by `\n`. */
  text: string;
  /** 1-based line of the source where the section's text starts (for maintainers). */
  line: number;
}

export interface Chunk {
  id: string;
  /** Heading path, `part > heading > …`. */
  section: string;
  text: string;
  part: string;
  /** The id of an earlier chunk (from the plan itself, preferably) that says the same thing. */
  duplicateOf?: string;
  /** Set with `duplicateOf` when this chunk's text stands almost whole in that one. */
  verbatim?: boolean;
}

export const PATH_SEPARATOR = ' > ';

export function sectionPath(section: Pick<Section, 'part' | 'headings'>): string {
  return [section.part, ...section.headings].join(PATH_SEPARATOR);
}
