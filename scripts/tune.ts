/**
 * `npm run tune -- [file] --half A|B [--refusal]`: fits the retrieval weights (src/qa/hybrid-search.ts) on
 * one half of the questions and reads them on the other, as shared/eval/README.md asks.
 * Coordinate ascent on MRR@10 of the fitting half (hit@1 breaks ties), retrieval only: a
 * refusal does not hide a ranking here. Prints the fitted options and both halves' figures;
 * copy them into SIGNAL_WEIGHTS only when both halves agree.
 * `--refusal` fits the refusal's thresholds instead (src/qa/refusal.ts), on all the questions of
 * the half: as many unanswerable ones refused as possible, an answerable one refused costing two.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEngine } from '../src/app/engine-loader.js';
import { loadTextStack } from '../src/app/text-stack.js';
import { loadConfig } from '../src/config.js';
import { evidenceRankIn, halfOf, parseEvalLines, rankFigures, type EvalQuestion } from '../src/eval/score.js';
import { silentLogger } from '../src/logger.js';
import { createHybridSearch, LIFTS, SIGNAL_WEIGHTS, type HybridSearchOptions, type Signal } from '../src/qa/hybrid-search.js';

const USAGE = 'Usage: npm run tune -- [questions.jsonl] --half A|B [--refusal]';
let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { half: { type: 'string' }, refusal: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const fitHalf = values.half?.toUpperCase();
if (fitHalf !== 'A' && fitHalf !== 'B') {
  console.error(`--half must be A or B: the half the weights are fitted on.\n${USAGE}`);
  process.exit(2);
}

const config = loadConfig();
const file = path.resolve(positionals[0] ?? path.join(config.corpusDir, 'eval-questions.jsonl'));
const allQuestions = parseEvalLines(await fs.readFile(file, 'utf8'), file);
const questions = allQuestions.filter((q) => q.scope === 'in');
const stack = await loadTextStack(config);
const engine = await loadEngine(config, stack, silentLogger);
const analyzed = new Map(allQuestions.map((q) => [q.id, engine.analyzeQuestion(q.q)]));
if (values.refusal) {
  await tuneRefusal();
  process.exit(0);
}

type Params = Required<Pick<HybridSearchOptions, 'typeBoost' | 'definitionBoost' | 'indicatorBoost' | 'summaryFactor'>> & { weights: Record<Signal, number> };

async function score(params: Params, half: 'A' | 'B') {
  const search = createHybridSearch(engine.index, engine.analyzer, { ...params, limit: 10 });
  const chosen = questions.filter((q) => halfOf(q) === half);
  const ranks: Array<number | undefined> = [];
  for (const q of chosen) {
    const result = await search(analyzed.get(q.id)!);
    ranks.push(evidenceRankIn(q as EvalQuestion, result.passages.map((p) => p.chunk.text)));
  }
  return rankFigures(ranks);
}
const objective = (f: Awaited<ReturnType<typeof score>>) => f.mrr10 + 0.01 * f.hit1;

const TUNED_SIGNALS: Signal[] = ['chunkWords', 'chunkBigrams', 'chunkReadings', 'sentenceWords', 'sentenceBigrams', 'sentenceReadings', 'chunkCoverage'];
let params: Params = { weights: { ...SIGNAL_WEIGHTS }, ...LIFTS };
let bestValue = objective(await score(params, fitHalf));
const grid: Record<string, number[]> = {
  weight: [0, 0.5, 1, 2],
  typeBoost: [0, 0.15, 0.3, 0.5, 0.8],
  definitionBoost: [0, 0.25, 0.5, 1],
  summaryFactor: [0.6, 0.75, 0.9, 1],
};
for (let pass = 0; pass < 3; pass++) {
  let improved = false;
  const knobs: Array<[string, number[]]> = [
    // Few knobs for ~55 questions a half: the lexical rankings and the two lifts a question type
    // decides. The rest (vectors, phrase, coverage, the summary factor) stay where they are.
    ...TUNED_SIGNALS.map((k) => [`weights.${k}`, grid.weight] as [string, number[]]),
    ['typeBoost', grid.typeBoost],
    ['definitionBoost', grid.definitionBoost],
  ];
  for (const [knob, candidates] of knobs) {
    for (const value of candidates) {
      const next: Params = structuredClone(params);
      if (knob.startsWith('weights.')) next.weights[knob.slice(8) as Signal] = value;
      else (next as unknown as Record<string, number>)[knob] = value;
      const v = objective(await score(next, fitHalf));
      if (v > bestValue + 1e-9) {
        bestValue = v;
        params = next;
        improved = true;
      }
    }
  }
  if (!improved) break;
}

const otherHalf = fitHalf === 'A' ? 'B' : 'A';
const show = (f: Awaited<ReturnType<typeof score>>) =>
  `hit@1 ${f.hit1.toFixed(2)}  hit@3 ${f.hit3.toFixed(2)}  hit@5 ${f.hit5.toFixed(2)}  MRR@10 ${f.mrr10.toFixed(2)}`;
console.log(`fitted on half ${fitHalf}:`, JSON.stringify(params));
console.log(`  half ${fitHalf} (fit):  ${show(await score(params, fitHalf))}`);
console.log(`  half ${otherHalf} (read): ${show(await score(params, otherHalf))}`);

/** The refusal's thresholds, on the answers of one half, read on the other. */
async function tuneRefusal() {
  const { composeExtractiveAnswer } = await import('../src/qa/extractive-answer.js');
  const halfQuestions = (half: 'A' | 'B') => allQuestions.filter((q) => halfOf(q) === half);
  const rates = async (p: { minFocusInPlan: number; minFocusInTop: number; unknownWeight: number }, half: 'A' | 'B') => {
    const search = createHybridSearch(engine.index, engine.analyzer, { unknownWeight: p.unknownWeight });
    let refusedIn = 0, inScope = 0, refusedOut = 0, outScope = 0;
    for (const q of halfQuestions(half)) {
      const result = await search(analyzed.get(q.id)!);
      const { abstained } = composeExtractiveAnswer(result, { analyzer: engine.analyzer, index: engine.index }, { refusal: p });
      if (q.scope === 'in') (inScope++, (refusedIn += Number(abstained)));
      else (outScope++, (refusedOut += Number(abstained)));
    }
    return { refusedIn: refusedIn / inScope, refusedOut: refusedOut / outScope };
  };
  let best = { minFocusInPlan: 0.4, minFocusInTop: 0.35, unknownWeight: 3 };
  let bestValue = -Infinity;
  for (const minFocusInPlan of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55])
    for (const minFocusInTop of [0.2, 0.3, 0.35, 0.4, 0.5])
      for (const unknownWeight of [2, 3, 4]) {
        const p = { minFocusInPlan, minFocusInTop, unknownWeight };
        const r = await rates(p, fitHalf as 'A' | 'B');
        const value = r.refusedOut - 2 * r.refusedIn;
        if (value > bestValue + 1e-9) ((bestValue = value), (best = p));
      }
  const other = fitHalf === 'A' ? 'B' : 'A';
  const show = (r: { refusedIn: number; refusedOut: number }) => `answerable refused ${r.refusedIn.toFixed(2)}  unanswerable refused ${r.refusedOut.toFixed(2)}`;
  console.log(`refusal fitted on half ${fitHalf}:`, JSON.stringify(best));
  console.log(`  half ${fitHalf} (fit):  ${show(await rates(best, fitHalf as 'A' | 'B'))}`);
  console.log(`  half ${other} (read): ${show(await rates(best, other))}`);
}
