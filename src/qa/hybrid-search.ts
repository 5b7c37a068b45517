/**
 * Hybrid retrieval. Eight rankings score the passages: BM25 over kuromoji words, character
 * bigrams and kana readings, each once over whole passages and once over their sentences (a
 * passage scores as its best sentence), the offline vectors in hnswlib, and the longest
 * stretch of the question a passage repeats verbatim. Each is scaled to its best passage and
 * summed (SIGNAL_WEIGHTS says why with equal weights). A passage whose sentence holds the kind of answer asked for (a date for
 * いつ, a number for いくつ) next to what the question is about, or that defines the term a
 * 「〜とは」 question names, is lifted.
 *
 * Copies of one passage (a summary's section and the plan's own section of the same heading,
 * or a repeated paragraph) are one result, shown as the plan's own text unless the summary holds
 * more of the question's words.
 *
 * This is one function rather than a LangChain BaseRetriever: besides documents it returns the
 * evidence the refusal needs (which of the question's focus the plan and the top passages hold).
 */
import type { Chunk } from '../corpus/section.js';
import { indexedText } from '../index/build-index.js';
import { keepBest, type Bm25Index, type WeightedTerm } from '../index/bm25.js';
import type { LoadedIndex } from '../index/load-index.js';
import { holdsType, type AnswerType } from '../text/answer-types.js';
import type { Analyzer } from '../text/analyzer.js';
import type { AnalyzedQuestion, FocusTerm } from './analyze-question.js';

export interface RetrievedPassage {
  chunk: Chunk;
  /** Fused score (higher is better); comparable only within one question. */
  score: number;
  rank: number;
}

/** What the plan holds of one focus term of the question. */
export interface FocusEvidence {
  focus: FocusTerm;
  /** Somewhere in the plan (a word, a reading, a glossary alternative). */
  inPlan: boolean;
  /** In one of the top passages. */
  inTop: boolean;
  /** idf of its rarest known alternative; the most a term can weigh when the plan never uses it. */
  weight: number;
}

export interface RetrievalResult {
  question: AnalyzedQuestion;
  passages: RetrievedPassage[];
  focus: FocusEvidence[];
  /** 0–1: weighted share of the question's focus that the top passages hold. */
  coverage: number;
}

export type Signal =
  | 'chunkWords'
  | 'chunkBigrams'
  | 'chunkReadings'
  | 'sentenceWords'
  | 'sentenceBigrams'
  | 'sentenceReadings'
  | 'vectors'
  | 'phrase'
  | 'chunkCoverage'
  | 'sentenceCoverage';

export interface HybridSearchOptions {
  /** Passages returned. @default 5 */
  limit?: number;
  /** Weight of each ranking in the sum. @default SIGNAL_WEIGHTS */
  weights?: Partial<Record<Signal, number>>;
  /** Lift of a passage whose sentence holds the asked kind of answer next to the focus. @default 0.3 */
  typeBoost?: number;
  /** Lift of a passage that defines the term a definition question names. @default 0.5 */
  definitionBoost?: number;
  /** Lift of a passage whose 【評価指標】 row names what a number question asks about. @default 0.6 */
  indicatorBoost?: number;
  /** Score factor of summaries (資料…) against the plan itself. @default 0.9 */
  summaryFactor?: number;
  /** Passages whose terms count for coverage. @default 3 */
  coverageDepth?: number;
  /** Weight of a focus term the plan never uses (a known term weighs its idf, 0.05–5.3 on this plan). @default 4 (refusal.ts REFUSAL_FIT) */
  unknownWeight?: number;
}

/**
 * The six lexical rankings weigh alike. `npm run tune` (scripts/tune.ts) fits them, with the
 * passage coverage and the lifts, on one half of the public questions and reads them on the
 * other: neither half's fit beat these uniform weights on the other half (retrieval hit@1,
 * fitted on A and read on B 0.82 against 0.85 uniform; fitted on B and read on A 0.71 against
 * 0.75), so the plain sum stays. The vectors, phrase matching and coverage are on hand, off.
 */
export const SIGNAL_WEIGHTS: Record<Signal, number> = {
  chunkWords: 1,
  chunkBigrams: 1,
  chunkReadings: 1,
  sentenceWords: 1,
  sentenceBigrams: 1,
  sentenceReadings: 1,
  vectors: 0,
  phrase: 0,
  chunkCoverage: 0,
  sentenceCoverage: 0,
};

