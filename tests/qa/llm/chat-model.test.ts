import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createChatModel, isReasoningModel, MAX_ANSWER_TOKENS } from '../../../src/qa/llm/chat-model.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/fake-openai.js';

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setChatReply({ text: 'はい[1]' });
});

describe('createChatModel', () => {
  it('talks to the base URL with a placeholder key when only a local server is set', async () => {
    const reply = await createChatModel({ baseURL: fake.baseURL, model: 'qwen2.5:7b', timeoutMs: 2000 }).invoke('こんにちは');
    expect(reply.content).toBe('はい[1]');
    const [request] = fake.requests;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer not-needed');
    expect(request.body).toMatchObject({ model: 'qwen2.5:7b', temperature: 0, max_tokens: MAX_ANSWER_TOKENS });
  });

  it('sends the configured API key', async () => {
    await createChatModel({ apiKey: 'sk-test', baseURL: fake.baseURL, model: 'gpt-4o-mini', timeoutMs: 2000 }).invoke('hi');
    expect(fake.requests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it('makes one request only on a 500 (no retries eating the timeout)', async () => {
    fake.setChatReply({ status: 500 });
    await expect(createChatModel({ baseURL: fake.baseURL, model: 'm', timeoutMs: 2000 }).invoke('hi')).rejects.toThrow();
    expect(fake.requests).toHaveLength(1);
  });

  it('leaves temperature and max tokens out for reasoning models, which reject them', async () => {
    expect(isReasoningModel('gpt-5-mini')).toBe(true);
    expect(isReasoningModel('o3-mini')).toBe(true);
    expect(isReasoningModel('gpt-4o-mini')).toBe(false);
    await createChatModel({ baseURL: fake.baseURL, model: 'gpt-5-mini', timeoutMs: 2000 }).invoke('hi');
    expect(fake.requests[0].body.temperature).toBeUndefined();
    expect(fake.requests[0].body.max_completion_tokens).toBeUndefined();
  });
});
