/**
 * The lead of an answer: the asked fact stated first, from what the quoted passage says — an
 * 【評価指標】 row's value and target, the date of what was asked — in Japanese, or in English for
 * an English question (with the plan's term for the English word when there is no number or date).
 */
import type { IndicatorFact, PlanFacts } from '../corpus/facts.js';
import type { AnswerType } from '../text/answer-types.js';
import { englishDate, findDates, type DateMention } from '../text/dates.js';
import type { AnalyzedQuestion } from './analyze-question.js';
import type { Analyzer } from '../text/analyzer.js';
import { clauseAround } from '../corpus/sentences.js';
import { normalizeForMatch } from '../text/normalize.js';

/**
 * The dates a lead may state: a sentence's one date, or its two for a period. A timeline
 * (「第2次改定〈平成25年3月〉第3次改定〈平成30年9月〉…」) gives the date written right after what the
 * question names, or the one date in the clause that names it, or none: a lead that states the
 * wrong date is worse than none.
 */
export function datesOfFocus(normalized: string, anchors: string[], period: boolean): DateMention[] {
  const dates = findDates(normalized);
  if (dates.length <= (period ? 2 : 1)) return dates;
  // The most specific term the question names (the longest), where the sentence first names it.
  const anchor = [...anchors].sort((a, b) => b.length - a.length).find((a) => normalized.includes(a));
  if (anchor === undefined) return [];
  const at = normalized.indexOf(anchor);
  const after = dates.filter((d) => d.index >= at && d.index - at <= anchor.length + 12).slice(0, period ? 2 : 1);
  if (after.length === (period ? 2 : 1)) return after;
  // A narrative (「平成10年12月から…NPO法…が施行され、…平成11年10月には…を設置し」) dates what the
  // question names in the clause that names it: one date there is the answer.
  const inClause = dates.filter((d) => clauseAround(normalized, d.index).includes(anchor));
  return !period && inClause.length === 1 ? inClause : [];
}

/** 「いつまで」 asks when something ends, 「いつから」 when it starts: one end of a period. */
export function boundAsked(question: string): 'start' | 'end' | undefined {
  const q = normalizeForMatch(question);
  const end = /いつまで|何年度?まで|until when|when (does|will|did) .+ (end|finish|close)|end date/.test(q);
  const start = /いつから|何年度?から|since when|from when|when (does|will|did) .+ (start|begin)|start date/.test(q);
  return end === start ? undefined : end ? 'end' : 'start';
}

/** The date written right before まで (the end) or から / より (the start), when the sentence has one. */
export function boundDate(normalized: string, bound: 'start' | 'end'): DateMention | undefined {
  const marker = bound === 'end' ? /^\s?(まで|迄)/ : /^\s?(から|より)/;
  return findDates(normalized).find((d) => marker.test(normalized.slice(d.index + d.text.length)));
}

/** The indicator rows of the top passages that name what the question asks about. */
export function indicatorsFor(question: AnalyzedQuestion, chunkIds: string[], facts: PlanFacts, analyzer: Analyzer): IndicatorFact[] {
  // In the passages' order: on a tie, the better-ranked passage's row.
  const rows = chunkIds.flatMap((id) => facts.indicators.filter((r) => r.chunkId === id));
  if (rows.length === 0) return [];
  const asksValue = question.asked.includes('count') || /目標|現状|指標|target|indicator/i.test(question.question);
  if (!asksValue) return [];
  // What names the kind of figure (指標, 目標, 数) says nothing about which row is meant.
  const focus = question.focus.filter((f) => !/指標|目標|現状|^数$|indicator|target/i.test(f.label));
  const scored = rows.map((row) => {
    const terms = new Set(analyzer.terms(row.name));
    // How much of each focus word the row names: 県民活動団体数 all of 県民活動団体, 登録件数(団体、企業、個人) only its 団体.
    const found = focus.reduce((sum, f) => {
      const named = Math.max(0, ...f.alternatives.filter((t) => terms.has(t)).map((t) => t.length));
      return sum + named / Math.max(1, ...f.alternatives.map((t) => t.length));
    }, 0);
    return { row, share: focus.length ? found / focus.length : 0 };
  });
  // 「施策1の評価指標は？」 (or 数値目標, the glossary's word for them) asks for all of a passage's rows;
  // otherwise the row that names the focus.
  const asksIndicators = /指標|indicator/i.test(question.question) || question.focus.some((f) => f.alternatives.some((a) => a.includes('指標')));
  if (focus.every((f) => !scored.some((s) => s.share > 0)) && asksIndicators) return rows.filter((r) => r.chunkId === rows[0].chunkId);
  const best = Math.max(...scored.map((s) => s.share));
  return best >= 0.5 ? scored.filter((s) => s.share === best).map((s) => s.row).slice(0, 1) : [];
}

const tidyCell = (text: string) => text.replace(/\s+/g, '');

export function japaneseLead(indicators: IndicatorFact[], dates: DateMention[], visible: AnswerType[]): string {
  if (indicators.length) {
    return (
      indicators
        .map((r) => `${tidyCell(r.name)}は${tidyCell(r.current)}（${tidyCell(r.asOf ?? '')}）。${r.target ? `目標値は${r.target}とされています。` : ''}`)
        .join('\n') + '\n'
    );
  }
  if (dates.length && visible.includes('period') && dates.length >= 2) return `${dates[0].text}から${dates[dates.length - 1].text}まで（${dates[0].year}〜${dates[dates.length - 1].year}年）です。\n`;
  if (dates.length) return `${dates[0].text}${/^\d{4}/.test(dates[0].text) ? '' : `（${dates[0].year}年）`}です。\n`;
  return '';
}

const UNITS: Record<string, string> = { 団体: 'groups', 件: 'registrations', 法人: 'corporations', 市: 'cities', 人: 'people', 箇所: 'places' };

export function englishLead(question: AnalyzedQuestion, indicators: IndicatorFact[], dates: DateMention[], quote: string): string {
  if (indicators.length) {
    const r = indicators[0];
    const value = tidyCell(r.current);
    const unit = Object.entries(UNITS).find(([ja]) => value.includes(ja));
    const asOf = findDates(tidyCell(r.asOf ?? ''))[0];
    return (
      `The plan gives ${value}${unit ? ` (${value.match(/[\d,.]+/)?.[0]} ${unit[1]})` : ''} for ${tidyCell(r.name)}` +
      `${asOf ? ` as of ${englishDate(asOf)}` : ''}; its target is ${r.target === '今後調整' ? 'still to be set (今後調整)' : r.target ?? 'not given'}.\n`
    );
  }
  if (dates.length >= 2) return `According to the plan: from ${englishDate(dates[0])} to ${englishDate(dates[dates.length - 1])} (${dates[0].text}–${dates[dates.length - 1].text}).\n`;
  if (dates.length) return `According to the plan: ${englishDate(dates[0])} (${dates[0].text}).\n`;
  // The plan's term for what was asked, as the quote writes it.
  const folded = quote.normalize('NFKC').toLowerCase();
  const term = question.focus.map((f) => ({ f, t: f.alternatives.find((a) => a.length >= 2 && folded.includes(a)) })).find((x) => x.t);
  if (!term) return '';
  // Written as the quote writes it (NPO法人, not the folded npo法人).
  const at = folded.indexOf(term.t!);
  const shown = folded.length === quote.length ? quote.slice(at, at + term.t!.length) : term.t;
  return `The plan's term for "${term.f.label}" is ${shown}.\n`;
}
