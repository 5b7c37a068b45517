/** The threshold fit: least cost (a wrong curated answer costs two misses), in the middle of its gap. */
import { describe, expect, it } from 'vitest';
import { figuresAt, fitThreshold, parseRewordings, type FitCase } from '../../src/eval/curated-fit.js';

const pos = (score: number, best = 'a'): FitCase => ({ text: 'p', expected: 'a', best, score });
const neg = (score: number): FitCase => ({ text: 'n', best: 'a', score });

describe('curated threshold fit', () => {
  it('puts the threshold in the gap between the questions without an answer and the rewordings', () => {
    const fit = fitThreshold([pos(0.9), pos(0.7), neg(0.5), neg(0.2)]);
    expect(fit.threshold).toBeCloseTo(0.6);
    expect(fit).toMatchObject({ matched: 2, rewordings: 2, wrong: 0, questions: 4 });
  });

  it('misses a rewording rather than give a wrong answer, and counts a rewording given another answer as wrong', () => {
    const fit = fitThreshold([pos(0.9), pos(0.4), neg(0.5)]);
    expect(fit.threshold).toBeCloseTo(0.7);
    expect(figuresAt([pos(0.9, 'b')], 0.5)).toMatchObject({ matched: 0, wrong: 1 });
  });

  it('says which line of a rewordings file is malformed', () => {
    expect(parseRewordings('{"id":"dev-1","rewordings":["a"]}\n')).toEqual([{ id: 'dev-1', rewordings: ['a'] }]);
    expect(() => parseRewordings('{"id":"dev-1"}', 'r.jsonl')).toThrow(/r\.jsonl:1/);
  });
});
