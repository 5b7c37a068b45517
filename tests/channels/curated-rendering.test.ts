/**
 * A curated answer as each channel shows it: /api/ask (JSON, through the real server and the
 * conversation with the real matcher), LINE's text message and Slack's blocks: the center's
 * label over the text, and the named plan section as the source.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTextStack } from '../../src/app/text-stack.js';
import { answerMessages } from '../../src/channels/line/messages.js';
import { answerBlocks } from '../../src/channels/slack/blocks.js';
import { loadConfig } from '../../src/config.js';
import { curatedAnswerOf } from '../../src/conversation/curated-answer.js';
import { createCuratedMatcher } from '../../src/qa/curated-match.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import type { CuratedAnswer } from '../../src/store/curated.js';
import { TEST_INFO, TEST_PLAN } from '../helpers/conversation.js';
import { sampleAnswer, startWebServer, type WebServer } from './web/harness.js';

const PHONE: CuratedAnswer = {
  id: 7,
  phrasings: ['やまぐち県民活動支援センターの電話番号を教えてください'],
  answer: '（テスト用）000-0000-0000 です。',
  sectionId: 's40-1',
  authorHash: 'h',
  createdAt: new Date('2026-12-02T03:00:00Z'),
  updatedAt: new Date('2026-12-02T03:00:00Z'),
  active: true,
};
const SOURCE = { rank: 1, score: 1, section: '本文 > 第5章 施策の展開方向 > (1) 県民活動支援センターの機能強化', text: '県民活動支援センターの機能を強化する。', chunkId: 's40-1' };
const LABEL = 'やまぐち県民活動支援センターの回答（2026年12月登録）';

let web: WebServer;
beforeAll(async () => {
  const { analyzer } = await loadTextStack(loadConfig({}));
  const curated = createCuratedMatcher<CuratedAnswer>({ analyzer });
  curated.replace([PHONE]);
  web = await startWebServer({ answers: createFixedAnswerService((q) => sampleAnswer(q), TEST_INFO), curated });
}, 30_000);
afterAll(() => web.close());

describe('a curated answer in each channel', () => {
  it('/api/ask answers with the curated text, mode curated and its id', async () => {
    const res = await fetch(`${web.baseUrl}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '支援センターの電話番号っておしえて' }) });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ answer: `${LABEL}\n（テスト用）000-0000-0000 です。`, abstained: false, mode: 'curated', curatedId: 7 });
    const other = await (await fetch(`${web.baseUrl}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: '休眠預金とは？' }) })).json();
    expect(other.mode).not.toBe('curated');
    expect(other.curatedId).toBeUndefined();
  });

  it('LINE shows the label, the text and the section as 出典', () => {
    const [message] = answerMessages(curatedAnswerOf(PHONE, SOURCE), { question: 'q', evidenceData: 'e' }) as Array<{ text: string }>;
    expect(message.text).toMatch(new RegExp(`^${LABEL}\\n（テスト用）000-0000-0000 です。\\n\\n出典: 第5章 施策の展開方向 › \\(1\\) 県民活動支援センターの機能強化`));
  });

  it('Slack shows the label and the text, and the section under 出典', () => {
    const { blocks } = answerBlocks(curatedAnswerOf(PHONE, SOURCE), { id: 'a1', plan: TEST_PLAN });
    const json = JSON.stringify(blocks);
    expect(json).toContain(LABEL);
    expect(json).toContain('県民活動支援センターの機能強化');
    // Without a section there is no source, and no 出典.
    expect(JSON.stringify(answerBlocks(curatedAnswerOf({ ...PHONE, sectionId: null }), { id: 'a2', plan: TEST_PLAN }).blocks)).not.toContain('出典');
  });
});
