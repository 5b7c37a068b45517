/**
 * Sections → chunks. A chunk never crosses a section, and carries the section's heading
 * path. Long sections are cut at paragraph, then sentence, boundaries. Passages that the
 * summaries repeat from the plan itself are marked `duplicateOf`, so that retrieval shows
 * one of them instead of letting copies crowd out other answers.
 */
import { sectionPath, type Chunk, type Section } from './section.js';
import { normalizeForMatch } from '../text/normalize.js';

export interface ChunkOptions {
  /** A section longer than this is cut; most of the plan's sections fit whole. @default 800 */
  maxChars?: number;
  /** Share of a chunk's character pairs found in another chunk to call it a repeat. @default 0.7 */
  duplicateThreshold?: number;
}

function splitLong(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  // Units are lines, and sentences within long lines; each keeps the separator that followed it.
  const units = text.split('\n').flatMap((line) => {
    const sentences = line.split(/(?<=。)(?![)）」』])/);
    return sentences.map((s, i) => (i === sentences.length - 1 ? s + '\n' : s));
  });
  const out: string[] = [];
  let current = '';
  for (const unit of units) {
    if (current && current.length + unit.length > maxChars) {
      out.push(current.trimEnd());
      current = '';
    }
    current += unit;
  }
  if (current.trim()) out.push(current.trimEnd());
  return out;
}

function pairSet(text: string): Set<string> {
  const chars = [...normalizeForMatch(text).replace(/[\s\p{P}\p{S}]/gu, '')];
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) pairs.add(chars[i] + chars[i + 1]);
  return pairs;
}

/**
 * Marks each chunk whose character pairs are mostly contained in a preferred chunk (the
 * plan itself over summaries, then earlier over later). Rare pairs find candidates through
 * an inverted index, so this stays near-linear on large corpora.
 */
const VERBATIM = 0.95;

export function markDuplicates(chunks: Chunk[], threshold = 0.7): void {
  const order = [...chunks].sort((a, b) => Number(b.part === '本文') - Number(a.part === '本文'));
  const pairs = new Map(order.map((c) => [c.id, pairSet(c.text)]));
  const postings = new Map<string, string[]>();
  const seenById = new Map<string, Chunk>();
  for (const chunk of order) {
    const own = pairs.get(chunk.id)!;
    if (own.size >= 8) {
      const overlap = new Map<string, number>();
      for (const pair of own) {
        const list = postings.get(pair);
        if (!list || list.length > 50) continue;
        for (const id of list) overlap.set(id, (overlap.get(id) ?? 0) + 1);
      }
      let best: { id: string; containment: number } | undefined;
      for (const [id] of overlap) {
        const other = pairs.get(id)!;
        let shared = 0;
        for (const pair of own) if (other.has(pair)) shared++;
        const containment = shared / own.size;
        if (containment >= threshold && (!best || containment > best.containment)) best = { id, containment };
      }
      if (best) {
        const target = seenById.get(best.id)!;
        chunk.duplicateOf = target.duplicateOf ?? target.id;
        // Nearly all of it stands in the other chunk: that one can be shown instead, losing nothing.
        if (best.containment >= VERBATIM) chunk.verbatim = true;
      }
    }
    seenById.set(chunk.id, chunk);
    for (const pair of own) {
      const list = postings.get(pair);
      if (list) list.push(chunk.id);
      else postings.set(pair, [chunk.id]);
    }
  }
}

export function chunkSections(sections: Section[], options: ChunkOptions = {}): Chunk[] {
  const maxChars = options.maxChars ?? 800;
  const chunks: Chunk[] = [];
  sections.forEach((section, s) => {
    const path = sectionPath(section);
    // A passage reads as it stands in the plan: under its own heading.
    const heading = section.headings[section.headings.length - 1];
    splitLong(section.text, maxChars).forEach((text, n) => {
      const body = heading ? `${heading}\n${text}` : text;
      chunks.push({ id: `s${s + 1}-${n + 1}`, section: path, text: body, part: section.part });
    });
  });
  markDuplicates(chunks, options.duplicateThreshold ?? 0.7);
  return chunks;
}
