/**
 * The curated-answer matcher on the public questions (corpus/eval-questions.jsonl, the copy of
 * shared/eval/dev.jsonl): curated answers for five questions the plan cannot answer, with
 * fixture text, not real contact data. Those questions and two rewordings of each (one
 * colloquial, one with a typo; not the rewordings the threshold was fitted on) get their
 * curated answer; none of the other 139 public questions gets one.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTextStack } from '../../src/app/text-stack.js';
import { loadConfig } from '../../src/config.js';
import { parseEvalLines } from '../../src/eval/score.js';
import { createCuratedMatcher, CURATED_THRESHOLD, type ReplaceableCuratedMatcher } from '../../src/qa/curated-match.js';
import type { CuratedAnswer, CuratedMatcher } from '../../src/store/curated.js';

const config = loadConfig({});
const questions = parseEvalLines(readFileSync(path.join(config.corpusDir, 'eval-questions.jsonl'), 'utf8'));
const question = (id: string) => questions.find((q) => q.id === id)!.q;

/** id of the public question → the fixture answer and the two rewordings that must get it. */
const CURATED: Record<string, { answer: string; colloquial: string; typo: string }> = {
  'dev-191': { answer: '（テスト用）電話番号は 000-0000-0000 です。', colloquial: '県民活動支援センターの電話番号おしえて', typo: 'やまぐち県民活動支援センターの電和番号を教えてください' },
  'dev-192': { answer: '（テスト用）所在地は テスト市テスト町1-1 です。', colloquial: '県民活動支援センターの住所どこ？', typo: '県民活動支援センタの住所ってどこ？' },
  'dev-193': { answer: '（テスト用）9時から17時まで、日曜は休みです。', colloquial: '支援センターって何時から何時まで開いてるの？日曜日も使える？', typo: '県民活動支援センターは何時から何時まで開いていますか？日曜日も利用できまか' },
  'dev-194': { answer: '（テスト用）今年度の締切は 0月0日 です。', colloquial: 'きらめき財団の助成金って今年度の申請締切いつ？', typo: '山口きらめき財団の助成金の今年度の申請締切わいつですか' },
  'dev-203': { answer: '（テスト用）申込みは 0月0日 までです。', colloquial: 'ボランティア・チャレンジに参加したいけど申込みの締切っていつなの', typo: 'ボランティアチャレンジに参加したいんだけど申込み締め切りいつ？' },
};

const answers: CuratedAnswer[] = Object.entries(CURATED).map(([id, c], i) => ({
  id: i + 1,
  phrasings: [question(id)],
  answer: c.answer,
  sectionId: null,
  authorHash: 'fixture',
  createdAt: new Date('2026-12-01T00:00:00Z'),
  updatedAt: new Date('2026-12-01T00:00:00Z'),
  active: true,
}));

let matcher: ReplaceableCuratedMatcher<CuratedAnswer>;
beforeAll(async () => {
  const { analyzer } = await loadTextStack(config);
  matcher = createCuratedMatcher<CuratedAnswer>({ analyzer });
  // With the store's answers it is the contract's matcher.
  const contract: CuratedMatcher = matcher;
  expect(contract.match(question('dev-191'))).toBeUndefined();
  matcher.replace(answers);
}, 30_000);

describe('curated-answer matching on the public questions', () => {
  it.each(Object.entries(CURATED))('%s, a colloquial rewording and a mistyped one get its curated answer', (id, c) => {
    for (const text of [question(id), c.colloquial, c.typo]) {
      const found = matcher.match(text);
      expect(found?.answer.answer, text).toBe(c.answer);
      expect(found!.score).toBeGreaterThanOrEqual(CURATED_THRESHOLD);
    }
  });

  it('gives none of the other 139 public questions a curated answer', () => {
    const others = questions.filter((q) => !(q.id in CURATED));
    expect(others).toHaveLength(139);
    const matched = others.map((q) => [q.id, q.q, matcher.match(q.q)?.answer.phrasings[0]] as const).filter(([, , m]) => m);
    expect(matched).toEqual([]);
  });

  it('ignores answers switched off, and an empty set matches nothing', () => {
    matcher.replace(answers.map((a) => ({ ...a, active: a.id !== 1 })));
    expect(matcher.match(question('dev-191'))).toBeUndefined();
    expect(matcher.match(question('dev-192'))?.answer.id).toBe(2);
    matcher.replace([]);
    expect(matcher.match(question('dev-192'))).toBeUndefined();
    matcher.replace(answers);
  });
});
