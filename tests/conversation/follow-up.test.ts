/**
 * The follow-up step over the real analyzer: what refers back, what the earlier turn was about,
 * and the question looked up instead; with a model, the model's rewrite, and ours when it fails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTextStack, type TextStack } from '../../src/app/text-stack.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { createFollowUps, refersBack, withTopic } from '../../src/conversation/follow-up.js';
import { topicOf } from '../../src/conversation/question-topic.js';
import type { FollowUps } from '../../src/conversation/types.js';
import { silentLogger } from '../../src/logger.js';
import { createChatModel } from '../../src/qa/llm/chat-model.js';
import { createFollowUpRewriter } from '../../src/qa/llm/rewrite-follow-up.js';
import type { Turn } from '../../src/qa/types.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';

let stack: TextStack;
let offline: FollowUps;
beforeAll(async () => {
  stack = await loadTextStack({ corpusDir: `${PROJECT_ROOT}/corpus` });
  offline = createFollowUps({ analyzer: stack.analyzer });
}, 60_000);

const turn = (question: string, lookedUp?: string): Turn => ({ question, answer: '…', ...(lookedUp ? { lookedUp } : {}) });

describe('what refers back', () => {
  it.each([
    ['それはいつから？', true],
    ['その数は？', true],
    ['これの対象は？', true],
    ['そこはどこですか', true],
    ['あれは何でしたか', true],
    ['When does it start?', true],
    ['それぞれの役割は？', false],
    ['その他の支援策はありますか', false],
    ['これからの課題は？', false],
    ['この計画の期間は？', false],
    ['休眠預金とは何ですか', false],
  ])('%s → %s', (question, expected) => {
    expect(refersBack(question)).toBe(expected);
  });
});

describe('the topic of a turn, in the words the user typed', () => {
  it.each([
    ['休眠預金とは何ですか', '休眠預金'],
    ['認定NPO法人について教えてください', '認定NPO法人'],
    ['NPO法人の数はどれくらいですか', 'NPO法人の数'],
    ['寄付について', '寄付'],
    ['What is the dormant deposit program?', 'the dormant deposit program'],
    ['いつから？', undefined],
  ])('%s → %s', (question, topic) => {
    expect(topicOf(stack.analyzer, question)).toBe(topic);
  });
});

describe('the offline rewrite', () => {
  it('puts the topic where the question points back, or in front when it names nothing', () => {
    expect(withTopic('それはいつから？', '休眠預金')).toBe('休眠預金はいつから？');
    expect(withTopic('その数は？', '認定NPO法人')).toBe('認定NPO法人の数は？');
    expect(withTopic('いつから？', '休眠預金')).toBe('休眠預金はいつから？');
    expect(withTopic('When does it start?', 'the dormant deposit program')).toBe('When does the dormant deposit program start?');
  });

  it.each([
    ['それはいつから？', [turn('休眠預金とは何ですか')], '休眠預金はいつから？'],
    ['その数は？', [turn('認定NPO法人について教えてください')], '認定NPO法人の数は？'],
    ['いつから？', [turn('休眠預金とは何ですか')], '休眠預金はいつから？'],
    ['どう使われますか？', [turn('休眠預金とは何ですか？')], '休眠預金はどう使われますか？'],
    // A chain of follow-ups keeps the first one's topic, through what the second was looked up as.
    ['その予算は？', [turn('休眠預金とは何ですか'), turn('それはいつから？', '休眠預金はいつから？')], '休眠預金の予算は？'],
  ])('looks 「%s」 up with the earlier turn’s topic', async (question, history, lookup) => {
    await expect(offline.resolve(question, history)).resolves.toEqual({ lookup, followUp: true });
  });

  it.each([
    ['a question with a topic of its own', 'あいかさねっとって何？', [turn('休眠預金とは何ですか')]],
    ['the plan itself', 'この計画の期間は？', [turn('休眠預金とは何ですか')]],
    ['an earlier turn that named nothing', 'それはいつから？', [turn('いつから？')]],
  ])('looks up %s as it is', async (_name, question, history) => {
    await expect(offline.resolve(question, history)).resolves.toEqual({ lookup: question, followUp: false });
  });
});

describe('with a model', () => {
  let fake: FakeOpenAI;
  let withModel: FollowUps;
  beforeAll(async () => {
    fake = await startFakeOpenAI();
    const model = createChatModel({ baseURL: fake.baseURL, model: 'fake-model', timeoutMs: 500 });
    withModel = createFollowUps({ analyzer: stack.analyzer, rewriter: createFollowUpRewriter({ model, timeoutMs: 500, logger: silentLogger }) });
  });
  afterAll(() => fake.close());

  it('takes the model’s rewrite of a follow-up', async () => {
    fake.setChatReply({ text: '休眠預金等活用法はいつ施行されましたか' });
    await expect(withModel.resolve('それはいつから？', [turn('休眠預金とは何ですか')])).resolves.toEqual({ lookup: '休眠預金等活用法はいつ施行されましたか', followUp: true });
  });

  it('rewrites offline when the model fails, and asks it nothing for a question that stands alone', async () => {
    fake.setChatReply({ status: 500 });
    await expect(withModel.resolve('それはいつから？', [turn('休眠預金とは何ですか')])).resolves.toEqual({ lookup: '休眠預金はいつから？', followUp: true });
    const before = fake.chatBodies().length;
    await withModel.resolve('あいかさねっとって何？', [turn('休眠預金とは何ですか')]);
    expect(fake.chatBodies()).toHaveLength(before);
  });
});
