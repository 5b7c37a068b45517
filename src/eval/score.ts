/**
 * The figures of shared/eval/README.md: hit@1/3/5 and MRR@10 of retrieval, fact coverage,
 * abstention. Matching is done after NFKC, lower-casing and removing all white space.
 */
import type { Answer } from '../qa/types.js';

export interface EvalQuestion {
  id: string;
  q: string;
  lang: 'ja' | 'en';
  scope: 'in' | 'out';
  evidence?: string[];
  facts?: string[][];
}

export interface EvalOutcome {
  question: EvalQuestion;
  answer: Answer;
  /** 1-based rank of the first source containing an evidence phrase; undefined when none does. */
  evidenceRank?: number;
  factsCovered: boolean;
}

export const squash = (text: string) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

export function parseEvalLines(text: string, file = 'questions'): EvalQuestion[] {
  return text
    .split('\n')
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line)
    .map(([line, n]) => {
      try {
        const q = JSON.parse(line) as EvalQuestion;
        if (typeof q.q !== 'string' || (q.scope !== 'in' && q.scope !== 'out')) throw new Error('needs "q" and "scope"');
        return { ...q, id: q.id ?? `line-${n}`, lang: q.lang ?? 'ja' };
      } catch (error) {
        throw new Error(`${file}:${n}: not a question line (${(error as Error).message})`);
      }
    });
}

/** 1-based rank of the first passage that holds one of the question's evidence phrases. */
export function evidenceRankIn(question: EvalQuestion, passages: string[]): number | undefined {
  const evidence = (question.evidence ?? []).map(squash);
  const index = passages.findIndex((p) => evidence.some((e) => squash(p).includes(e)));
  return index >= 0 ? index + 1 : undefined;
}

/** The two halves for honest tuning: odd ids form A, even ids B (shared/eval/README.md). */
export type Half = 'A' | 'B';

export function halfOf(question: Pick<EvalQuestion, 'id'>): Half | undefined {
  const digits = question.id.match(/(\d+)\D*$/);
  if (!digits) return undefined;
  return Number(digits[1]) % 2 === 1 ? 'A' : 'B';
}

export function judge(question: EvalQuestion, answer: Answer): EvalOutcome {
  const text = squash(answer.answer);
  const factsCovered = !answer.abstained && (question.facts ?? []).every((group) => group.some((f) => text.includes(squash(f))));
  return { question, answer, evidenceRank: evidenceRankIn(question, answer.sources.map((s) => s.text)), factsCovered };
}

export interface Figures {
  questions: number;
  inScope: number;
  hit1: number;
  hit3: number;
  hit5: number;
  mrr10: number;
  factCoverage: number;
  /** Out-of-scope questions answered with an abstention. */
  abstainedOut: number;
  /** In-scope questions wrongly refused. */
  refusedIn: number;
  /** Median length in characters of the in-scope answers that were not refused. */
  medianAnswerChars: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** hit@k and MRR@10 of any ranking, from the 1-based ranks of the first supporting passage. */
export function rankFigures(ranks: Array<number | undefined>): Pick<Figures, 'hit1' | 'hit3' | 'hit5' | 'mrr10'> {
  const share = (n: number) => (ranks.length ? n / ranks.length : 0);
  const hit = (k: number) => share(ranks.filter((r) => r !== undefined && r <= k).length);
  return { hit1: hit(1), hit3: hit(3), hit5: hit(5), mrr10: share(ranks.reduce<number>((s, r) => s + (r && r <= 10 ? 1 / r : 0), 0)) };
}

export function figures(outcomes: EvalOutcome[]): Figures {
  const inScope = outcomes.filter((o) => o.question.scope === 'in');
  const out = outcomes.filter((o) => o.question.scope === 'out');
  const share = (n: number, d: number) => (d ? n / d : 0);
  return {
    questions: outcomes.length,
    inScope: inScope.length,
    ...rankFigures(inScope.map((o) => o.evidenceRank)),
    factCoverage: share(inScope.filter((o) => o.factsCovered).length, inScope.length),
    abstainedOut: share(out.filter((o) => o.answer.abstained).length, out.length),
    refusedIn: share(inScope.filter((o) => o.answer.abstained).length, inScope.length),
    medianAnswerChars: median(inScope.filter((o) => !o.answer.abstained).map((o) => [...o.answer.answer].length)),
  };
}
