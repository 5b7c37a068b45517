/**
 * Hybrid retrieval: BM25 over kuromoji terms, BM25 over character bigrams and the vector
 * index each rank the chunks; reciprocal-rank fusion merges them (no score calibration
 * needed between the three). Repeated passages (summary vs plan) are collapsed to the best
 * ranked copy. Coverage says how much of what the question asks about the top passages
 * contain: the evidence the answer step uses to decide whether to abstain.
 */
import type { Chunk } from '../corpus/section.js';
import type { LoadedIndex } from '../index/load-index.js';
import type { Analyzer } from '../text/analyzer.js';
import type { AnalyzedQuestion } from './analyze-question.js';

export interface RetrievedPassage {
  chunk: Chunk;
  /** Fused score: Σ weight / (k + rank). */
  score: number;
  rank: number;
}

export interface RetrievalResult {
  question: AnalyzedQuestion;
  passages: RetrievedPassage[];
  /** 0–1: idf-weighted share of the question's term groups found in the top passages. */
  coverage: number;
}

export interface HybridSearchOptions {
  /** Passages returned. @default 5 */
  limit?: number;
  /** Candidates taken from each ranking before fusion. @default 30 */
  candidates?: number;
  /** Reciprocal-rank-fusion constant. @default 60 */
  rrfK?: number;
  /** Weights of the three rankings. @default { words: 1, bigrams: 1, vectors: 0.5 } */
  weights?: { words: number; bigrams: number; vectors: number };
  /** Passages whose terms count for coverage. @default 3 */
  coverageDepth?: number;
  /** Score factor of passages from summaries (資料…) against the plan itself. @default 0.9 */
  summaryFactor?: number;
}

export type HybridSearch = (question: AnalyzedQuestion) => Promise<RetrievalResult>;

export function createHybridSearch(index: LoadedIndex, analyzer: Analyzer, options: HybridSearchOptions = {}): HybridSearch {
  const limit = options.limit ?? 5;
  const candidates = options.candidates ?? 30;
  const k = options.rrfK ?? 60;
  const weights = options.weights ?? { words: 1, bigrams: 1, vectors: 0.5 };
  const coverageDepth = options.coverageDepth ?? 3;
  const summaryFactor = options.summaryFactor ?? 0.9;
  const byId = new Map(index.chunks.map((c, i) => [c.id, i]));
  const termCache = new Map<number, Set<string>>();
  const termsOf = (doc: number) => {
    let set = termCache.get(doc);
    if (!set) {
      const chunk = index.chunks[doc];
      set = new Set(analyzer.terms(`${chunk.section}\n${chunk.text}`));
      termCache.set(doc, set);
    }
    return set;
  };

  function coverage(question: AnalyzedQuestion, docs: number[]): number {
    let total = 0;
    let found = 0;
    const maxIdf = index.words.maxIdf();
    for (const group of question.groups) {
      const known = group.alternatives.filter((t) => index.words.documentFrequency(t) > 0);
      // A noun the plan never uses weighs the most: the question is about something else.
      // Phrasing (verbs, English words the glossary lacks) counts for less either way.
      const idf = known.length ? Math.max(...known.map((t) => index.words.idf(t))) : maxIdf;
      const weight = group.kind === 'topic' ? idf : known.length ? idf * 0.5 : 1;
      total += weight;
      if (known.some((t) => docs.some((d) => termsOf(d).has(t)))) found += weight;
    }
    return total > 0 ? found / total : 0;
  }

  return async (question) => {
    if (!question.searchText.trim() || question.words.length + question.searchText.length === 0) {
      return { question, passages: [], coverage: 0 };
    }
    const fused = new Map<number, number>();
    const add = (docs: number[], weight: number) =>
      docs.forEach((doc, rank) => fused.set(doc, (fused.get(doc) ?? 0) + weight / (k + rank + 1)));

    add(index.words.search(question.words, candidates).map((r) => r.doc), weights.words);
    const bigrams = analyzerBigrams(analyzer, question.searchText);
    add(index.bigrams.search(bigrams, candidates).map((r) => r.doc), weights.bigrams);
    const vector = await index.embeddings.embedQuery(question.searchText);
    const nearest = await index.vectors.similaritySearchVectorWithScore(vector, Math.min(candidates, index.chunks.length));
    add(
      nearest.map(([doc]) => byId.get(doc.metadata.chunkId as string)).filter((d): d is number => d !== undefined),
      weights.vectors,
    );

    // The plan itself is the authority; a summary wins only when it is clearly the better match.
    for (const [doc, score] of fused) if (index.chunks[doc].part !== '本文') fused.set(doc, score * summaryFactor);
    const seenGroups = new Set<string>();
    const passages: RetrievedPassage[] = [];
    for (const [doc, score] of [...fused].sort((a, b) => b[1] - a[1])) {
      const hit = index.chunks[doc];
      const group = hit.duplicateOf ?? hit.id;
      if (seenGroups.has(group)) continue;
      seenGroups.add(group);
      // A summary's verbatim copy is shown as the plan's own passage, which says all it says and more.
      const chunk = hit.verbatim && hit.duplicateOf ? index.chunks[byId.get(hit.duplicateOf)!] : hit;
      passages.push({ chunk, score, rank: passages.length + 1 });
      if (passages.length >= limit) break;
    }
    const top = passages.slice(0, coverageDepth).map((p) => byId.get(p.chunk.id)!);
    return { question, passages, coverage: coverage(question, top) };
  };
}

function analyzerBigrams(analyzer: Analyzer, text: string) {
  const counts = new Map<string, number>();
  for (const g of analyzer.bigrams(text)) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts].map(([term, n]) => ({ term, weight: Math.min(n, 2) }));
}
