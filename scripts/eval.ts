/**
 * `npm run eval -- [file] [--json] [--verbose]`: runs the questions (default: corpus/eval-questions.jsonl)
 * through the same answer service as the bot and prints the figures of shared/eval/README.md.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDefaultAnswerService } from '../src/app/local-answers.js';
import { loadConfig } from '../src/config.js';
import { runQuestions } from '../src/eval/regression-gate.js';
import { figures, parseEvalLines, type Figures } from '../src/eval/score.js';
import { createLogger } from '../src/logger.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: 'boolean', default: false }, verbose: { type: 'boolean', short: 'v', default: false } },
});
const config = loadConfig();
const file = path.resolve(positionals[0] ?? path.join(config.corpusDir, 'eval-questions.jsonl'));
const questions = parseEvalLines(await fs.readFile(file, 'utf8'), file);
const { answers } = await createDefaultAnswerService(config, createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel));

const outcomes = await runQuestions(answers, questions);

const rows: Array<[string, Figures]> = [
  ['ja', figures(outcomes.filter((o) => o.question.lang === 'ja'))],
  ['en', figures(outcomes.filter((o) => o.question.lang === 'en'))],
  ['all', figures(outcomes)],
];
if (values.json) {
  console.log(JSON.stringify(Object.fromEntries(rows)));
} else {
  if (values.verbose) {
    for (const o of outcomes) {
      const mark = o.question.scope === 'out' ? (o.answer.abstained ? 'ok ' : 'ANS') : o.answer.abstained ? 'REF' : o.evidenceRank ? `@${o.evidenceRank} ` : 'miss';
      console.log(`${o.question.id}\t${mark}\tfacts=${o.factsCovered ? 'y' : 'n'}\t${o.question.q}`);
    }
    console.log();
  }
  const pct = (x: number) => x.toFixed(2);
  console.log(`questions: ${file}`);
  console.log('lang  n   in  hit@1 hit@3 hit@5 MRR@10 facts  abstained(out) refused(in)');
  for (const [lang, f] of rows) {
    console.log(
      `${lang.padEnd(5)} ${String(f.questions).padEnd(3)} ${String(f.inScope).padEnd(3)} ${pct(f.hit1)}  ${pct(f.hit3)}  ${pct(f.hit5)}  ${pct(f.mrr10)}   ${pct(f.factCoverage)}   ${pct(f.abstainedOut)}           ${pct(f.refusedIn)}`,
    );
  }
}
