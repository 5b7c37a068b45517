/**
 * Fitting the curated-answer threshold (src/qa/curated-match.ts) on public questions. One half
 * of the questions (odd or even ids) plays the staff's curated answers: each question that has
 * rewordings (corpus/curated-rewordings.jsonl) becomes a curated answer phrased as the question;
 * its rewordings must get it, and the half's other questions must get none. The threshold that
 * costs least on one half is read on the other.
 */
import { createCuratedMatcher, type CuratedWeights } from '../qa/curated-match.js';
import type { CuratedAnswer } from '../store/curated.js';
import type { Analyzer } from '../text/analyzer.js';
import { halfOf, type EvalQuestion, type Half } from './score.js';

export interface Rewordings {
  id: string;
  rewordings: string[];
}

/** One question put to the matcher: what it should get, and what scored best. */
export interface FitCase {
  text: string;
  /** The id of the curated answer it should get; undefined: none. */
  expected?: string;
  best?: string;
  score: number;
}

export interface FitFigures {
  threshold: number;
  /** Rewordings that got their own curated answer. */
  matched: number;
  rewordings: number;
  /** Questions that got a curated answer they should not have (another question's, or any for a question with none). */
  wrong: number;
  questions: number;
}

/** A wrong curated answer misleads a resident; a missed one only leaves the plan to answer. */
const WRONG_COST = 2;

export function parseRewordings(text: string, file = 'rewordings'): Rewordings[] {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      const row = JSON.parse(line) as Rewordings;
      if (typeof row.id !== 'string' || !Array.isArray(row.rewordings)) throw new Error(`${file}:${i + 1}: needs "id" and "rewordings"`);
      return row;
    });
}

export function fitCases(analyzer: Analyzer, questions: EvalQuestion[], rewordings: Rewordings[], half: Half, weights?: CuratedWeights): FitCase[] {
  const curated = rewordings.filter((r) => halfOf(r) === half);
  const byId = new Map(questions.map((q) => [q.id, q]));
  const answers: CuratedAnswer[] = curated.map((r, i) => {
    const question = byId.get(r.id);
    if (!question) throw new Error(`rewordings of ${r.id}, a question the question file does not have`);
    return { id: i + 1, phrasings: [question.q], answer: r.id, sectionId: null, authorHash: '', createdAt: new Date(0), updatedAt: new Date(0), active: true };
  });
  const matcher = createCuratedMatcher<CuratedAnswer>({ analyzer, weights });
  matcher.replace(answers);
  const ask = (text: string, expected?: string): FitCase => {
    const best = matcher.best(text);
    return { text, expected, best: best?.answer.answer, score: best?.score ?? 0 };
  };
  const curatedIds = new Set(curated.map((r) => r.id));
  return [
    ...curated.flatMap((r) => r.rewordings.map((text) => ask(text, r.id))),
    ...questions.filter((q) => halfOf(q) === half && !curatedIds.has(q.id)).map((q) => ask(q.q)),
  ];
}

export function figuresAt(cases: FitCase[], threshold: number): FitFigures {
  const positives = cases.filter((c) => c.expected);
  const passes = (c: FitCase) => c.score >= threshold;
  return {
    threshold,
    matched: positives.filter((c) => passes(c) && c.best === c.expected).length,
    rewordings: positives.length,
    wrong: cases.filter((c) => passes(c) && c.best !== c.expected).length,
    questions: cases.length,
  };
}

const costOf = (f: FitFigures) => f.rewordings - f.matched + WRONG_COST * f.wrong;

/** The threshold of least cost, in the middle of the widest gap between scores that costs that little. */
export function fitThreshold(cases: FitCase[]): FitFigures {
  const scores = [...new Set(cases.map((c) => c.score))].sort((a, b) => a - b);
  const candidates = [0, ...scores.slice(0, -1).map((s, i) => (s + scores[i + 1]) / 2), scores[scores.length - 1] + 1e-9];
  let best: { figures: FitFigures; gap: number } | undefined;
  for (const [i, threshold] of candidates.entries()) {
    const figures = figuresAt(cases, threshold);
    const gap = i === 0 || i === candidates.length - 1 ? 0 : scores[i] - scores[i - 1];
    if (!best || costOf(figures) < costOf(best.figures) || (costOf(figures) === costOf(best.figures) && gap > best.gap)) best = { figures, gap };
  }
  return best!.figures;
}
