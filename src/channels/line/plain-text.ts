/**
 * Text shaping for LINE: LINE shows Markdown raw, so answers become plain text, and every
 * length is cut to the platform limits (https://developers.line.biz/en/reference/messaging-api/#text-message).
 */
import { shortSectionPath } from '../../corpus/section.js';

/** LINE: a text message holds at most 5,000 characters. */
export const LINE_TEXT_MAX = 5_000;
/** LINE: a quick-reply action label holds at most 20 characters. */
export const LINE_LABEL_MAX = 20;

/** Cuts to `max` characters (code points, so a surrogate pair is never split), ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** Markdown → what a person would have typed: no `**`, `#`, backticks or link syntax. */
export function toPlainText(markdown: string): string {
  return markdown
    .replace(/```[a-z]*\n?/gi, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\*\*([^*]+)\*\*|__([^_]+)__/g, (_m, a: string | undefined, b: string | undefined) => a ?? b ?? '')
    .replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, '$1（$2）')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^(\s*)[-*+]\s+/gm, '$1・')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A heading path for a phone: chapter › last heading (see shortSectionPath), at most `max` characters. */
export const shortenSection = (section: string, max = 60) => shortSectionPath(section, { separator: ' › ', maxChars: max });

/** The last heading without its numbering, e.g. `(5) 休眠預金の活用等…` → `休眠預金の活用等…`. */
export function headingTopic(section: string): string {
  const parts = section.split(/\s*>\s*/).filter((p) => p.trim() && p.trim() !== '…');
  const last = (parts[parts.length - 1] ?? '').trim();
  return last.replace(/^(第[0-9０-９一二三四五六七八九十]+[章節]|[(（][0-9０-９]+[)）]|[0-9０-９]+[.．)）]?|[①-⑳])\s*/, '').trim();
}
