/**
 * Dates as the plan writes them (平成30年1月, H25~H29, 平成 28年(2016 年)度末, 2018年度) and as
 * residents type them (令和4年度, 2017, FY2016), read into Gregorian years so that they compare.
 * Works on normalized text (NFKC, lower case).
 */

export interface DateMention {
  /** The text as written, e.g. 「平成30年1月」. */
  text: string;
  /** Gregorian year. */
  year: number;
  month?: number;
  /** A fiscal year (年度, FY). */
  fiscal: boolean;
  index: number;
}

/** First Gregorian year of each era, less one: 平成1年 = 1989. */
const ERA_BASE: Record<string, number> = { 明治: 1867, 大正: 1911, 昭和: 1925, 平成: 1988, 令和: 2018, h: 1988, r: 2018, s: 1925 };

const ERA_DATE = /(明治|大正|昭和|平成|令和)\s?(\d{1,2}|元)\s?年(?:\s?\(\d{4}\s?年\))?\s?(度)?(?:\s?(\d{1,2})\s?月)?|\b([hrs])(\d{1,2})(?:\s?年\s?(度)?(?:\s?(\d{1,2})\s?月)?)?/g;
/** 「平成27~31年度」: two years of one era. */
const ERA_RANGE = /(明治|大正|昭和|平成|令和)\s?(\d{1,2})\s?[~〜～-]\s?(\d{1,2})\s?年(度)?/g;
const WESTERN_DATE = /\b(?:fy\s?)?((?:19|20)\d{2})\b(?:\s?年\s?(度)?(?:\s?(\d{1,2})\s?月)?)?/g;

export function findDates(normalized: string): DateMention[] {
  const out: DateMention[] = [];
  for (const m of normalized.matchAll(ERA_RANGE)) {
    const fiscal = Boolean(m[4]);
    out.push({ text: m[0], year: ERA_BASE[m[1]] + Number(m[2]), fiscal, index: m.index! });
    out.push({ text: m[0], year: ERA_BASE[m[1]] + Number(m[3]), fiscal, index: m.index! + 1 });
  }
  const inRange = (index: number) => out.some((d) => index >= d.index - 1 && index < d.index + d.text.length);
  for (const m of normalized.matchAll(ERA_DATE)) {
    if (inRange(m.index!)) continue;
    const era = m[1] ?? m[5];
    const number = m[2] === '元' ? 1 : Number(m[2] ?? m[6]);
    const month = m[4] ?? m[8];
    out.push({ text: m[0].trim(), year: ERA_BASE[era] + number, month: month ? Number(month) : undefined, fiscal: Boolean(m[3] ?? m[7]), index: m.index! });
  }
  for (const m of normalized.matchAll(WESTERN_DATE)) {
    // 「平成 28年(2016 年)」 names the year twice: keep the era reading found above.
    if (inRange(m.index!)) continue;
    out.push({
      text: m[0].trim(),
      year: Number(m[1]),
      month: m[3] ? Number(m[3]) : undefined,
      fiscal: Boolean(m[2]) || /^fy/.test(m[0]),
      index: m.index!,
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 「平成30年1月」 → "January 2018"; a fiscal year → "FY2018". */
export function englishDate(date: DateMention): string {
  if (date.fiscal) return `FY${date.year}`;
  return date.month ? `${MONTHS[date.month - 1]} ${date.year}` : String(date.year);
}
