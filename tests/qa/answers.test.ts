/**
 * Retrieval and extractive answers through the answer service the bot runs (createDefaultAnswerService,
 * offline), over the real plan built into a temporary INDEX_DIR.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUps } from '../../src/conversation/types.js';
import type { Answer, AnswerService } from '../../src/qa/types.js';
import { tempAnswerService } from '../helpers/temp-index.js';

let answers: AnswerService;
let followUps: FollowUps;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ answers, followUps, cleanup } = await tempAnswerService());
}, 60_000);
afterAll(() => cleanup());

/** A phone-sized answer quoting the plan, with the section it comes from. */
function expectCitedJapaneseAnswer(answer: Answer) {
  expect(answer.abstained).toBe(false);
  expect(answer.mode).toBe('extractive');
  expect(answer.language).toBe('ja');
  expect(answer.answer.length).toBeLessThan(400);
  expect(answer.answer).toMatch(/（出典: [^）]+）$/);
  expect(answer.sources.length).toBeGreaterThan(0);
  expect(answer.sources.map((s) => s.rank)).toEqual(answer.sources.map((_, i) => i + 1));
}

describe('answers in Japanese', () => {
  it.each([
    ['休眠預金とは何ですか', /休眠預金の活用等による民間公益活動の促進$/, '休眠預金'],
    ['認定NPO法人になるにはどうすればいいですか？', /認定NPO法人への移行促進$/, '認定NPO法人'],
    ['あいかさねっとって何？', /あいかさねっと/, 'あいかさねっと'],
    // The definition section, not its neighbour under the chapter 「県民活動の定義と役割等」; an adverb before 何 changes nothing.
    ['県民活動って何', /> 1 県民活動の定義$/, '営利を目的としない'],
    ['県民活動ってそもそも何？', /> 1 県民活動の定義$/, '営利を目的としない'],
  ])('answers 「%s」 from the right section', async (question, section, term) => {
    const answer = await answers.answer(question);
    expectCitedJapaneseAnswer(answer);
    expect(answer.sources[0].section).toMatch(section);
    expect(answer.sources[0].section.startsWith('本文 > ')).toBe(true);
    expect(answer.answer).toContain(term);
    // What the answer quotes is in a source it lists.
    const quoted = answer.answer.split('\n')[1].split('。')[0];
    expect(answer.sources.some((s) => s.text.includes(quoted))).toBe(true);
  });

  it('answers what 休眠預金 is with the law that started it, in a frame that names the plan', async () => {
    const answer = await answers.answer('休眠預金とは何ですか');
    expect(answer.answer).toMatch(/^「山口県県民活動促進基本計画（第3次改定）」には次のように書かれています。\n/);
    expect(answer.answer).toContain('休眠預金等活用法');
    expect(answer.answer).toContain('（出典: ');
  });

  it.each([
    ['half-width katakana and a glossary variant', 'ｸﾗﾌｧﾝとは何ですか', /クラウドファンディング/],
    ['full-width letters and 寄付 for 寄附', 'ＮＰＯ法人への寄付について', /NPO法人|寄附/],
    ['a variant spelling', '休眠口座の活用について教えて', /休眠預金/],
    ['a misspelled katakana variant', 'アイカサネットとは', /あいかさねっと/],
  ])('finds the passage despite %s: 「%s」', async (_name, question, section) => {
    const answer = await answers.answer(question);
    expectCitedJapaneseAnswer(answer);
    expect(answer.sources[0].section).toMatch(section);
  });
});

describe('answers in English', () => {
  it('answers "What is dormant deposit funding?" in an English frame, citing the section', async () => {
    const answer = await answers.answer('What is dormant deposit funding?');
    expect(answer.abstained).toBe(false);
    expect(answer.language).toBe('en');
    // An English lead naming the plan's term, then the Japanese quote.
    expect(answer.answer).toMatch(/^The plan's term for "dormant deposit" is 休眠預金\.\nThe plan says \(in Japanese\):\n/);
    expect(answer.answer).toMatch(/\n\(Source: .*休眠預金.*\)$/);
    expect(answer.answer).toContain('休眠預金');
    expect(answer.sources[0].section).toMatch(/休眠預金の活用等による民間公益活動の促進$/);
    expect(answer.answer.length).toBeLessThan(400);
  });
});

describe('follow-up questions (the conversation layer\'s step, then the answer service)', () => {
  it('carries the topic of the previous question into 「それはいつから施行されましたか」', async () => {
    const first = await answers.answer('休眠預金とは何ですか');
    const resolved = await followUps.resolve('それはいつから施行されましたか', [{ question: '休眠預金とは何ですか', answer: first.answer }]);
    expect(resolved).toEqual({ lookup: '休眠預金はいつから施行されましたか', followUp: true });
    const followUp = await answers.answer(resolved.lookup);
    expect(followUp.standaloneQuestion).toContain('休眠預金');
    expect(followUp.abstained).toBe(false);
    expect(followUp.sources[0].section).toMatch(/休眠預金の活用等による民間公益活動の促進$/);
    expect(followUp.answer).toContain('平成30年1月');
  });

  it('looks a standalone question up as it is, whatever came before', async () => {
    const resolved = await followUps.resolve('あいかさねっとって何？', [{ question: '休眠預金とは何ですか', answer: '…' }]);
    expect(resolved).toEqual({ lookup: 'あいかさねっとって何？', followUp: false });
    const answer = await answers.answer(resolved.lookup);
    expect(answer.standaloneQuestion).toBe('あいかさねっとって何？');
    expect(answer.sources[0].section).toMatch(/あいかさねっと/);
  });
});

describe('streaming offline', () => {
  it('yields the whole answer once and returns the same answer', async () => {
    const stream = answers.stream('休眠預金とは何ですか');
    const pieces: string[] = [];
    let step = await stream.next();
    while (!step.done) {
      pieces.push(step.value);
      step = await stream.next();
    }
    expect(pieces).toEqual([step.value.answer]);
    expect(step.value).toEqual(await answers.answer('休眠預金とは何ですか'));
  });
});

describe('index info', () => {
  it('names the live plan version, build and embedder', () => {
    expect(answers.info()).toMatchObject({
      planVersion: '3rd-2018',
      embedder: 'kuromoji-tfidf-hash-v1',
      plan: { title: '山口県県民活動促進基本計画', revision: '第3次改定', period: '平成30〜34年度' },
    });
    expect(answers.info().chunkCount).toBeGreaterThan(80);
  });
});
