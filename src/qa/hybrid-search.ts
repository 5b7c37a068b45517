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
  /** Weights of the four rankings. @default { words: 1, bigrams: 1, vectors: 0.5, phrase: 1 } */
  weights?: { words: number; bigrams: number; vectors: number; phrase: number };
  /** Passages whose terms count for coverage. @default 3 */
  coverageDepth?: number;
  /** Score factor of passages from summaries (資料…) against the plan itself. @default 0.9 */
  summaryFactor?: number;
}

/**
 * Retrieval is one function, not a LangChain BaseRetriever (STYLE.md): a BaseRetriever returns
 * only documents, and the answer step also needs `coverage`, the evidence strength it refuses on.
 * Forcing it into metadata of the first document would hide the one figure a refusal depends on.
 */
export type HybridSearch = (question: AnalyzedQuestion) => Promise<RetrievalResult>;

export function createHybridSearch(index: LoadedIndex, analyzer: Analyzer, options: HybridSearchOptions = {}): HybridSearch {
  const limit = options.limit ?? 5;
  const candidates = options.candidates ?? 30;
  const k = options.rrfK ?? 60;
  const weights = options.weights ?? { words: 1, bigrams: 1, vectors: 0.5, phrase: 1 };
  const coverageDepth = options.coverageDepth ?? 3;
  const summaryFactor = options.summaryFactor ?? 0.9;
  const byId = new Map(index.chunks.map((c, i) => [c.id, i]));
  const groupOf = (doc: number) => index.chunks[doc].duplicateOf ?? index.chunks[doc].id;
  const membersOf = new Map<string, number[]>();
  index.chunks.forEach((_, doc) => {
    const members = membersOf.get(groupOf(doc));
    if (members) members.push(doc);
    else membersOf.set(groupOf(doc), [doc]);
  });
  // Per-chunk analyses, computed on first use (most chunks are never a top candidate).
  const textTermsOf = memo((doc) => new Set(analyzer.terms(index.chunks[doc].text)));
  // A chunk with its heading path: the path's terms are analyzed once per section, not per chunk.
  const pathTerms = new Map<string, string[]>();
  const termsOf = memo((doc) => {
    const { section } = index.chunks[doc];
    if (!pathTerms.has(section)) pathTerms.set(section, analyzer.terms(section));
    return new Set([...textTermsOf(doc), ...pathTerms.get(section)!]);
  });
  const normalizedText = memo((doc) => analyzer.normalize(index.chunks[doc].text));

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
    if (!question.searchText.trim()) {
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
    // Phrase matching: a passage that repeats a long stretch of the question verbatim
    // (県民活動をしたことがある県民の割合) ranks as a fourth list among the candidates.
    const normalizedQuestion = analyzer.normalize(question.searchText);
    const phrase = [...fused]
      .sort((a, b) => b[1] - a[1])
      .slice(0, PHRASE_CANDIDATES)
      .map(([doc]) => ({ doc, length: longestCommonRun(normalizedQuestion, normalizedText(doc)) }))
      .filter((p) => p.length >= MIN_PHRASE)
      .sort((a, b) => b.length - a.length);
    add(phrase.map((p) => p.doc), weights.phrase);

    // Copies of one passage (a summary and the plan) form a group, ranked by its best member.
    // The member shown is the one that holds most of the question's words (the summary may
    // keep a line the plan's extraction lost), then the plan's own verbatim text.
    const ranked = [...fused].sort((a, b) => b[1] - a[1]);
    const groups = new Map<string, { score: number; members: number[] }>();
    for (const [doc, score] of ranked) {
      const key = groupOf(doc);
      if (!groups.has(key)) groups.set(key, { score, members: membersOf.get(key)! });
    }
    const questionTerms = [...new Set(question.words.filter((w) => w.weight >= 1).map((w) => w.term))];
    // Counted in the passage's own text: the heading path is shared by the copies anyway.
    const held = (doc: number) => questionTerms.filter((t) => textTermsOf(doc).has(t)).length;
    const topics = question.groups.filter((g) => g.kind === 'topic').flatMap((g) => g.alternatives);
    const aboutTopic = (doc: number) => topics.length === 0 || topics.some((t) => termsOf(doc).has(t));
    const passages: RetrievedPassage[] = [];
    for (const { score, members } of groups.values()) {
      const preferred = (a: number, b: number) => held(b) - held(a) || (fused.get(b) ?? 0) - (fused.get(a) ?? 0);
      const best = [...members].sort(preferred)[0];
      const hit = index.chunks[best];
      // A summary's verbatim copy is shown as the plan's own passage, which says all it says and more.
      const canonical = hit.verbatim && hit.duplicateOf ? byId.get(hit.duplicateOf)! : best;
      const shown = held(canonical) >= held(best) ? canonical : best;
      // Past the first, a passage that names none of what the question is about is noise to a reader.
      if (passages.length > 0 && !aboutTopic(shown)) continue;
      passages.push({ chunk: index.chunks[shown], score, rank: passages.length + 1 });
      if (passages.length >= limit) break;
    }
    const top = passages.slice(0, coverageDepth).map((p) => byId.get(p.chunk.id)!);
    return { question, passages, coverage: coverage(question, top) };
  };
}

function memo<T>(compute: (doc: number) => T): (doc: number) => T {
  const cache = new Map<number, T>();
  return (doc) => {
    if (!cache.has(doc)) cache.set(doc, compute(doc));
    return cache.get(doc)!;
  };
}

/** Phrase matching reorders only the best fused candidates (it costs |question| × |passage| each). */
const PHRASE_CANDIDATES = 20;

/** Shorter shared runs are ordinary words, not phrases. */
const MIN_PHRASE = 6;

/** Length of the longest substring that `a` and `b` share (dynamic programming, O(|a|·|b|)). */
export function longestCommonRun(a: string, b: string): number {
  let best = 0;
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : 0;
      if (current[j] > best) best = current[j];
    }
    [previous, current] = [current, previous];
  }
  return best;
}

function analyzerBigrams(analyzer: Analyzer, text: string) {
  const counts = new Map<string, number>();
  for (const g of analyzer.bigrams(text)) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts].map(([term, n]) => ({ term, weight: Math.min(n, 2) }));
}
