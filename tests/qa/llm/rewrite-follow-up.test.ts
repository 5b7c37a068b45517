import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger.js';
import { createChatModel } from '../../../src/qa/llm/chat-model.js';
import { createFollowUpRewriter } from '../../../src/qa/llm/rewrite-follow-up.js';
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

  it.each([
    ['a 500', { status: 500 }],
    ['a timeout', { text: '遅い', delayMs: TIMEOUT_MS + 2000 }],
    ['an empty reply', { garbage: 'empty-content' as const }],
  ])('gives nothing back on %s, within the timeout, so that the offline rewrite stands', async (_name, reply) => {
    fake.setChatReply(reply);
    const started = Date.now();
    await expect(withModel().rewrite('それはいつから？', HISTORY)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
  });
});
