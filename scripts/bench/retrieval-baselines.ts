/**
 * Our hybrid retrieval against two baselines, on the same questions and the same chunks:
 * BM25 over character bigrams alone (the index's own bigram BM25), and brute-force cosine
 * over the same offline embeddings (every chunk embedded up front, one dot product each).
 * hit@3 = an evidence phrase in one of the top 3 passages, matched as src/eval/score.ts's
 * judge does (squash: NFKC, lower case, no white space). Retrieval only: an answer that
 * abstains still counts its passages here.
 */
import { MIN_VARIANTS, variantsOf } from './questions.js';
import { squash, type EvalQuestion } from '../../src/eval/score.js';
import { indexedText } from '../../src/index/build-index.js';
import type { Chunk } from '../../src/corpus/section.js';
import type { Engine } from '../../src/qa/engine.js';
import { mean } from './stats.js';

export interface MethodFigures {
  hit3: number;
  meanMs: number;
}

export interface BaselineFigures {
  questions: number;
  rounds: number;
  ours: MethodFigures;
  bigramBm25: MethodFigures & { hit3Ratio: number; latencyRatio: number };
  bruteCosine: MethodFigures & { hit3Ratio: number; latencyRatio: number };
}

type Method = (question: string) => Promise<Chunk[]>;

function topK(scores: Float64Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (best.length < k || scores[i] > scores[best[best.length - 1]]) {
      best.push(i);
      best.sort((a, b) => scores[b] - scores[a]);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

export async function compareRetrieval(
  engine: Engine,
  questions: EvalQuestion[],
  options: { rounds: number; maxMs: number },
): Promise<BaselineFigures> {
  const { index, analyzer } = engine;
  const chunks = index.chunks;
  const vectors = await index.embeddings.embedDocuments(chunks.map(indexedText));

  const ours: Method = async (q) => (await engine.search(engine.analyzeQuestion(q))).passages.slice(0, 3).map((p) => p.chunk);
  const bigramBm25: Method = async (q) => {
    const counts = new Map<string, number>();
    for (const g of analyzer.bigrams(q)) counts.set(g, (counts.get(g) ?? 0) + 1);
    const terms = [...counts].map(([term, weight]) => ({ term, weight }));
    return index.bigrams.search(terms, 3).map((r) => chunks[r.doc]);
  };
  const bruteCosine: Method = async (q) => {
    const query = await index.embeddings.embedQuery(q);
    const scores = new Float64Array(vectors.length);
    for (let d = 0; d < vectors.length; d++) {
      const v = vectors[d];
      let dot = 0;
      for (let j = 0; j < v.length; j++) dot += v[j] * query[j];
      scores[d] = dot;
    }
    return topK(scores, 3).map((d) => chunks[d]);
  };

  const judged = questions.filter((q) => q.scope === 'in' && q.evidence?.length);
  const hit3 = async (method: Method) => {
    let hits = 0;
    for (const q of judged) {
      const evidence = q.evidence!.map(squash);
      const top = await method(q.q);
      if (top.some((c) => evidence.some((e) => squash(c.text).includes(e)))) hits++;
    }
    return judged.length ? hits / judged.length : 0;
  };
  const methods = { ours, bigramBm25, bruteCosine };
  const times: Record<keyof typeof methods, number[]> = { ours: [], bigramBm25: [], bruteCosine: [] };
  // Warm-up, then rounds in which the three methods take turns on each question (same
  // conditions). Each round asks another everyday form of it (questions.ts), so that the
  // engine's memory of analyses it read cannot stand in for reading; hit@3 is of the plain question.
  if (options.rounds + 1 > MIN_VARIANTS) throw new Error(`retrieval baselines: at most ${MIN_VARIANTS - 1} rounds`);
  const variants = questions.map(variantsOf);
  for (const m of Object.values(methods)) for (const forms of variants) await m(forms[0]);
  const deadline = performance.now() + options.maxMs;
  let rounds = 0;
  while (rounds < options.rounds && performance.now() < deadline) {
    for (const forms of variants) {
      for (const [name, m] of Object.entries(methods) as [keyof typeof methods, Method][]) {
        const t0 = performance.now();
        await m(forms[rounds + 1]);
        times[name].push(performance.now() - t0);
      }
    }
    rounds++;
  }
  const figures = async (m: Method, name: keyof typeof methods) => ({ hit3: await hit3(m), meanMs: mean(times[name]) });
  const o = await figures(ours, 'ours');
  const ratio = (f: MethodFigures) => ({ ...f, hit3Ratio: o.hit3 ? f.hit3 / o.hit3 : NaN, latencyRatio: f.meanMs / o.meanMs });
  return {
    questions: judged.length,
    rounds,
    ours: o,
    bigramBm25: ratio(await figures(bigramBm25, 'bigramBm25')),
    bruteCosine: ratio(await figures(bruteCosine, 'bruteCosine')),
  };
}
