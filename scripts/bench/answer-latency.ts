/**
 * Offline answer latency, in-process: each dev question's three steps timed directly
 * (tokenize = engine.analyzeQuestion, retrieve = engine.search, compose =
 * composeExtractiveAnswer), and the whole answer service call, which adds the LangChain
 * sequence around them. Warm-up rounds first (JIT), then bounded rounds. Every call asks a text
 * asked nowhere before (a question with another everyday opening or closing, questions.ts), so
 * that the engine's memory of analyses it read (qa/engine.ts) cannot stand in for reading.
 */
import type { Engine } from '../../src/qa/engine.js';
import { composeExtractiveAnswer } from '../../src/qa/extractive-answer.js';
import type { AnswerService } from '../../src/qa/types.js';
import { MIN_VARIANTS, variantsOf } from './questions.js';
import { spread, type Spread } from './stats.js';

export interface LatencyFigures {
  questions: number;
  rounds: number;
  tokenize: Spread;
  retrieve: Spread;
  compose: Spread;
  /** tokenize + retrieve + compose of the same question. */
  steps: Spread;
  /** answers.answer(question): what a channel waits for. */
  service: Spread;
}

export async function measureAnswerLatency(
  engine: Engine,
  answers: AnswerService,
  questions: Array<{ q: string; lang?: string }>,
  options: { warmupRounds: number; rounds: number; maxMs: number },
): Promise<LatencyFigures> {
  // Two distinct texts per question and round: one for the steps, one for the service.
  if (2 * (options.warmupRounds + options.rounds) > MIN_VARIANTS) throw new Error(`answer latency: at most ${Math.floor(MIN_VARIANTS / 2)} rounds in all`);
  const variants = questions.map(variantsOf);
  const t = { tokenize: [] as number[], retrieve: [] as number[], compose: [] as number[], steps: [] as number[], service: [] as number[] };
  let round = 0;
  const once = async (forms: string[], record: boolean) => {
    const [question, another] = [forms[2 * round], forms[2 * round + 1]];
    const t0 = performance.now();
    const analyzed = engine.analyzeQuestion(question);
    const t1 = performance.now();
    const retrieval = await engine.search(analyzed);
    const t2 = performance.now();
    composeExtractiveAnswer(retrieval, { analyzer: engine.analyzer, index: engine.index, plan: engine.info.plan });
    const t3 = performance.now();
    await answers.answer(another);
    const t4 = performance.now();
    if (!record) return;
    t.tokenize.push(t1 - t0);
    t.retrieve.push(t2 - t1);
    t.compose.push(t3 - t2);
    t.steps.push(t3 - t0);
    t.service.push(t4 - t3);
  };
  for (; round < options.warmupRounds; round++) for (const forms of variants) await once(forms, false);
  const deadline = performance.now() + options.maxMs;
  let rounds = 0;
  while (rounds < options.rounds && performance.now() < deadline) {
    for (const forms of variants) await once(forms, true);
    rounds++;
    round++;
  }
  return {
    questions: questions.length,
    rounds,
    tokenize: spread(t.tokenize),
    retrieve: spread(t.retrieve),
    compose: spread(t.compose),
    steps: spread(t.steps),
    service: spread(t.service),
  };
}
