/**
 * Text normalization shared by indexing and questions: the same function on both sides,
 * so that `ＮＰＯ`, `NPO` and `ｎｐｏ` or 寄付/寄附 meet in one form.
 */

/** Full-width ASCII → half-width, ideographic space → space. Keeps ①, Ⅰ, 〇 as they are (display-safe). */
export function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/**
 * Characters no text should carry: NUL and other C0/C1 controls (but tab and newline), and
 * UTF-16 halves without their pair. They come from garbled input or a hostile client, and
 * kuromoji's lattice breaks on a lone surrogate. Index text and questions both pass here.
 */
const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function sanitize(text: string): string {
  return text.replace(UNSAFE, '');
}

/** Dashes typed for the long-vowel mark after katakana: センタ－, ボランティアｰ → センター. */
const LONG_VOWEL = /(?<=[\u30a1-\u30fa])[-\u2010-\u2015\u2212\uff0d\uff70]/g;

/** 「ボランティア・チャレンジ」 and 「ボランティアチャレンジ」 are one word: the dot only spaces a loanword compound. */
const KATAKANA_DOT = /(?<=[\u30a1-\u30fa\u30fc])[・･](?=[\u30a1-\u30fa])/g;

/** Letters the PDF spaced out (「Ｎ Ｐ Ｏ 活 動」 → n p o活動): three or more single letters in a row are one word. */
const SPACED_LETTERS = /(?<![a-z])[a-z](?: [a-z](?![a-z])){2,}/g;

/** Hiragana → katakana, for comparing readings (kuromoji reads in katakana). */
export function toKatakana(text: string): string {
  return text.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

const CJK = '\\u3000-\\u30ff\\u3400-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])\\s+|\\s+(?=[${CJK}])`, 'g');

/**
 * For matching only (never shown): NFKC (half-width katakana, full-width letters and digits),
 * lower case, and no white space next to Japanese characters (PDF extraction spaces out
 * `Ｎ Ｐ Ｏ 活 動` and breaks words across lines).
 */
export function normalizeForMatch(text: string): string {
  return sanitize(text)
    .normalize('NFKC')
    .toLowerCase()
    .replace(LONG_VOWEL, 'ー')
    .replace(KATAKANA_DOT, '')
    .replace(SPACED_LETTERS, (run) => run.replace(/ /g, ''))
    .replace(SPACE_BETWEEN_CJK, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Replaces each variant spelling by its canonical form, longest variants first. */
export type VariantFolder = (normalized: string) => string;

export function createVariantFolder(variants: Record<string, string[]>): VariantFolder {
  const pairs: Array<[string, string]> = [];
  for (const [canonical, spellings] of Object.entries(variants)) {
    const target = normalizeForMatch(canonical);
    for (const spelling of spellings) {
      const from = normalizeForMatch(spelling);
      if (from && from !== target) pairs.push([from, target]);
    }
  }
  if (pairs.length === 0) return (s) => s;
  // Canonical forms match themselves, so that a variant inside its canonical form (ゆめ花博 in
  // 山口ゆめ花博) is left alone instead of becoming 山口山口ゆめ花博.
  for (const target of new Set(pairs.map(([, t]) => t))) if (!pairs.some(([from]) => from === target)) pairs.push([target, target]);
  pairs.sort((a, b) => b[0].length - a[0].length);
  const lookup = new Map(pairs);
  const escaped = pairs.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // ASCII variants such as `sib` must match whole words only, not inside `possible`.
  const pattern = new RegExp(escaped.map((e) => (/^[a-z0-9 ]+$/.test(e) ? `(?<![a-z0-9])${e}(?![a-z0-9])` : e)).join('|'), 'g');
  return (normalized) => normalized.replace(pattern, (m) => lookup.get(m) ?? m);
}
