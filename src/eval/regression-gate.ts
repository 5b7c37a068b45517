/**
 * The regression gate of `npm run index`: the standard questions run through the live and the
 * new build, and a new build that is clearly worse does not go live (issue 6). "Clearly
 * worse" is either a question that found its evidence in the top 5 and no longer does, or
 * hit@3 falling by more than `maxHit3Drop`.
 */
import type { AnswerService } from '../qa/types.js';
import { figures, judge, type EvalOutcome, type EvalQuestion, type Figures } from './score.js';

/** Evidence counts as found when it is in the first this-many sources. */
export const GATE_TOP_K = 5;

export interface GateQuestion {
  question: EvalQuestion;
  /** 1-based rank of the evidence; undefined when not in the top GATE_TOP_K. */
  before?: number;
  after?: number;
}

export interface GateReport {
  before: Figures;
  after: Figures;
  /** In-scope questions answered with evidence before and without it now. */
  lost: GateQuestion[];
  gained: GateQuestion[];
  hit3Drop: number;
  /** Why the new build must not go live; empty when it may. */
  reasons: string[];
}

/** Answers each question and judges it; `answered` hears the running count, for a progress display. */
export async function runQuestions(answers: AnswerService, questions: EvalQuestion[], answered?: (done: number) => void): Promise<EvalOutcome[]> {
  const outcomes: EvalOutcome[] = [];
  // One at a time: the gate runs on a maintainer's machine next to the live bot.
  for (const q of questions) {
    outcomes.push(judge(q, await answers.answer(q.q)));
    answered?.(outcomes.length);
  }
  return outcomes;
}

const topK = (o: EvalOutcome | undefined) => (o?.evidenceRank !== undefined && o.evidenceRank <= GATE_TOP_K ? o.evidenceRank : undefined);

export function compareRuns(before: EvalOutcome[], after: EvalOutcome[], options: { maxHit3Drop?: number } = {}): GateReport {
  const maxHit3Drop = options.maxHit3Drop ?? 0.1;
  const afterById = new Map(after.map((o) => [o.question.id, o]));
  const rows: GateQuestion[] = before
    .filter((o) => o.question.scope === 'in')
    .map((o) => ({ question: o.question, before: topK(o), after: topK(afterById.get(o.question.id)) }));
  const lost = rows.filter((r) => r.before !== undefined && r.after === undefined);
  const gained = rows.filter((r) => r.before === undefined && r.after !== undefined);
  const [f0, f1] = [figures(before), figures(after)];
  const hit3Drop = f0.hit3 - f1.hit3;
  const reasons: string[] = [];
  if (lost.length) {
    reasons.push(`${lost.length} question(s) no longer find their evidence in the top ${GATE_TOP_K}: ${lost.map(describe).join('; ')}`);
  }
  // The epsilon keeps 0.1 itself (e.g. 2 of 20 questions) from tripping the gate by rounding.
  if (hit3Drop > maxHit3Drop + 1e-9) {
    reasons.push(`hit@3 drops by ${hit3Drop.toFixed(2)} (${f0.hit3.toFixed(2)} → ${f1.hit3.toFixed(2)}), more than ${maxHit3Drop}`);
  }
  return { before: f0, after: f1, lost, gained, hit3Drop, reasons };
}

const describe = (r: GateQuestion) => `${r.question.id} 「${r.question.q}」`;
const rank = (r?: number) => (r === undefined ? 'none' : `@${r}`);

export function formatFigures(f: Figures): string {
  const n = (x: number) => x.toFixed(2);
  return `hit@1 ${n(f.hit1)}  hit@3 ${n(f.hit3)}  hit@5 ${n(f.hit5)}  MRR@10 ${n(f.mrr10)}  facts ${n(f.factCoverage)}  (${f.inScope} questions)`;
}

export function formatGateReport(report: GateReport): string {
  const lines = [`standard questions, live → new:`, `  live: ${formatFigures(report.before)}`, `  new:  ${formatFigures(report.after)}`];
  for (const r of report.lost) lines.push(`  lost   ${describe(r)}: evidence ${rank(r.before)} → ${rank(r.after)}`);
  for (const r of report.gained) lines.push(`  gained ${describe(r)}: evidence ${rank(r.before)} → ${rank(r.after)}`);
  return lines.join('\n');
}
