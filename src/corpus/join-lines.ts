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

/** A diagram's label: a few characters, no punctuation (県民, 県民活動支援機関, 市町). */
const LABEL_LINE = /^[^\s、。「」()○〇◇◆●・※■□【<＜]{2,12}$/;
const DOT_ITEM = /^・/;

export function joinLines(lines: string[]): string {
  const tidied = lines.map(tidySpaces).filter(Boolean);
  let text = '';
  let lone = '';
  /** Inside a label's list: its ・ items stay on the label's line (県民・理解と参加・寄附、チェック). */
  let labelled = false;
  for (let i = 0; i < tidied.length; i++) {
    let line = tidied[i];
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
      labelled = LABEL_LINE.test(line) && DOT_ITEM.test(tidied[i + 1] ?? '');
      continue;
    }
    const last = text[text.length - 1];
    // A diagram's label before its ・ items names them: a line of its own, not the tail of the item before it.
    if (LABEL_LINE.test(line) && DOT_ITEM.test(tidied[i + 1] ?? '')) {
      text += '\n' + line;
      labelled = true;
    } else if (labelled && DOT_ITEM.test(line)) text += line;
    else if (ITEM_START.test(line) || SENTENCE_END.test(text)) {
      text += '\n' + line;
      labelled = false;
    } else if (CJK_CHAR.test(last) || CJK_CHAR.test(line[0])) text += line;
    else text += ' ' + line;
  }
  if (lone) text += (text ? ' ' : '') + lone;
  return text;
}
