/**
 * What the answer service refuses, and how: questions the plan does not cover get a polite
 * abstention pointing to the support center; unusable questions a QuestionError; huge ones are cut.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isQuestionError } from '../../src/errors.js';
import type { AnswerService } from '../../src/qa/types.js';
import { tempAnswerService } from '../helpers/temp-index.js';

let answers: AnswerService;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ answers, cleanup } = await tempAnswerService());
}, 60_000);
afterAll(() => cleanup());

describe('questions the plan does not cover', () => {
  it.each([
    ['明日の天気を教えて', 'ja'],
    ['おすすめのラーメン屋はどこですか', 'ja'],
    ["What's the capital of France?", 'en'],
  ])('abstains on 「%s」 and points to the support center', async (question, language) => {
    const answer = await answers.answer(question);
    expect(answer.abstained).toBe(true);
    expect(answer.sources).toEqual([]);
    expect(answer.language).toBe(language);
    expect(answer.answer).toContain('やまぐち県民活動支援センター');
    expect(answer.answer).not.toContain('出典');
  });

  it('abstains in English for an English question, naming the plan as plans.json does', async () => {
    const answer = await answers.answer("What's the capital of France?");
    // France is a name the plan never mentions: the refusal says so.
    expect(answer.answer).toMatch(/^Sorry, the Yamaguchi Prefecture civic-activity plan \(3rd revision\) is Yamaguchi Prefecture's and does not mention "france"/);
  });

  it('names the plan of the live index in a Japanese refusal', async () => {
    const answer = await answers.answer('明日の天気を教えて');
    expect(answer.answer).toContain('「山口県県民活動促進基本計画（第3次改定）」には書かれていないようです');
  });
});

describe('questions that cannot be looked up', () => {
  it.each([
    ['an empty question', ''],
    ['white space only', '   \n '],
    ['symbols only', '？！？！'],
    ['emoji only', '🙂🙂🙂'],
  ])('rejects %s with a QuestionError the user can read', async (_name, question) => {
    const error = await answers.answer(question).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isQuestionError(error)).toBe(true);
    expect((error as Error).message).toMatch(/質問.*入力してください/);
  });
});

describe('a 20,000-character question', () => {
  it('is cut, answered without crashing, and the answer says it was shortened', async () => {
    const question = '休眠預金の活用について教えてください。'.repeat(1100).slice(0, 20_000);
    expect(question).toHaveLength(20_000);
    const started = Date.now();
    const answer = await answers.answer(question);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answer.abstained).toBe(false);
    expect(answer.answer).toMatch(/^（ご質問が長いため、最初の部分で調べました）\n/);
    expect(answer.sources[0].section).toMatch(/休眠預金/);
  });

  it('is refused without crashing when its beginning is off-topic, and the refusal says it was shortened', async () => {
    const answer = await answers.answer('明日の天気を教えて。'.repeat(2_000));
    expect(answer.abstained).toBe(true);
    expect(answer.sources).toEqual([]);
    // Issue 2: the user must learn that only the beginning was read, refused or not.
    expect(answer.answer).toContain('ご質問が長いため');
  });
});
