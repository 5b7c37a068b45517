import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createChatModel } from '../../../src/qa/llm/chat-model.js';
import { createFollowUpRewriter, looksStandalone, stripQuestionEnding } from '../../../src/qa/llm/rewrite-follow-up.js';
import type { Turn } from '../../../src/qa/types.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/fake-openai.js';

const TIMEOUT_MS = 500;
const HISTORY: Turn[] = [{ question: '休眠預金とは何ですか', answer: '休眠預金は10年以上取引のない預金です[1]。' }];
let fake: FakeOpenAI;

const withModel = () =>
  createFollowUpRewriter({
    model: createChatModel({ baseURL: fake.baseURL, model: 'fake-model', timeoutMs: TIMEOUT_MS }),
    timeoutMs: TIMEOUT_MS,
    logger: silentLogger,
  });

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
});

describe('looksStandalone', () => {
  it.each([
    ['休眠預金はどのように活用されますか', true],
    ['NPO法人の数はどれくらいですか', true],
    ['その他の支援策はありますか', true],
    ['それはいつから？', false],
    ['その予算は？', false],
    ['予算は？', false],
    ['How many NPO corporations are there in Yamaguchi?', true],
    ['When does it start?', false],
    ['Where?', false],
    ['Is there a budget for it?', false],
    ['What happens there?', false],
  ])('%s → %s', (question, expected) => {
    expect(looksStandalone(question)).toBe(expected);
  });
});

describe('stripQuestionEnding', () => {
  it('keeps the topic of a question', () => {
    expect(stripQuestionEnding('休眠預金とは何ですか')).toBe('休眠預金');
    expect(stripQuestionEnding('県民活動支援センターについて教えてください。')).toBe('県民活動支援センター');
    expect(stripQuestionEnding('What is the dormant deposit program?')).toBe('the dormant deposit program');
  });
});

describe('createFollowUpRewriter offline', () => {
  const offline = createFollowUpRewriter({ timeoutMs: TIMEOUT_MS, logger: silentLogger });

  it('prepends the previous question without its question ending', async () => {
    await expect(offline.rewrite('それはいつから？', HISTORY)).resolves.toBe('休眠預金 それはいつから？');
  });

  it('returns the question unchanged without history, or when it stands alone', async () => {
    await expect(offline.rewrite('それはいつから？', [])).resolves.toBe('それはいつから？');
    await expect(offline.rewrite('NPO法人の数はどれくらいですか', HISTORY)).resolves.toBe('NPO法人の数はどれくらいですか');
  });

  it('takes the topic from the last standalone question, not from a chain of follow-ups', async () => {
    const history = [...HISTORY, { question: 'それはいつから？', answer: '平成31年度からです[1]。' }];
    await expect(offline.rewrite('その予算は？', history)).resolves.toBe('休眠預金 その予算は？');
  });

  it('uses the key-term extractor when given one, and falls back if it throws', async () => {
    const nouns = createFollowUpRewriter({ timeoutMs: TIMEOUT_MS, logger: silentLogger, extractKeyTerms: async () => ['休眠', '預金'] });
    await expect(nouns.rewrite('それはいつから？', HISTORY)).resolves.toBe('休眠 預金 それはいつから？');
    const broken = createFollowUpRewriter({
      timeoutMs: TIMEOUT_MS,
      logger: silentLogger,
      extractKeyTerms: () => {
        throw new Error('dictionary missing');
      },
    });
    await expect(broken.rewrite('それはいつから？', HISTORY)).resolves.toBe('休眠預金 それはいつから？');
  });

  it('rewrites English follow-ups too', async () => {
    const history = [{ question: 'What is the dormant deposit program?', answer: 'It uses dormant deposits [1].' }];
    await expect(offline.rewrite('When does it start?', history)).resolves.toBe('the dormant deposit program When does it start?');
  });
});

describe('createFollowUpRewriter with a model', () => {
  it('asks the model with the conversation and returns its standalone question', async () => {
    fake.setChatReply({ text: '休眠預金はいつから活用されますか？' });
    await expect(withModel().rewrite('それはいつから？', HISTORY)).resolves.toBe('休眠預金はいつから活用されますか？');
    const [body] = fake.chatBodies();
    const last = body.messages[body.messages.length - 1];
    expect(body.messages[0].role).toBe('system');
    expect(body.messages.length).toBeGreaterThan(2); // few-shot examples
    expect(last.content).toContain('Q: 休眠預金とは何ですか');
    expect(last.content).toContain('<follow-up>それはいつから？</follow-up>');
  });

  it('strips a label and quotes the model adds', async () => {
    fake.setChatReply({ text: '質問：「休眠預金はいつから？」\n(explanation)' });
    await expect(withModel().rewrite('それはいつから？', HISTORY)).resolves.toBe('休眠預金はいつから？');
  });

  it('does not call the model for a standalone question', async () => {
    await withModel().rewrite('休眠預金はどのように活用されますか', HISTORY);
    expect(fake.chatBodies()).toHaveLength(0);
  });

  it.each([
    ['a 500', { status: 500 }],
    ['a timeout', { text: '遅い', delayMs: TIMEOUT_MS + 2000 }],
    ['an empty reply', { garbage: 'empty-content' as const }],
  ])('falls back to the offline rewrite on %s', async (_name, reply) => {
    fake.setChatReply(reply);
    const started = Date.now();
    await expect(withModel().rewrite('それはいつから？', HISTORY)).resolves.toBe('休眠預金 それはいつから？');
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
  });
});
