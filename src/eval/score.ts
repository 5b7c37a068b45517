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

export function judge(question: EvalQuestion, answer: Answer): EvalOutcome {
  const evidence = (question.evidence ?? []).map(squash);
  const index = answer.sources.findIndex((s) => evidence.some((e) => squash(s.text).includes(e)));
  const text = squash(answer.answer);
  const factsCovered = !answer.abstained && (question.facts ?? []).every((group) => group.some((f) => text.includes(squash(f))));
  return { question, answer, evidenceRank: index >= 0 ? index + 1 : undefined, factsCovered };
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
}

export function figures(outcomes: EvalOutcome[]): Figures {
  const inScope = outcomes.filter((o) => o.question.scope === 'in');
  const out = outcomes.filter((o) => o.question.scope === 'out');
  const share = (n: number, d: number) => (d ? n / d : 0);
  const hit = (k: number) => share(inScope.filter((o) => o.evidenceRank !== undefined && o.evidenceRank <= k).length, inScope.length);
  return {
    questions: outcomes.length,
    inScope: inScope.length,
    hit1: hit(1),
    hit3: hit(3),
    hit5: hit(5),
    mrr10: share(inScope.reduce((s, o) => s + (o.evidenceRank && o.evidenceRank <= 10 ? 1 / o.evidenceRank : 0), 0), inScope.length),
    factCoverage: share(inScope.filter((o) => o.factsCovered).length, inScope.length),
    abstainedOut: share(out.filter((o) => o.answer.abstained).length, out.length),
    refusedIn: share(inScope.filter((o) => o.answer.abstained).length, inScope.length),
  };
}