/** The lifts of a question's type, tuned with the weights (the fits kept these values on both halves). */
export const LIFTS = { typeBoost: 0.3, definitionBoost: 0.5, indicatorBoost: 0.6, summaryFactor: 0.9 };

export type HybridSearch = (question: AnalyzedQuestion) => Promise<RetrievalResult>;

/** Kinds of answer whose presence in a sentence can be seen (answer-types.ts `text`). */
const VISIBLE_TYPES: AnswerType[] = ['period', 'frequency', 'date', 'count', 'list', 'reason'];

export function createHybridSearch(index: LoadedIndex, analyzer: Analyzer, options: HybridSearchOptions = {}): HybridSearch {
  const limit = options.limit ?? 5;
  const weights = { ...SIGNAL_WEIGHTS, ...options.weights };
  const { typeBoost, definitionBoost, indicatorBoost, summaryFactor } = { ...LIFTS, ...definedOnly(options) };
  const coverageDepth = options.coverageDepth ?? 3;
  const unknownWeight = options.unknownWeight ?? 4;
  const { chunks, sentences } = index;
  const byId = new Map(chunks.map((c, i) => [c.id, i]));
  // The plan's own title (山口県, 県民活動, 計画): a question naming it says "in this plan", not what it is about.
  const titleTerms = new Set(analyzer.terms(index.manifest.plan?.title ?? ''));
  const isContext = (f: FocusTerm) => f.alternatives.length > 0 && f.alternatives.every((t) => titleTerms.has(t) || !index.words.documentFrequency(t));
  /** How much a focus term weighs: its rarest known alternative's idf, a tenth of it for the plan's own title words. */
  const weightOf = (f: FocusTerm, unknown: number) => {
    const known = f.alternatives.filter((t) => index.words.documentFrequency(t) > 0);
    if (!known.length) return unknown;
    const idf = Math.max(...known.map((t) => index.words.idf(t)));
    return isContext(f) ? idf / 10 : idf;
  };

  const groupOf = groupsOf(chunks);
  const membersOf = new Map<string, number[]>();
  chunks.forEach((_, doc) => membersOf.set(groupOf[doc], [...(membersOf.get(groupOf[doc]) ?? []), doc]));
  /** Each sentence's passage, for the sentence signals' fold. */
  const chunkOfSentence = Int32Array.from(sentences.list, (s) => s.chunk);
  const sentencesOf = new Map<number, number[]>();
  sentences.list.forEach((s, i) => sentencesOf.set(s.chunk, [...(sentencesOf.get(s.chunk) ?? []), i]));
  const indicatorTerms = new Map<number, Array<Set<string>>>();
  for (const row of index.facts.indicators) {
    const doc = byId.get(row.chunkId);
    if (doc !== undefined) indicatorTerms.set(doc, [...(indicatorTerms.get(doc) ?? []), new Set(analyzer.terms(row.name))]);
  }
  const definitionsOf = new Map<number, string[]>();
  for (const d of index.facts.definitions) {
    const doc = byId.get(d.chunkId);
    if (doc !== undefined) definitionsOf.set(doc, [...(definitionsOf.get(doc) ?? []), d.term]);
  }

  // Per-passage analyses, computed on first use (most passages are never a top candidate).
  const textTermsOf = memo((doc) => new Set(analyzer.terms(chunks[doc].text)));
  const termsOf = memo((doc) => new Set([...textTermsOf(doc), ...analyzer.terms(chunks[doc].section)]));
  const readingsOf = memo((doc) => new Set(analyzer.readings(indexedText(chunks[doc]))));
  const normalizedText = memo((doc) => analyzer.normalize(chunks[doc].text));
  const sentenceTerms = memo((i) => new Set(analyzer.terms(sentences.list[i].text)));
  /** The visible kinds of answer a sentence holds: the lift below asks it of every sentence of every passage touched. */
  const sentenceTypes = memo((i) => {
    const normalized = analyzer.normalize(sentences.list[i].text);
    return new Set(VISIBLE_TYPES.filter((t) => holdsType(t, normalized)));
  });

  /** Whether a passage, or a sentence, holds a focus term: one of its alternatives, or most of its reading. */
  // Plain loops: it runs for every sentence of every candidate against every focus term.
  const holds = (terms: Set<string>, readings: Set<string> | undefined, focus: FocusTerm): boolean => {
    for (const t of focus.alternatives) if (terms.has(t)) return true;
    if (readings === undefined || focus.readings.length < 3) return false;
    let found = 0;
    for (const g of focus.readings) if (readings.has(g)) found++;
    return found >= 0.8 * focus.readings.length;
  };

  function evidenceOf(question: AnalyzedQuestion, top: number[]): FocusEvidence[] {
    return question.focus.flatMap(splitUnknownCompound).map((focus) => {
      const known = focus.alternatives.filter((t) => index.words.documentFrequency(t) > 0);
      const reading = focus.readings.length >= 2 && readingInPlan(focus);
      // A word the plan never uses weighs as a fairly rare one: ordinary words (扱い, 途中) are
      // often missing from a plan that does answer the question; a question about something
      // else is missing all of its focus, whatever each weighs.
      const weight = weightOf(focus, unknownWeight);
      const inTop = top.some((doc) => holds(termsOf(doc), readingsOf(doc), focus));
      return { focus, inPlan: known.length > 0 || reading, inTop, weight };
    });
  }

  /**
   * A compound the plan never writes, made of a word it uses and one it never does (ボランティア保険),
   * is about what the unknown word names: its parts weigh as the focus terms they are, so that the
   * plan's ボランティア does not vouch for the 保険 it never speaks of.
   */
  function splitUnknownCompound(focus: FocusTerm): FocusTerm[] {
    const used = (t: string) => index.words.documentFrequency(t) > 0;
    if (!focus.parts || focus.proper || used(focus.label) || readingInPlan(focus)) return [focus];
    const others = focus.alternatives.filter((t) => t !== focus.label && !focus.parts!.includes(t));
    if (others.some(used) || focus.parts.every(used) || !focus.parts.some(used)) return [focus];
    return focus.parts.map((part) => ({ label: part, alternatives: [part], readings: analyzer.readings(part), proper: false }));
  }

  /** The focus term's whole reading stands in the plan's reading runs (its kana spelling is a plan word). */
  function readingInPlan(focus: FocusTerm): boolean {
    const run = focus.readings.map((g, i) => (i === 0 ? g : g[1])).join('');
    return [...run].length >= 3 && index.profile.readingText.includes(run);
  }

  return async (question) => {
    if (!question.searchText.trim() && question.words.length === 0) return { question, passages: [], focus: evidenceOf(question, []), coverage: 0 };

    // Each signal: every passage's best score (a sentence scores for its passage), and the
    // passages in the order the search first gave them a score, which the fusion below keeps;
    // nothing here depends on a signal's own ranking. Typed arrays over the passages, not Maps:
    // the sentence signals visit thousands of sentences a question.
    const signals: Array<{ signal: Signal; best: Float64Array; order: number[] }> = [];
    const put = (signal: Signal, fold: (best: Float64Array, order: number[]) => void) => {
      if (!weights[signal]) return;
      const best = new Float64Array(chunks.length);
      const order: number[] = [];
      fold(best, order);
      signals.push({ signal, best, order });
    };
    const inChunks = (bm25: Bm25Index, query: WeightedTerm[]) => (best: Float64Array, order: number[]) => bm25.foldBest(query, best, order);
    const inSentences = (bm25: Bm25Index, query: WeightedTerm[]) => (best: Float64Array, order: number[]) => bm25.foldBest(query, best, order, chunkOfSentence);
    put('chunkWords', inChunks(index.words, question.words));
    put('chunkBigrams', inChunks(index.bigrams, question.bigrams));
    put('chunkReadings', inChunks(index.readings, question.readings));
    put('sentenceWords', inSentences(sentences.words, question.words));
    put('sentenceBigrams', inSentences(sentences.bigrams, question.bigrams));
    put('sentenceReadings', inSentences(sentences.readings, question.readings));
    if (weights.vectors) {
      const vector = await index.embeddings.embedQuery(question.searchText);
      const nearest = await index.vectors.similaritySearchVectorWithScore(vector, chunks.length);
      put('vectors', (best, order) => {
        for (const [d, distance] of nearest) {
          const doc = byId.get(d.metadata.chunkId as string);
          if (doc !== undefined) keepBest(best, order, doc, 1 - distance);
        }
      });
    }

    // Each ranking scaled to its best passage, then summed.
    const fused = new Map<number, number>();
    for (const { signal, best, order } of signals) {
      let max = 0;
      for (const doc of order) if (best[doc] > max) max = best[doc];
      max ||= 1;
      const weight = weights[signal] ?? 0;
      for (const doc of order) fused.set(doc, (fused.get(doc) ?? 0) + weight * (best[doc] / max));
    }
    if (weights.phrase) {
      // A passage that repeats a long stretch of the question verbatim (県民活動をしたことがある県民の割合).
      const q = analyzer.normalize(question.searchText);
      const top = [...fused].sort((a, b) => b[1] - a[1]).slice(0, PHRASE_CANDIDATES);
      const runs = top.map(([doc]) => [doc, longestCommonRun(q, normalizedText(doc))] as const).filter(([, n]) => n >= MIN_PHRASE);
      const longest = Math.max(1, ...runs.map(([, n]) => n));
      for (const [doc, n] of runs) fused.set(doc, fused.get(doc)! + weights.phrase * (n / longest));
    }

    // Coverage: the weighted share of the focus a passage names, and the most that one of its sentences names.
    const focusWeights = question.focus.map((f) => Math.max(0.05, weightOf(f, 0)));
    const focusSum = focusWeights.reduce((a, b) => a + b, 0) || 1;
    if ((weights.chunkCoverage || weights.sentenceCoverage) && question.focus.length) {
      const candidates = [...fused].sort((a, b) => b[1] - a[1]).slice(0, COVERAGE_CANDIDATES);
      for (const [doc] of candidates) {
        const share = (terms: Set<string>, readings?: Set<string>) =>
          question.focus.reduce((s, f, i) => s + (holds(terms, readings, f) ? focusWeights[i] : 0), 0) / focusSum;
        const chunkShare = share(termsOf(doc), readingsOf(doc));
        let sentenceShare = 0;
        for (const i of sentencesOf.get(doc) ?? []) sentenceShare = Math.max(sentenceShare, share(sentenceTerms(i)));
        fused.set(doc, fused.get(doc)! + (weights.chunkCoverage ?? 0) * chunkShare + (weights.sentenceCoverage ?? 0) * sentenceShare);
      }
    }

    // Lifts: the asked kind of answer beside the focus; the definition a 「〜とは」 question asks for.
    const visible = question.asked.filter((t) => VISIBLE_TYPES.includes(t));
    const focusWeight = new Map(question.focus.map((f) => [f, Math.max(0.05, weightOf(f, 0))]));
    const focusTotal = [...focusWeight.values()].reduce((a, b) => a + b, 0) || 1;
    for (const [doc, score] of fused) {
      let lift = 1;
      if (visible.length && typeBoost) {
        // The sentence that holds the asked kind of answer, weighed by how much of the focus it names.
        let bestShare = 0;
        for (const i of sentencesOf.get(doc) ?? []) {
          if (!visible.some((t) => sentenceTypes(i).has(t))) continue;
          let share = 0;
          for (const [f, w] of focusWeight) if (holds(sentenceTerms(i), undefined, f)) share += w;
          bestShare = Math.max(bestShare, share / focusTotal);
        }
        lift += typeBoost * bestShare;
      }
      if (question.definitionOf && definitionBoost) {
        const defined = (definitionsOf.get(doc) ?? []).some((t) => t.includes(question.definitionOf!) || question.definitionOf!.includes(t));
        // A section about definitions (1 県民活動の定義) that names the term defines it, even in a table the PDF flattened.
        // Its own heading, not its chapter's: every section of 「第2章 県民活動の定義と役割等」 is no definition.
        const definingSection = /定義|とは/.test(chunks[doc].section.split(' > ').at(-1)!) && normalizedText(doc).includes(question.definitionOf);
        if (defined || definingSection) lift += definitionBoost;
      }
      if (indicatorBoost && question.asked.includes('count')) {
        // An indicator row is the plan's own figure for what it names: 認定NPO法人数 6法人.
        let bestShare = 0;
        for (const terms of indicatorTerms.get(doc) ?? []) {
          let share = 0;
          for (const [f, w] of focusWeight) if (holds(terms, undefined, f)) share += w;
          bestShare = Math.max(bestShare, share / focusTotal);
        }
        if (bestShare >= 0.5) lift += indicatorBoost * bestShare;
      }
      if (chunks[doc].part !== '本文') lift *= summaryFactor;
      // A title page (「…骨子案の概要について」) names a document; it answers nothing.
      if (titleOnly(chunks[doc])) lift *= TITLE_FACTOR;
      fused.set(doc, score * lift);
    }

    // One result a group, shown as the plan's own text unless a summary holds more of the question.
    const ranked = [...fused].sort((a, b) => b[1] - a[1]);
    const questionWeights = new Map<string, number>();
    for (const { term, weight } of question.words) questionWeights.set(term, Math.max(questionWeights.get(term) ?? 0, weight));
    const held = (doc: number) => {
      const terms = textTermsOf(doc);
      let sum = 0;
      for (const [t, w] of questionWeights) if (terms.has(t)) sum += w;
      return sum;
    };
    const topics = question.focus;
    const aboutFocus = (doc: number) => topics.length === 0 || topics.some((f) => holds(termsOf(doc), readingsOf(doc), f));
    const seen = new Set<string>();
    const passages: RetrievedPassage[] = [];
    for (const [doc, score] of ranked) {
      const group = groupOf[doc];
      if (seen.has(group)) continue;
      seen.add(group);
      // The member that holds most of the question; the plan's own text on a tie (it says all a summary says, and more).
      const shown = [...membersOf.get(group)!].sort(
        (a, b) => held(b) - held(a) || Number(chunks[b].part === '本文') - Number(chunks[a].part === '本文') || (fused.get(b) ?? 0) - (fused.get(a) ?? 0),
      )[0];
      // Past the first, a passage that names none of what the question is about is noise to a reader.
      if (passages.length > 0 && !aboutFocus(shown)) continue;
      passages.push({ chunk: chunks[shown], score, rank: passages.length + 1 });
      if (passages.length >= limit) break;
    }
    const top = passages.slice(0, coverageDepth).map((p) => byId.get(p.chunk.id)!);
    const focus = evidenceOf(question, top);
    // Of what the plan speaks of at all, how much the top passages name.
    const known = focus.filter((f) => f.inPlan);
    const total = known.reduce((s, f) => s + f.weight, 0);
    const coverage = total ? known.reduce((s, f) => s + (f.inTop ? f.weight : 0), 0) / total : 0;
    return { question, passages, focus, coverage };
  };
}

