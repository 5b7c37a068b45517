/**
 * With a model configured, the model decides: every answerable public question reaches it
 * (at least 95 %), and only the refusals the offline step is sure of (a kind of data the plan
 * prints nowhere, a name or a year it never mentions, a topic it never speaks of) are kept
 * from it. Against the fake OpenAI-compatible server on 127.0.0.1.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultAnswerService } from '../../src/app/local-answers.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { parseEvalLines } from '../../src/eval/score.js';
import { silentLogger } from '../../src/logger.js';
import type { AnswerService } from '../../src/qa/types.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';

let fake: FakeOpenAI;
let indexDir: string;
let answers: AnswerService;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  fake.setChatReply({ text: '計画によれば次のとおりです[1]。' });
  indexDir = await fs.mkdtemp(path.join(os.tmpdir(), 'kenmin-reach-'));
  const config = loadConfig({ INDEX_DIR: indexDir, OPENAI_BASE_URL: fake.baseURL, LLM_TIMEOUT_MS: '2000' });
  ({ answers } = await createDefaultAnswerService(config, silentLogger));
}, 60_000);

afterAll(async () => {
  await fake.close();
  await fs.rm(indexDir, { recursive: true, force: true });
});

describe('which questions reach the model', () => {
  it('sends at least 95 % of the answerable public questions to the model, with their passages', async () => {
    const questions = parseEvalLines(await fs.readFile(path.join(PROJECT_ROOT, 'corpus/eval-questions.jsonl'), 'utf8'));
    const answerable = questions.filter((q) => q.scope === 'in');
    let reached = 0;
    for (const q of answerable) {
      const before = fake.chatBodies().length;
      const answer = await answers.answer(q.q);
      if (fake.chatBodies().length > before) {
        reached++;
        expect(answer.mode).toBe('llm');
      }
    }
    expect(reached / answerable.length).toBeGreaterThanOrEqual(0.95);
  }, 120_000);

  it.each(['やまぐち県民活動支援センターの電話番号を教えてください', '広島県の県民活動促進計画の基本目標は何ですか', '明日の天気を教えて'])(
    'keeps 「%s」 from the model: the plan cannot hold the answer',
    async (question) => {
      const before = fake.chatBodies().length;
      const answer = await answers.answer(question);
      expect(fake.chatBodies().length).toBe(before);
      expect(answer.abstained).toBe(true);
      expect(answer.mode).toBe('extractive');
    },
  );
});
