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

/**
 * A heading path cut for reading, e.g. in an answer's 出典 or on a phone:
 * `本文 > 第5章 施策の展開方向 > 2 … > (5) 休眠預金の活用等…` → `第5章 施策の展開方向 > (5) 休眠預金の活用等…`.
 * The chapter tells where in the plan, the last heading what; the middle is noise. 本文 (the
 * plan itself) goes without saying; a summary keeps its name (資料1). The one shortener of
 * heading paths: answers, LINE and the report all call it.
 */
export function shortSectionPath(path: string, options: { separator?: string; maxChars?: number } = {}): string {
  const [part, ...rest] = path.split(PATH_SEPARATOR).map((p) => p.trim());
  const headings = rest.filter((h) => h && h !== '…');
  const kept = headings.length > 2 ? [headings[0], headings[headings.length - 1]] : headings;
  const short = [...(part === '本文' ? [] : [part]), ...kept].join(options.separator ?? PATH_SEPARATOR) || part;
  const chars = Array.from(short);
  const max = options.maxChars ?? Infinity;
  // Code points, so that a surrogate pair is never split.
  return chars.length <= max ? short : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
