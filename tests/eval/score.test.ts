/** Eval scoring (shared/eval/README.md figures) on hand-made answers. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { createBigramBaseline, cjkBigrams } from '../../src/eval/baseline.js';
import { evidenceRankIn, figures, halfOf, judge, median, parseEvalLines, rankFigures, squash, type EvalQuestion } from '../../src/eval/score.js';
import type { Answer } from '../../src/qa/types.js';

const answer = (text: string, sourceTexts: string[], abstained = false): Answer => ({
  answer: text,
  abstained,
  mode: 'extractive',
  language: 'ja',
  sources: sourceTexts.map((t, i) => ({ rank: i + 1, score: 1 / (i + 1), section: `本文 > s${i}`, text: t, chunkId: `c${i}` })),
});

const dormant: EvalQuestion = {
  id: 'q1',
  q: '休眠預金とは何ですか？',
  lang: 'ja',
  scope: 'in',
  evidence: ['休眠預金等活用法'],
  facts: [['休眠預金'], ['民間公益活動', '公益に資する活動']],
};
const weather: EvalQuestion = { id: 'q2', q: '明日の天気は？', lang: 'ja', scope: 'out' };

describe('judge', () => {
  it('finds the rank of the first source holding an evidence phrase, ignoring width, case and spaces', () => {
    const outcome = judge(dormant, answer('…', ['寄附の話', '「休眠預金等 活用法」が施行', '休眠預金等活用法']));
    expect(outcome.evidenceRank).toBe(2);
    expect(judge({ ...dormant, evidence: ['ＮＰＯ法人'] }, answer('…', ['npo 法人の認定'])).evidenceRank).toBe(1);
  });

  it('leaves the rank undefined when no source holds the evidence', () => {
    expect(judge(dormant, answer('…', ['寄附の話'])).evidenceRank).toBeUndefined();
  });

  it('counts the facts covered when every group has one of its alternatives in the answer', () => {
    expect(judge(dormant, answer('休眠預金を公益に資する活動に使います。', [])).factsCovered).toBe(true);
    expect(judge(dormant, answer('休眠預金の話です。', [])).factsCovered).toBe(false);
  });

  it('never counts facts in an abstention', () => {
    expect(judge(dormant, answer('休眠預金を民間公益活動に使います。', [], true)).factsCovered).toBe(false);
  });
});

describe('figures', () => {
  it('computes hit@k, MRR@10, fact coverage and abstention rates', () => {
    const q = (id: string, scope: 'in' | 'out' = 'in'): EvalQuestion => ({ ...dormant, id, scope });
    const ranked = (rank: number | undefined, facts = false) => {
      const sources = Array.from({ length: 10 }, (_, i) => (i + 1 === rank ? '休眠預金等活用法' : 'ほかの話'));
      return answer(facts ? '休眠預金を民間公益活動に' : '…', sources);
    };
    const outcomes = [
      judge(q('a'), ranked(1, true)),
      judge(q('b'), ranked(3)),
      judge(q('c'), ranked(5)),
      judge(q('d'), answer('計画には書かれていません', [], true)),
      judge(q('e', 'out'), answer('計画には書かれていません', [], true)),
      judge(q('f', 'out'), ranked(1)),
    ];
    const f = figures(outcomes);
    expect(f).toMatchObject({ questions: 6, inScope: 4, hit1: 0.25, hit3: 0.5, hit5: 0.75, factCoverage: 0.25, abstainedOut: 0.5, refusedIn: 0.25 });
    expect(f.mrr10).toBeCloseTo((1 + 1 / 3 + 1 / 5) / 4);
  });

  it('gives zeros, not NaN, for no questions', () => {
    expect(Object.values(figures([])).every((v) => v === 0)).toBe(true);
  });

  it('scores an out-of-scope answer only on abstention', () => {
    expect(figures([judge(weather, answer('天気は晴れ', []))])).toMatchObject({ inScope: 0, abstainedOut: 0, hit1: 0 });
  });
});

describe('parseEvalLines', () => {
  it('reads the real eval questions', () => {
    const file = path.join(PROJECT_ROOT, 'corpus/eval-questions.jsonl');
    const questions = parseEvalLines(fs.readFileSync(file, 'utf8'), file);
    expect(questions.length).toBeGreaterThanOrEqual(20);
    expect(questions.some((q) => q.scope === 'out')).toBe(true);
    expect(new Set(questions.map((q) => q.id)).size).toBe(questions.length);
  });

  it('fills in the id and language, and skips blank lines', () => {
    expect(parseEvalLines('\n{"q":"休眠預金とは","scope":"in"}\n')).toEqual([{ q: '休眠預金とは', scope: 'in', id: 'line-2', lang: 'ja' }]);
  });

  it.each([
    ['not JSON', '{"q":'],
    ['no question', '{"scope":"in"}'],
    ['a wrong scope', '{"q":"x","scope":"maybe"}'],
  ])('names the file and line of %s', (_name, line) => {
    expect(() => parseEvalLines(`{"q":"ok","scope":"in"}\n${line}`, 'eval.jsonl')).toThrow(/^eval\.jsonl:2: not a question line/);
  });
});

describe('squash', () => {
  it('folds width and case and removes all white space', () => {
    expect(squash(' ＮＰＯ 法人\n')).toBe('npo法人');
  });
});

describe('halves and rankings', () => {
  it('puts odd ids in half A and even ids in half B', () => {
    expect(['dev-01', 'dev-101', 'dev-220', 'dev-24'].map((id) => halfOf({ id }))).toEqual(['A', 'A', 'B', 'B']);
    expect(halfOf({ id: 'no-number' })).toBeUndefined();
  });

  it('scores any ranking from the ranks of its first supporting passage', () => {
    const f = rankFigures([1, 3, undefined, 12]);
    expect(f).toMatchObject({ hit1: 0.25, hit3: 0.5, hit5: 0.5 });
    expect(f.mrr10).toBeCloseTo((1 + 1 / 3) / 4);
    expect(evidenceRankIn(dormant, ['寄附', '「休眠預金等 活用法」'])).toBe(2);
  });

  it('gives the median answer length of answered in-scope questions', () => {
    const f = figures([judge(dormant, answer('12345', [])), judge(dormant, answer('123', [])), judge(dormant, answer('1234567', [], true))]);
    expect(f.medianAnswerChars).toBe(4);
    expect(median([3, 1, 2])).toBe(2);
  });
});

describe('the bigram BM25 baseline', () => {
  const plan = fs.readFileSync(path.join(PROJECT_ROOT, 'corpus/yamaguchi-kenmin-katsudo-plan-3rd-revision.txt'), 'utf8');
  const search = createBigramBaseline(plan);

  it('returns 400-character windows of the plan, best first', () => {
    const windows = search('休眠預金等活用法はいつ施行されましたか');
    expect(windows.length).toBeGreaterThan(1);
    expect(windows.every((w) => [...w].length <= 400)).toBe(true);
    expect(evidenceRankIn(dormant, windows)).toBe(1);
  });

  it('splits text into character pairs, with white space and punctuation breaking runs', () => {
    expect(cjkBigrams('ＮＰＯ法人、寄附')).toEqual(['np', 'po', 'o法', '法人', '寄附']);
  });

  it('finds nothing for a question that shares no character pair with the plan', () => {
    expect(search('ｘｙｚｗ')).toEqual([]);
  });
});
