/** BM25 over term lists: ranking, weights, and the JSON round trip the index is stored in. */
import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../src/index/bm25.js';

const docs = [
  ['休眠預金', '活用', '民間', '公益'],
  ['寄附', '促進', '寄附', '文化'],
  ['ボランティア', 'マッチング', 'あいかさねっと'],
  ['県民', '活動', '促進'],
];
const q = (...terms: string[]) => terms.map((term) => ({ term, weight: 1 }));

describe('Bm25Index', () => {
  it('ranks the documents that hold the query terms, best first', () => {
    const index = Bm25Index.build(docs);
    expect(index.search(q('休眠預金')).map((r) => r.doc)).toEqual([0]);
    const both = index.search(q('促進', '寄附'));
    expect(both.map((r) => r.doc)).toEqual([1, 3]);
    expect(both[0].score).toBeGreaterThan(both[1].score);
    expect(index.search(q('天気'))).toEqual([]);
  });

  it('weighs rare terms above common ones, and scales by the query weight', () => {
    const index = Bm25Index.build(docs);
    expect(index.idf('あいかさねっと')).toBeGreaterThan(index.idf('促進'));
    expect(index.maxIdf()).toBeGreaterThanOrEqual(index.idf('あいかさねっと'));
    const full = index.search(q('マッチング'))[0].score;
    const half = index.search([{ term: 'マッチング', weight: 0.5 }])[0].score;
    expect(half).toBeCloseTo(full / 2);
  });

  it('limits the results', () => {
    expect(Bm25Index.build(docs).search(q('促進', '寄附', '活動', '公益'), 2)).toHaveLength(2);
  });

  it('scoreEach visits every document search finds once, with the same score, in first-touched order', () => {
    const index = Bm25Index.build(docs);
    const query = q('促進', '寄附', '活動');
    const visited: Array<{ doc: number; score: number }> = [];
    index.scoreEach(query, (doc, score) => void visited.push({ doc, score }));
    // 促進's postings come first (documents 1 and 3), whatever the scores.
    expect(visited.map((v) => v.doc)).toEqual([1, 3]);
    expect([...visited].sort((a, b) => b.score - a.score)).toEqual(index.search(query));
    // The scratch is clean before the first visit: a search inside a visit scores afresh.
    const inner: number[] = [];
    index.scoreEach(q('寄附'), () => void inner.push(index.search(q('寄附'))[0].score));
    expect(inner).toEqual([index.search(q('寄附'))[0].score]);
  });

  it('foldBest keeps each slot its best score, slots listed in first-touched order, and leaves the scratch clean', () => {
    const index = Bm25Index.build(docs);
    const query = q('促進', '寄附', '活動');
    const scores = new Map(index.search(query).map((r) => [r.doc, r.score]));
    // Documents 1 and 3 (the two that score) fold into slot 0; 0 and 2 (which do not) into slot 1.
    const slotOf = [1, 0, 1, 0];
    const best = new Float64Array(2);
    const order: number[] = [];
    index.foldBest(query, best, order, slotOf);
    expect(order).toEqual([0]);
    expect(best[0]).toBe(Math.max(scores.get(1)!, scores.get(3)!));
    expect(best[1]).toBe(0);
    // Without slots, a document is its own slot; a slot already higher keeps its score.
    const own = Float64Array.from([0, 0, 0, 99]);
    const ownOrder: number[] = [];
    index.foldBest(query, own, ownOrder);
    expect(ownOrder).toEqual([1]);
    expect([own[1], own[3]]).toEqual([scores.get(1), 99]);
    // The scratch is cleared: the same search again scores as before.
    expect(index.search(query)).toEqual([...scores].map(([doc, score]) => ({ doc, score })));
  });

  it('survives a JSON round trip with the same scores', () => {
    const index = Bm25Index.build(docs);
    const copy = Bm25Index.fromJSON(JSON.parse(JSON.stringify(index.toJSON())));
    expect(copy.size).toBe(4);
    expect(copy.search(q('促進', '寄附'))).toEqual(index.search(q('促進', '寄附')));
  });

  it('is not fooled by terms named like object properties', () => {
    const index = Bm25Index.fromJSON(JSON.parse(JSON.stringify(Bm25Index.build([['constructor'], ['toString']]).toJSON())));
    expect(index.search(q('__proto__'))).toEqual([]);
    expect(index.search(q('constructor')).map((r) => r.doc)).toEqual([0]);
  });

  it('refuses JSON that is not a BM25 index', () => {
    expect(() => Bm25Index.fromJSON({} as never)).toThrow(/not a BM25 index/);
    expect(() => Bm25Index.fromJSON(null as never)).toThrow(/not a BM25 index/);
  });
});
