/** The pure parts of re-indexing: the section diff, the regression gate's verdict, stale temp cleanup. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Section } from '../../src/corpus/section.js';
import { compareRuns } from '../../src/eval/regression-gate.js';
import type { EvalOutcome, EvalQuestion } from '../../src/eval/score.js';
import { diffSections } from '../../src/index/diff-sections.js';
import { buildsDir } from '../../src/index/index-paths.js';
import { removeStaleTemps } from '../../src/index/stale-builds.js';
import type { Answer } from '../../src/qa/types.js';

const section = (headings: string[], text: string, part = '本文'): Section => ({ part, headings, text, line: 1 });

describe('diffSections', () => {
  it('matches by heading path, ignores layout white space, and matches a repeated path in order', () => {
    const before = [section(['第1章', '(1) a'], '同じ 文'), section(['第1章', '(2) b'], 'x'), section(['第1章', '(2) b'], 'y'), section(['第2章'], 'gone')];
    const after = [section(['第1章', '(1) a'], '同じ\n文'), section(['第1章', '(2) b'], 'x'), section(['第1章', '(2) b'], 'y2'), section(['第1章', '(2) b'], 'z'), section(['第3章'], 'new')];
    expect(diffSections(before, after)).toEqual({
      added: ['本文 > 第1章 > (2) b', '本文 > 第3章'],
      removed: ['本文 > 第2章'],
      changed: ['本文 > 第1章 > (2) b'],
      unchanged: 2,
    });
  });

  it('tells parts apart: the same headings in 資料2 and 本文 are different sections', () => {
    const diff = diffSections([section(['第5章'], 'a', '資料2')], [section(['第5章'], 'a', '本文')]);
    expect(diff).toMatchObject({ added: ['本文 > 第5章'], removed: ['資料2 > 第5章'] });
  });
});

const question = (id: string): EvalQuestion => ({ id, q: id, lang: 'ja', scope: 'in', evidence: ['e'] });
const outcome = (id: string, evidenceRank?: number): EvalOutcome => ({
  question: question(id),
  answer: { answer: '', abstained: false, mode: 'extractive', language: 'ja', sources: [] } as Answer,
  evidenceRank,
  factsCovered: false,
});
const ids = Array.from({ length: 20 }, (_, i) => `q${i}`);

describe('compareRuns', () => {
  it('passes a build that keeps every answer, even with evidence moving down within the top 5', () => {
    const report = compareRuns(ids.map((id) => outcome(id, 1)), ids.map((id, i) => outcome(id, i < 2 ? 4 : 1)));
    expect(report.reasons).toEqual([]);
    expect(report.hit3Drop).toBeCloseTo(0.1);
  });

  it('blocks a build where a question loses its evidence from the top 5, naming it', () => {
    const report = compareRuns(ids.map((id) => outcome(id, 2)), ids.map((id) => outcome(id, id === 'q7' ? 6 : 2)));
    expect(report.lost.map((r) => r.question.id)).toEqual(['q7']);
    expect(report.reasons.join()).toContain('q7');
  });

  it('blocks a build whose hit@3 drops by more than 0.1 without losing an answer', () => {
    const report = compareRuns(ids.map((id) => outcome(id, 1)), ids.map((id, i) => outcome(id, i < 3 ? 5 : 1)));
    expect(report.lost).toEqual([]);
    expect(report.reasons).toEqual([expect.stringContaining('hit@3 drops by 0.15')]);
  });

  it('reports questions that gain evidence, without blocking', () => {
    const report = compareRuns([outcome('q0'), outcome('q1', 1)], [outcome('q0', 3), outcome('q1', 1)]);
    expect(report.gained.map((r) => r.question.id)).toEqual(['q0']);
    expect(report.reasons).toEqual([]);
  });
});

describe('removeStaleTemps', () => {
  it('removes only .tmp-* folders older than the limit', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'stale-'));
    try {
      for (const name of ['.tmp-old', '.tmp-young', 'old-build']) await fs.mkdir(path.join(buildsDir(dir), name), { recursive: true });
      const old = new Date(Date.now() - 60 * 60_000);
      await fs.utimes(path.join(buildsDir(dir), '.tmp-old'), old, old);
      await fs.utimes(path.join(buildsDir(dir), 'old-build'), old, old);
      expect(await removeStaleTemps(dir)).toEqual(['.tmp-old']);
      expect((await fs.readdir(buildsDir(dir))).sort()).toEqual(['.tmp-young', 'old-build']);
      expect(await removeStaleTemps(path.join(dir, 'nothing-here'))).toEqual([]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
