/**
 * The offline embedder: deterministic, no downloaded weights. A text's kuromoji terms and
 * character bigrams, weighted by sublinear tf × idf (fitted on the corpus at build time),
 * are hashed with random signs into a fixed number of dimensions and L2-normalized, so that
 * cosine similarity approximates tf-idf cosine. It is a LangChain `Embeddings`, stored with
 * hnswlib like any other.
 */
import { Embeddings } from '@langchain/core/embeddings';
import type { Analyzer } from '../text/analyzer.js';

export const OFFLINE_EMBEDDER_NAME = 'kuromoji-tfidf-hash-v1';

export interface OfflineEmbedderState {
  name: string;
  dimensions: number;
  /** Share of the weight given to character bigrams, next to words. */
  bigramWeight: number;
  documentCount: number;
  /** feature → document frequency, where a feature is `w:term` or `b:bigram`. */
  documentFrequency: Record<string, number>;
}

/** FNV-1a, 32 bit: stable across runs and platforms. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class OfflineEmbeddings extends Embeddings {
  constructor(
    private readonly analyzer: Analyzer,
    readonly state: OfflineEmbedderState,
  ) {
    super({});
  }

  static fit(analyzer: Analyzer, texts: string[], dimensions = 1024, bigramWeight = 0.5): OfflineEmbeddings {
    const documentFrequency: Record<string, number> = Object.create(null);
    for (const text of texts) {
      for (const feature of new Set(OfflineEmbeddings.features(analyzer, text).keys())) {
        documentFrequency[feature] = (documentFrequency[feature] ?? 0) + 1;
      }
    }
    return new OfflineEmbeddings(analyzer, {
      name: OFFLINE_EMBEDDER_NAME,
      dimensions,
      bigramWeight,
      documentCount: texts.length,
      documentFrequency,
    });
  }

  private static features(analyzer: Analyzer, text: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const t of analyzer.terms(text)) counts.set(`w:${t}`, (counts.get(`w:${t}`) ?? 0) + 1);
    for (const g of analyzer.bigrams(text)) counts.set(`b:${g}`, (counts.get(`b:${g}`) ?? 0) + 1);
    return counts;
  }

  embedText(text: string): number[] {
    const { dimensions, bigramWeight, documentCount, documentFrequency } = this.state;
    const vector = new Array<number>(dimensions).fill(0);
    for (const [feature, tf] of OfflineEmbeddings.features(this.analyzer, text)) {
      const df = documentFrequency[feature] ?? 0;
      const idf = Math.log((documentCount + 1) / (df + 1)) + 1;
      const kind = feature.startsWith('b:') ? bigramWeight : 1;
      const h = hash(feature);
      vector[h % dimensions] += (h & 0x80000000 ? -1 : 1) * kind * (1 + Math.log(tf)) * idf;
    }
    const norm = Math.hypot(...vector) || 1;
    return vector.map((v) => v / norm);
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embedText(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }
}
