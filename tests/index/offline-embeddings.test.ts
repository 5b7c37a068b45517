/** The offline embedder: deterministic unit vectors whose cosine follows shared vocabulary. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTextStack, type TextStack } from '../../src/app/text-stack.js';
import { loadConfig } from '../../src/config.js';
import { OFFLINE_EMBEDDER_NAME, OfflineEmbeddings } from '../../src/index/offline-embeddings.js';

const TEXTS = [
  '休眠預金等を民間団体が行う公益に資する活動に活用することとされました。',
  'ボランティアをしたい個人と団体をあいかさねっとでつなぎます。',
  '認定NPO法人への寄附には税制優遇措置があります。',
];
let stack: TextStack;
let embeddings: OfflineEmbeddings;
beforeAll(async () => {
  stack = await loadTextStack(loadConfig({}));
  embeddings = OfflineEmbeddings.fit(stack.analyzer, TEXTS, 256);
});
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('OfflineEmbeddings', () => {
  it('records its name, size and document frequencies', () => {
    expect(embeddings.state).toMatchObject({ name: OFFLINE_EMBEDDER_NAME, dimensions: 256, documentCount: 3 });
    expect(embeddings.state.documentFrequency['w:休眠預金']).toBe(1);
  });

  it('gives unit vectors, the same for the same text (also after a JSON round trip of its state)', async () => {
    const [a] = await embeddings.embedDocuments([TEXTS[0]]);
    expect(a).toHaveLength(256);
    expect(cosine(a, a)).toBeCloseTo(1);
    const restored = new OfflineEmbeddings(stack.analyzer, JSON.parse(JSON.stringify(embeddings.state)));
    expect(await restored.embedQuery(TEXTS[0])).toEqual(a);
  });

  it('puts a question nearer the passage that shares its words', async () => {
    const [dormant, volunteer, npo] = await embeddings.embedDocuments(TEXTS);
    const q = await embeddings.embedQuery('休眠預金の活用とは');
    expect(cosine(q, dormant)).toBeGreaterThan(cosine(q, volunteer));
    expect(cosine(q, dormant)).toBeGreaterThan(cosine(q, npo));
  });

  it('gives a zero vector, not NaN, for text with no features', async () => {
    const v = await embeddings.embedQuery('。。。');
    expect(v.every((x) => x === 0)).toBe(true);
  });
});
