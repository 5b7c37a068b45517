/**
 * `npm run eval -- [file] [--half A|B] [--json] [--quiet]`: runs the questions (default: the
 * project's copy of the public questions, corpus/eval-questions.jsonl) through the same answer
 * service as the bot, lists every miss, and prints the figures of shared/eval/README.md next
 * to the plain bigram-BM25 baseline computed on the same questions in the same run.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { createDefaultAnswerService } from '../src/app/local-answers.js';
import { loadConfig } from '../src/config.js';
import { currentPlan, readPlanRegistry } from '../src/corpus/plan-registry.js';
import { readPlanSections } from '../src/corpus/read-source.js';
import { createBigramBaseline } from '../src/eval/baseline.js';
import { runQuestions } from '../src/eval/regression-gate.js';
import { evidenceRankIn, figures, halfOf, parseEvalLines, rankFigures, squash, type EvalOutcome, type Figures } from '../src/eval/score.js';
import { createLogger } from '../src/logger.js';
import { parseCommandLine, usageError } from './command-line.js';

const USAGE = `
Usage: npm run eval -- [file] [options]

  file          eval questions, one JSON line each (default corpus/eval-questions.jsonl)
  --half A|B    only the odd (A) or even (B) ids
  --json        print one JSON object instead of the table
  -q, --quiet   leave out the list of misses
  -h, --help    print this help
`;

const { values, positionals } = parseCommandLine(USAGE, {
  half: { type: 'string' },
  json: { type: 'boolean', default: false },
  quiet: { type: 'boolean', short: 'q', default: false },
});
const half = values.half?.toUpperCase();
if (half !== undefined && half !== 'A' && half !== 'B') usageError(USAGE, '--half must be A (odd ids) or B (even ids)');
if (positionals.length > 1) usageError(USAGE, 'give at most one questions file');

const config = loadConfig();
const file = path.resolve(positionals[0] ?? path.join(config.corpusDir, 'eval-questions.jsonl'));
const questions = parseEvalLines(await fs.readFile(file, 'utf8'), file).filter((q) => !half || halfOf(q) === half);
const { answers } = await createDefaultAnswerService(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel));
const outcomes = await runQuestions(answers, questions);

// The baseline reads the raw text of the plan the index was built from.
const plan = currentPlan(await readPlanRegistry(config.corpusDir), config.corpusDir);
const baseline = createBigramBaseline((await readPlanSections(plan.path)).text);
const baselineRanks = new Map(questions.map((q) => [q.id, evidenceRankIn(q, baseline(q.q))]));

const groups: Array<[string, (o: EvalOutcome) => boolean]> = [
  ['ja', (o) => o.question.lang === 'ja'],
  ['en', (o) => o.question.lang === 'en'],
  ['all', () => true],
];
const rows = groups.map(([name, keep]) => {
  const chosen = outcomes.filter(keep);
  const inScope = chosen.filter((o) => o.question.scope === 'in');
  return { name, engine: figures(chosen), baseline: rankFigures(inScope.map((o) => baselineRanks.get(o.question.id))) };
});

/** Why an outcome is a miss, or undefined when it is not one. */
function missOf(o: EvalOutcome): string | undefined {
  if (o.question.scope === 'out') return o.answer.abstained ? undefined : 'answered, but the plan does not cover it';
  if (o.answer.abstained) return 'refused';
  const problems: string[] = [];
  if (o.evidenceRank !== 1) problems.push(o.evidenceRank ? `evidence @${o.evidenceRank}` : 'no evidence in sources');
  const text = squash(o.answer.answer);
  const missing = (o.question.facts ?? []).filter((group) => !group.some((f) => text.includes(squash(f))));
  if (missing.length) problems.push(`facts missing: ${missing.map((g) => g.join('|')).join(', ')}`);
  return problems.length ? problems.join('; ') : undefined;
}
const misses = outcomes.flatMap((o) => {
  const why = missOf(o);
  return why ? [{ id: o.question.id, q: o.question.q, why, baselineRank: baselineRanks.get(o.question.id) ?? null }] : [];
});

if (values.json) {
  console.log(JSON.stringify({ file, half: half ?? 'all', rows, misses }));
} else {
  if (!values.quiet) {
    for (const m of misses) console.log(`${m.id}\t${m.why}\t(baseline ${m.baselineRank ? '@' + m.baselineRank : 'none'})\t${m.q}`);
    if (misses.length) console.log();
  }
  const n = (x: number) => x.toFixed(2);
  const engineCells = (f: Figures) =>
    [f.questions, f.inScope, n(f.hit1), n(f.hit3), n(f.hit5), n(f.mrr10), n(f.factCoverage), n(f.refusedIn), n(f.abstainedOut), f.medianAnswerChars];
  console.log(`questions: ${file}${half ? ` (half ${half}: ${half === 'A' ? 'odd' : 'even'} ids)` : ''}`);
  const header = ['', 'n', 'in', 'hit@1', 'hit@3', 'hit@5', 'MRR@10', 'facts', 'refused(in)', 'abstained(out)', 'median chars'];
  const table = [header];
  for (const row of rows) {
    table.push([`engine ${row.name}`, ...engineCells(row.engine).map(String)]);
    const b = row.baseline;
    table.push([`bm25   ${row.name}`, '', String(row.engine.inScope), n(b.hit1), n(b.hit3), n(b.hit5), n(b.mrr10), '', '', '', '']);
  }
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  for (const r of table) console.log(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  console.log('bm25 = plain BM25 over character bigrams of 400-character windows of the plan text (shared/eval/README.md).');
}
