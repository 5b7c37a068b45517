/**
 * Curated answers in the conversation layer, over a real SQLite store and the real analyzer:
 * a matching question is answered with the curated text under the center's label, with the
 * named plan passage (read from a live index's chunks.json) as its source; the answer service
 * is not asked; the question log records which curated answer it was; an answer saved later
 * is picked up by the reload.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveCuratedMatcher, type LiveCuratedMatcher } from '../../src/app/live-curated.js';
import { createQuestionRecorder } from '../../src/app/question-recorder.js';
import { loadTextStack } from '../../src/app/text-stack.js';
import { loadConfig } from '../../src/config.js';
import { curatedLabel } from '../../src/conversation/curated-answer.js';
import { createLogger } from '../../src/logger.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import { createPassageLookup } from '../../src/qa/passage-lookup.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { BotStore } from '../../src/store/store.js';
import { testConversation } from '../helpers/conversation.js';
import { answerFor } from '../channels/line/harness.js';

const silent = createLogger('silent');
// 2026-11-30 16:00 UTC is 2026-12-01 01:00 in Japan: the label says December.
const SAVED_AT = Date.UTC(2026, 10, 30, 16, 0);
let dir: string;
let store: BotStore;
let live: LiveCuratedMatcher;
const asked: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bot-curated-'));
  // A live index as `npm run index` leaves it: the pointer and the build's chunks.
  mkdirSync(path.join(dir, 'index', 'builds', 'b1'), { recursive: true });
  writeFileSync(path.join(dir, 'index', 'current.json'), JSON.stringify({ build: 'b1', previous: [] }));
  writeFileSync(
    path.join(dir, 'index', 'builds', 'b1', 'chunks.json'),
    JSON.stringify([{ id: 's40-1', section: '本文 > 第5章 施策の展開方向 > (1) 県民活動支援センターの機能強化', text: '県民活動支援センターの機能を強化する。', part: '本文' }]),
  );
  store = await openSqliteStore({ path: path.join(dir, 'bot.sqlite'), logger: silent, now: () => SAVED_AT });
  await store.curated.add({ phrasings: ['やまぐち県民活動支援センターの電話番号を教えてください'], answer: '（テスト用）000-0000-0000 です。', sectionId: 's40-1', author: 'cli' });
  const { analyzer } = await loadTextStack(loadConfig({}));
  live = createLiveCuratedMatcher({ curated: store.curated, loadAnalyzer: async () => analyzer, reloadMs: 100, logger: silent });
  await live.ready;
}, 30_000);

afterAll(async () => {
  live.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function ask(text: string, onDelta?: (t: string) => void) {
  const answers = createFixedAnswerService((q) => (asked.push(q), answerFor(q)));
  const { conversation } = testConversation(answers, {
    curated: live,
    passage: createPassageLookup(path.join(dir, 'index')),
    log: createQuestionRecorder({ store, logger: silent, llmConfigured: false }),
  });
  return conversation.ask({ channel: 'line', userKey: 'line:U1', text, onDelta });
}

describe('curated answers in the conversation', () => {
  it('answers a matching question with the curated text, labelled, with the named section as its source', async () => {
    const outcome = await ask('支援センターの電話番号っておしえて');
    expect(outcome.kind).toBe('answered');
    if (outcome.kind !== 'answered') return;
    expect(curatedLabel(new Date(SAVED_AT))).toBe('やまぐち県民活動支援センターの回答（2026年12月登録）');
    expect(outcome.answer.answer).toBe('やまぐち県民活動支援センターの回答（2026年12月登録）\n（テスト用）000-0000-0000 です。');
    expect(outcome.answer).toMatchObject({ mode: 'curated', abstained: false, curatedId: 1 });
    expect(outcome.answer.sources).toEqual([{ rank: 1, score: 1, section: '本文 > 第5章 施策の展開方向 > (1) 県民活動支援センターの機能強化', text: '県民活動支援センターの機能を強化する。', chunkId: 's40-1' }]);
    expect(asked).toEqual([]);
  });

  it('streams the curated text at once, and a question it does not match goes to the answer service', async () => {
    const deltas: string[] = [];
    const outcome = await ask('やまぐち県民活動支援センターの電話番号を教えてください', (t) => deltas.push(t));
    expect(deltas.join('')).toContain('000-0000-0000');
    expect(outcome.kind === 'answered' && outcome.answer.mode).toBe('curated');
    const other = await ask('県民活動支援センターの住所ってどこ？');
    expect(other.kind === 'answered' && other.answer.mode).toBe('extractive');
    expect(asked).toEqual(['県民活動支援センターの住所ってどこ？']);
  });

  it('logs which curated answer was given, and the report counts it', async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const report = await store.report({ since: new Date(0) });
    expect(report.curated).toEqual([{ id: 1, title: 'やまぐち県民活動支援センターの電話番号を教えてください', count: 2 }]);
  });

  it('picks up an answer saved after start, and drops one switched off, at the next reload', async () => {
    const hours = await store.curated.add({ phrasings: ['県民活動支援センターの開館時間は？'], answer: '（テスト用）9時から', author: 'admin' });
    await expect.poll(async () => (await ask('県民活動支援センターって何時から開いてる？')).kind === 'answered' && live.match('県民活動支援センターの開館時間は？')?.answer.id, { timeout: 3000 }).toBe(hours.id);
    await store.curated.update(hours.id, { active: false, author: 'admin' });
    await expect.poll(() => live.match('県民活動支援センターの開館時間は？'), { timeout: 3000 }).toBeUndefined();
  });

  it('answers at once after a save and a reload, even with a read under way, without waiting for the timer', async () => {
    const slow = createLiveCuratedMatcher({ curated: store.curated, loadAnalyzer: async () => (await loadTextStack(loadConfig({}))).analyzer, reloadMs: 3_600_000, logger: silent });
    await slow.ready;
    // A read started before the save must not stand for the reload asked for after it.
    const before = slow.reload();
    const deadline = await store.curated.add({ phrasings: ['きらめき財団の助成金の申請締切はいつですか'], answer: '（テスト用）0月0日', author: 'slack:T1:U1' });
    await Promise.all([before, slow.reload()]);
    expect(slow.match('きらめき財団の助成金の申請締切っていつ？')?.answer.id).toBe(deadline.id);
    await store.curated.update(deadline.id, { active: false, author: 'slack:T1:U1' });
    await slow.reload();
    expect(slow.match('きらめき財団の助成金の申請締切っていつ？')).toBeUndefined();
    slow.close();
  });
});
