/**
 * `npm run tune-curated -- [questions.jsonl] [--rewordings file]`: fits the curated-answer
 * threshold (CURATED_THRESHOLD in src/qa/curated-match.ts) on each half of the public questions
 * and reads it on the other (src/eval/curated-fit.ts), then reads the mean of the two fits on
 * both halves. Copy that value, with its figures, into CURATED_THRESHOLD and README.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadTextStack } from '../src/app/text-stack.js';
import { loadConfig } from '../src/config.js';
import { figuresAt, fitCases, fitThreshold, parseRewordings, type FitFigures } from '../src/eval/curated-fit.js';
import { parseEvalLines } from '../src/eval/score.js';
import { CURATED_THRESHOLD } from '../src/qa/curated-match.js';
import { parseCommandLine, usageError } from './command-line.js';

const USAGE = `
Usage: npm run tune-curated -- [questions.jsonl] [options]

  --rewordings FILE   rewordings of some questions (default: corpus/curated-rewordings.jsonl)
  -h, --help          print this help
`;
const { values, positionals } = parseCommandLine(USAGE, { rewordings: { type: 'string' } });
if (positionals.length > 1) usageError(USAGE, `unexpected argument "${positionals[1]}"`);

const config = loadConfig();
const questionFile = path.resolve(positionals[0] ?? path.join(config.corpusDir, 'eval-questions.jsonl'));
const rewordingFile = path.resolve(values.rewordings ?? path.join(config.corpusDir, 'curated-rewordings.jsonl'));
const questions = parseEvalLines(await fs.readFile(questionFile, 'utf8'), questionFile);
const rewordings = parseRewordings(await fs.readFile(rewordingFile, 'utf8'), rewordingFile);
const { analyzer } = await loadTextStack(config);
const cases = { A: fitCases(analyzer, questions, rewordings, 'A'), B: fitCases(analyzer, questions, rewordings, 'B') };

const show = (f: FitFigures) =>
  `threshold ${f.threshold.toFixed(3)}: ${f.matched}/${f.rewordings} rewordings matched, ${f.wrong}/${f.questions} questions given a wrong curated answer`;
const fits = { A: fitThreshold(cases.A), B: fitThreshold(cases.B) };
for (const [fit, read] of [['A', 'B'], ['B', 'A']] as const) {
  console.log(`fitted on ${fit}: ${show(fits[fit])}`);
  console.log(`  read on ${read}: ${show(figuresAt(cases[read], fits[fit].threshold))}`);
}
const mean = Math.round(((fits.A.threshold + fits.B.threshold) / 2) * 1000) / 1000;
console.log(`mean of the fits ${mean.toFixed(3)} — A: ${show(figuresAt(cases.A, mean))}; B: ${show(figuresAt(cases.B, mean))}`);
console.log(`CURATED_THRESHOLD now ${CURATED_THRESHOLD} — A: ${show(figuresAt(cases.A, CURATED_THRESHOLD))}; B: ${show(figuresAt(cases.B, CURATED_THRESHOLD))}`);
for (const half of ['A', 'B'] as const) {
  const closest = cases[half].filter((c) => !c.expected).sort((a, b) => b.score - a.score).slice(0, 3);
  console.log(`  ${half}: highest scores of questions without a curated answer: ${closest.map((c) => `${c.score.toFixed(3)} ${c.text}`).join(' / ')}`);
  for (const c of cases[half]) {
    const passes = c.score >= mean;
    if ((c.expected && (!passes || c.best !== c.expected)) || (!c.expected && passes)) {
      console.log(`  ${half} ${c.expected ? 'missed' : 'wrong'} at ${mean}: ${c.score.toFixed(3)} ${c.text} → ${c.best}`);
    }
  }
}
