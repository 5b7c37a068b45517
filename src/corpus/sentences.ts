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