/**
 * Copies of one passage share a group: a chunk marked as repeating another (duplicateOf), and a
 * summary's section with the plan's own section of the same heading path (資料2 > 第5章 > … (3)
 * and 本文 > 第5章 > … (3)).
 */
export function groupsOf(chunks: Chunk[]): string[] {
  const pathKey = (c: Chunk) => c.section.split(' > ').slice(1).join(' > ');
  const planByPath = new Map<string, string>();
  for (const c of chunks) if (c.part === '本文' && !planByPath.has(pathKey(c))) planByPath.set(pathKey(c), c.id);
  const byId = new Map(chunks.map((c) => [c.id, c]));
  const planOf = (c: Chunk) => (c.part !== '本文' ? planByPath.get(pathKey(c)) : undefined);
  return chunks.map((c) => {
    const target = c.duplicateOf ? byId.get(c.duplicateOf) : undefined;
    return planOf(c) ?? (target ? planOf(target) ?? target.id : c.id);
  });
}

const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

function memo<T>(compute: (doc: number) => T): (doc: number) => T {
  const cache = new Map<number, T>();
  return (doc) => {
    if (!cache.has(doc)) cache.set(doc, compute(doc));
    return cache.get(doc)!;
  };
}

/** A passage of one line that is no sentence: a document's title page. */
const titleOnly = (chunk: Chunk) => !chunk.text.includes('\n') && !chunk.text.includes('。');
const TITLE_FACTOR = 0.5;

/** Coverage is counted for the best candidates only: the rest are far behind already. */
const COVERAGE_CANDIDATES = 30;

/** Phrase matching scores only the best candidates (it costs |question| × |passage| each). */
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
