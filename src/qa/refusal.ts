/**
 * Whether the plan answers a question, decided on what the question asks for and what it is
 * about, not on how many of its words the plan shares:
 * - a kind of data the plan prints nowhere (a phone number, an address, an amount of money);
 * - a name the plan never mentions (広島県, France), or a year it does not reach (令和5年度);
 * - a focus the plan never speaks of (天気, ラーメン);
 * - a number, date or frequency asked of something that no top passage gives one for.
 * Each refusal says what was missing, so that the reply can name it.
 */
import type { PlanProfile } from '../index/plan-profile.js';
import { holdsType, isDataType, NAMES_OF, type AnswerType, type DataType } from '../text/answer-types.js';
import { findDates } from '../text/dates.js';
import type { AnalyzedQuestion } from './analyze-question.js';
import type { FocusEvidence, RetrievalResult } from './hybrid-search.js';

export type Refusal =
  | { kind: 'data'; type: DataType }
  | { kind: 'name'; name: string }
  | { kind: 'period'; date: string; year: number }
  | { kind: 'focus'; missing: string[] }
  | { kind: 'fact'; type: AnswerType; about: string[] };

/**
 * The thresholds, with the weight of a word the plan never uses (hybrid-search.ts
 * `unknownWeight`), fitted by `npm run tune -- --half A --refusal`: fitted on half A of the
 * public questions and read on half B, 0.00 of the answerable and 0.88 of the unanswerable were
 * refused there; fitted on B and read on A, 0.02 and 0.88. Half A's fit is kept.
 */
export const REFUSAL_FIT = { minFocusInPlan: 0.35, minFocusInTop: 0.3, unknownWeight: 4 };

export interface RefusalOptions {
  /** Below this weighted share of its focus found anywhere in the plan, a question is about something else. @default 0.35 */
  minFocusInPlan?: number;
  /** Below this weighted share of the focus the plan knows, in the top passages, they do not answer it. @default 0.3 */
  minFocusInTop?: number;
  /** Kinds of answer that must stand in a top sentence beside the focus. @default ['count', 'frequency'] */
  strictTypes?: AnswerType[];
}

/** Refusals that hold whatever a model might make of the passages (the plan cannot hold the answer). */
export const SURE_REFUSALS: Array<Refusal['kind']> = ['data', 'name', 'period', 'focus'];

export interface FactSentence {
  text: string;
  normalized: string;
  terms: Set<string>;
}

export function decideRefusal(
  result: RetrievalResult,
  profile: PlanProfile,
  topSentences: FactSentence[],
  options: RefusalOptions = {},
): Refusal | undefined {
  const { question, focus } = result;
  const minInPlan = options.minFocusInPlan ?? REFUSAL_FIT.minFocusInPlan;
  const minInTop = options.minFocusInTop ?? REFUSAL_FIT.minFocusInTop;
  const strict = options.strictTypes ?? ['count', 'frequency'];

  const data = question.asked.find((t) => isDataType(t) && !profile.typesHeld.includes(t));
  if (data) return { kind: 'data', type: data as DataType };

  const name = focus.find((f) => f.focus.proper && !f.inPlan);
  if (name) return { kind: 'name', name: name.focus.label };

  if (profile.years) {
    const outside = question.dates.find((d) => d.year > profile.years!.last || d.year < profile.years!.first);
    if (outside) return { kind: 'period', date: outside.text, year: outside.year };
  }

  const total = focus.reduce((s, f) => s + f.weight, 0);
  if (total > 0) {
    const inPlan = focus.reduce((s, f) => s + (f.inPlan ? f.weight : 0), 0) / total;
    if (inPlan < minInPlan) return { kind: 'focus', missing: focus.filter((f) => !f.inPlan).map((f) => f.focus.label) };
  }
  if (result.passages.length === 0) return { kind: 'focus', missing: focus.map((f) => f.focus.label) };
  if (focus.some((f) => f.inPlan) && result.coverage < minInTop) {
    return { kind: 'focus', missing: focus.filter((f) => f.inPlan && !f.inTop).map((f) => f.focus.label) };
  }

  // 「審議会の会長はだれ」: a person is named by the role asked about; a plan that never names the role names no one.
  if (question.asked.includes('person')) {
    const missing = focus.filter((f) => !f.inPlan);
    if (missing.length) return { kind: 'fact', type: 'person', about: focus.filter((f) => f.inPlan).map((f) => f.focus.label) };
    const together = topSentences.some((s) => focusShare(focus, s) >= 0.7);
    if (!together) return { kind: 'fact', type: 'person', about: focus.map((f) => f.focus.label) };
  }

  // Names of things of a kind (企業名): the plan names none unless a quoted name is one of that kind (「…企業」).
  const kind = question.question.normalize('NFKC').toLowerCase().match(NAMES_OF);
  if (kind) {
    const word = kind[1] ?? kind[2];
    const named = topSentences.some((s) => [...s.text.matchAll(/「([^」]{2,})」/g)].some((m) => m[1].includes(word)));
    if (!named) return { kind: 'fact', type: 'names', about: [word] };
  }

  // A number or a frequency is a fact or nothing: some top sentence must give one beside the focus.
  const type = question.asked.find((t) => strict.includes(t));
  if (type && !topSentences.some((s) => holdsType(type, s.normalized) && focusShare(focus, s) >= MIN_FACT_SHARE && agreesOnYear(question, s))) {
    return { kind: 'fact', type, about: focus.filter((f) => f.inPlan).map((f) => f.focus.label) };
  }
  return undefined;
}

/**
 * The sentence giving a number must name a fair part of what it is a number of: a third of the
 * focus the plan knows (questions name their subject and its context: 「認定NPO法人って山口県にいくつ」).
 */
const MIN_FACT_SHARE = 1 / 3;

/** The weighted share of the question's focus, of what the plan knows, that a sentence names (1 without focus). */
function focusShare(focus: FocusEvidence[], sentence: FactSentence): number {
  const known = focus.filter((f) => f.inPlan);
  const total = known.reduce((s, f) => s + f.weight, 0);
  if (total === 0) return 1;
  return known.reduce((s, f) => s + (f.focus.alternatives.some((t) => sentence.terms.has(t)) ? f.weight : 0), 0) / total;
}

/** A question that names a year (令和4年度末時点の…) is answered by a sentence of that year, or by none. */
function agreesOnYear(question: AnalyzedQuestion, sentence: FactSentence): boolean {
  if (question.dates.length === 0) return true;
  const years = new Set(findDates(sentence.normalized).map((d) => d.year));
  return question.dates.some((d) => years.has(d.year));
}
