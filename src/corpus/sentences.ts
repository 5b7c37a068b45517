/**
 * A passage's sentences: the unit that answers are quoted in and that facts are read from.
 * Lines are sentences already (join-lines.ts starts bullets, numbered items and finished
 * sentences on a line of their own); long lines are cut after 。, and before a bullet that
 * the PDF left inside a line.
 */

const BULLET = /^[○〇◇◆●・※■□]\s*/;

/** Shorter pieces are labels or fragments (「(全体)」), not sentences. */
export const MIN_SENTENCE_CHARS = 6;

export function splitSentences(text: string): string[] {
  return text
    .split(/\n|(?<=。)(?![)）」』])|(?=[○〇◇●])/)
    .map((s) => s.replace(BULLET, '').trim())
    .filter((s) => s.length >= MIN_SENTENCE_CHARS);
}

/** The clause around a position: between 、 or 。 that stand outside brackets. */
export function clauseAround(text: string, at: number): string {
  let depth = 0;
  const cuts = [-1];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if ('(「『【'.includes(ch)) depth++;
    else if (')」』】'.includes(ch)) depth = Math.max(0, depth - 1);
    else if (depth === 0 && (ch === '、' || ch === '。' || ch === ',')) cuts.push(i);
  }
  cuts.push(text.length);
  const end = cuts.findIndex((c) => c >= at);
  return text.slice(cuts[Math.max(0, end - 1)] + 1, cuts[end]);
}
