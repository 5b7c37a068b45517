/**
 * Joins PDF-extracted lines into readable text: a sentence broken across lines is joined
 * without a space (Japanese has none), while bullets, numbered items and finished sentences
 * start a new line, so that sentences can be picked out later.
 */

const CJK_CHAR = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff66-\uff9f]/;
/** Line starts that open a new item: ○ 〇 ◇ ● ・ ※ ①… 【…】 ＜…＞ <…>, and numbered items 「(2)」「拡(2)」. */
const ITEM_START = /^(?:[○〇◇◆●・※■□]|[\u2460-\u2473]|【|<|＜|(?:新|拡)?\s*\(\d{1,2}\))/;
const SENTENCE_END = /[。】>＞]$/;

/** Collapses spaces, dropping those between two Japanese characters (`特  徴  等` → `特徴等`). */
export function tidySpaces(line: string): string {
  return line
    .replace(/\s+/g, ' ')
    .replace(new RegExp(`(?<=${CJK_CHAR.source}) (?=${CJK_CHAR.source})`, 'g'), '')
    .trim();
}

export function joinLines(lines: string[]): string {
  let text = '';
  let lone = '';
  for (const raw of lines) {
    let line = tidySpaces(raw);
    if (!line) continue;
    // A character alone on a line is a diagram label or a vertical-text fragment (県, 誰):
    // it goes in front of the next line rather than standing alone.
    if ([...line].length === 1) {
      lone += line;
      continue;
    }
    if (lone) {
      line = `${lone} ${line}`;
      lone = '';
    }
    if (!text) {
      text = line;
      continue;
    }
    const last = text[text.length - 1];
    if (ITEM_START.test(line) || SENTENCE_END.test(text)) text += '\n' + line;
    else if (CJK_CHAR.test(last) || CJK_CHAR.test(line[0])) text += line;
    else text += ' ' + line;
  }
  if (lone) text += (text ? ' ' : '') + lone;
  return text;
}
