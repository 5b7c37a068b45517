import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIEmbeddings } from '../../../src/qa/llm/embeddings.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../fakes/fake-openai.js';

const DIMENSIONS = 12;
let fake: FakeOpenAI;
const config = () => ({ baseURL: fake.baseURL, model: 'unused-chat-model', timeoutMs: 2000 });

beforeAll(async () => {
  fake = await startFakeOpenAI({ embeddingDimensions: DIMENSIONS });
});
afterAll(() => fake.close());

describe('createOpenAIEmbeddings', () => {
  it('decodes base64 float32 vectors of the right dimension (the client default)', async () => {
    const texts = ['休眠預金の活用', '県民活動支援センター'];
    const vectors = await createOpenAIEmbeddings(config(), 'text-embedding-3-small').embedDocuments(texts);

    expect(vectors).toHaveLength(2);
    expect(vectors[0]).toHaveLength(DIMENSIONS);
    expect(vectors[0]).toEqual(fake.embeddingOf(texts[0]));
    expect(vectors[1]).toEqual(fake.embeddingOf(texts[1]));
    const request = fake.requests.at(-1)!;
    expect(request.path).toBe('/v1/embeddings');
    expect(request.body).toMatchObject({ model: 'text-embedding-3-small', encoding_format: 'base64', input: texts });
  });

  it('embeds a query the same way', async () => {
    const vector = await createOpenAIEmbeddings(config(), 'text-embedding-3-small').embedQuery('協働とは');
    expect(vector).toEqual(fake.embeddingOf('協働とは'));
  });

  it('can ask for plain float arrays, for servers that ignore encoding_format', async () => {
    const vector = await createOpenAIEmbeddings(config(), 'nomic-embed-text', { encodingFormat: 'float' }).embedQuery('NPO');
    expect(fake.requests.at(-1)!.body.encoding_format).toBe('float');
    expect(vector).toEqual(fake.embeddingOf('NPO'));
  });
});
