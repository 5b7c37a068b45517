/**
 * Okapi BM25 over pre-analyzed term lists, serializable to JSON so that it is built
 * offline with the vector index and only loaded at run time.
 */

export interface WeightedTerm {
  term: string;
  /** Query-side weight: 1 for the question's own words, less for glossary expansions. */
  weight: number;
}

export interface Bm25Json {
  k1: number;
  b: number;
  docLengths: number[];
  /** term → flat [docIndex, termFrequency, docIndex, termFrequency, …] */
  postings: Record<string, number[]>;
}

/** One score folded into per-slot bests: kept when higher than the slot's; a slot's first positive score appends it to `order`. */
export function keepBest(best: Float64Array, order: number[], slot: number, score: number): void {
  if (score <= best[slot]) return;
  if (best[slot] === 0) order.push(slot);
  best[slot] = score;
}

export class Bm25Index {
  private readonly avgLength: number;
  /** Per document, the length part of BM25's denominator: k1 · (1 − b + b · length / average). */
  private readonly lengthNorm: Float64Array;
  /**
   * Scratch for search, reused: one score slot per document and the documents touched, in the
   * order first touched (so that equal scores keep that order, as they always have). search is
   * synchronous, so no two calls share them at once.
   */
  private readonly scratch: Float64Array;
  private readonly seen: Uint8Array;
  private readonly touched: Int32Array;

  private constructor(private readonly data: Bm25Json) {
    const total = data.docLengths.reduce((a, b) => a + b, 0);
    this.avgLength = data.docLengths.length ? total / data.docLengths.length : 0;
    const { k1, b } = data;
    this.lengthNorm = Float64Array.from(data.docLengths, (length) => k1 * (1 - b + (b * length) / (this.avgLength || 1)));
    this.scratch = new Float64Array(data.docLengths.length);
    this.seen = new Uint8Array(data.docLengths.length);
    this.touched = new Int32Array(data.docLengths.length);
  }

  static build(docs: string[][], k1 = 1.2, b = 0.75): Bm25Index {
    const postings: Record<string, number[]> = Object.create(null);
    docs.forEach((terms, doc) => {
      const counts = new Map<string, number>();
      for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
      for (const [term, tf] of counts) (postings[term] ??= []).push(doc, tf);
    });
    return new Bm25Index({ k1, b, docLengths: docs.map((d) => d.length), postings });
  }

  static fromJSON(data: Bm25Json): Bm25Index {
    if (!Array.isArray(data?.docLengths) || typeof data.postings !== 'object' || data.postings === null) {
      throw new Error('not a BM25 index (docLengths or postings missing)');
    }
    return new Bm25Index({ ...data, postings: Object.assign(Object.create(null), data.postings) });
  }

  toJSON(): Bm25Json {
    return this.data;
  }

  get size(): number {
    return this.data.docLengths.length;
  }

  documentFrequency(term: string): number {
    return (this.data.postings[term]?.length ?? 0) / 2;
  }

  /** Robertson–Spärck Jones idf, floored at a small positive value so that common words still count a little. */
  idf(term: string): number {
    const n = this.size;
    const df = this.documentFrequency(term);
    return Math.max(0.05, Math.log(1 + (n - df + 0.5) / (df + 0.5)));
  }

  /** The idf of a word found nowhere: the most a term can weigh. */
  maxIdf(): number {
    return this.idf('\u0000');
  }

  /** Scores every document that contains a query term; sorted best first (equal scores in the order first touched). */
  search(query: WeightedTerm[], limit = 20): Array<{ doc: number; score: number }> {
    const hits: Array<{ doc: number; score: number }> = [];
    this.scoreEach(query, (doc, score) => void hits.push({ doc, score }));
    return hits.sort((x, y) => y.score - x.score).slice(0, limit);
  }

  /**
   * Calls `visit` once for every document that contains a query term, with its score, in the
   * order the documents were first touched.
   */
  scoreEach(query: WeightedTerm[], visit: (doc: number, score: number) => void): void {
    const count = this.accumulate(query);
    const { scratch: scores, seen, touched } = this;
    // The scratch is cleared before anyone sees a score: `visit` may search again.
    const found = touched.slice(0, count);
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const doc = found[i];
      values[i] = scores[doc];
      scores[doc] = 0;
      seen[doc] = 0;
    }
    for (let i = 0; i < count; i++) visit(found[i], values[i]);
  }

  /**
   * Folds the scores into per-slot bests (keepBest): slot `doc`, or `slotOf[doc]` when given (a
   * sentence scores for its passage), so that `order` lists the slots in the order their
   * documents were first touched. What the hybrid search needs of each signal, without a
   * callback and a copy of the scores per document (`scoreEach`): the sentence signals touch
   * thousands of sentences a question.
   */
  foldBest(query: WeightedTerm[], best: Float64Array, order: number[], slotOf?: ArrayLike<number>): void {
    const count = this.accumulate(query);
    const { scratch: scores, seen, touched } = this;
    for (let i = 0; i < count; i++) {
      const doc = touched[i];
      const score = scores[doc];
      scores[doc] = 0;
      seen[doc] = 0;
      keepBest(best, order, slotOf ? slotOf[doc] : doc, score);
    }
  }

  /** Sums every query term's score into the scratch; returns how many documents it touched (the first that many of `touched`). */
  private accumulate(query: WeightedTerm[]): number {
    const { k1, postings } = this.data;
    const { scratch: scores, seen, touched, lengthNorm } = this;
    let count = 0;
    for (const { term, weight } of query) {
      const list = postings[term];
      if (!list) continue;
      const idf = this.idf(term);
      for (let i = 0; i < list.length; i += 2) {
        const doc = list[i];
        const tf = list[i + 1];
        const norm = tf + lengthNorm[doc];
        if (!seen[doc]) (seen[doc] = 1), (touched[count++] = doc);
        scores[doc] += weight * idf * ((tf * (k1 + 1)) / norm);
      }
    }
    return count;
  }
}
