/**
 * Offline answer latency, in-process: each dev question's three steps timed directly
 * (tokenize = engine.analyzeQuestion, retrieve = engine.search, compose =
 * composeExtractiveAnswer), and the whole answer service call, which adds the LangChain
 * sequence around them. Warm-up rounds first (JIT, caches), then bounded rounds.
 */
import type { Engine } from '../../src/qa/engine.js';
import { composeExtractiveAnswer } from '../../src/qa/extractive-answer.js';
import type { AnswerService } from '../../src/qa/types.js';
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
  questions: string[],
  options: { warmupRounds: number; rounds: number; maxMs: number },
): Promise<LatencyFigures> {
  const t = { tokenize: [] as number[], retrieve: [] as number[], compose: [] as number[], steps: [] as number[], service: [] as number[] };
  const once = async (question: string, record: boolean) => {
    const t0 = performance.now();
    const analyzed = engine.analyzeQuestion(question);
    const t1 = performance.now();
    const retrieval = await engine.search(analyzed);
    const t2 = performance.now();
    composeExtractiveAnswer(retrieval, { analyzer: engine.analyzer, index: engine.index, plan: engine.info.plan });
    const t3 = performance.now();
    await answers.answer(question);
    const t4 = performance.now();
    if (!record) return;
    t.tokenize.push(t1 - t0);
    t.retrieve.push(t2 - t1);
    t.compose.push(t3 - t2);
    t.steps.push(t3 - t0);
    t.service.push(t4 - t3);
  };
  for (let r = 0; r < options.warmupRounds; r++) for (const q of questions) await once(q, false);
  const deadline = performance.now() + options.maxMs;
  let rounds = 0;
  while (rounds < options.rounds && performance.now() < deadline) {
    for (const q of questions) await once(q, true);
    rounds++;
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
