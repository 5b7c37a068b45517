/**
 * Text normalization shared by indexing and questions: the same function on both sides,
 * so that `ＮＰＯ`, `NPO` and `ｎｐｏ` or 寄付/寄附 meet in one form.
 */

/** Full-width ASCII → half-width, ideographic space → space. Keeps ①, Ⅰ, 〇 as they are (display-safe). */
export function foldWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const CJK = '\\u3000-\\u30ff\\u3400-\\u9fff\\uf900-\\ufaff\\uff66-\\uff9f';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])\\s+|\\s+(?=[${CJK}])`, 'g');

/**
 * For matching only (never shown): NFKC (half-width katakana, full-width letters and digits),
 * lower case, and no white space next to Japanese characters (PDF extraction spaces out
 * `Ｎ Ｐ Ｏ 活 動` and breaks words across lines).
 */
export function normalizeForMatch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(SPACE_BETWEEN_CJK, '').replace(/\s+/g, ' ').trim();
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
  pairs.sort((a, b) => b[0].length - a[0].length);
  const lookup = new Map(pairs);
  const escaped = pairs.map(([from]) => from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  // ASCII variants such as `sib` must match whole words only, not inside `possible`.
  const pattern = new RegExp(escaped.map((e) => (/^[a-z0-9 ]+$/.test(e) ? `(?<![a-z0-9])${e}(?![a-z0-9])` : e)).join('|'), 'g');
  return (normalized) => normalized.replace(pattern, (m) => lookup.get(m) ?? m);
}
