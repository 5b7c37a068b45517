/**
 * `npm run index -- [--source <file>] [--version <label>] [--force] [--dry-run]` builds a plan text
 * (default: the current plan of corpus/plans.json) into a new index version next to the live one,
 * labelled and named as plans.json says (a file it does not list needs `--version`),
 * prints what changed against the live build, runs the standard questions through both, and
 * makes it live only when it is not clearly worse (issue 6). `--rollback` makes the previous
 * build live again. Running bots follow the pointer by themselves (src/index/live-index.ts).
 * Whatever fails, the live index is left as it was; the exit code is then 1. On a terminal,
 * one updating line shows the stage and the chunks embedded of their total; when stdout is not
 * a terminal, plain lines say the same (scripts/progress-display.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { configuredEmbedder, loadEngine } from '../src/app/engine-loader.js';
import { loadTextStack, type TextStack } from '../src/app/text-stack.js';
import { loadConfig, type Config } from '../src/config.js';
import { planName } from '../src/corpus/plan-identity.js';
import { planToBuild, readPlanRegistry } from '../src/corpus/plan-registry.js';
import { readPlanSections } from '../src/corpus/read-source.js';
import { BotError, isBotError, isIndexError } from '../src/errors.js';
import { compareRuns, formatFigures, formatGateReport, runQuestions } from '../src/eval/regression-gate.js';
import { figures, parseEvalLines, type EvalOutcome, type EvalQuestion } from '../src/eval/score.js';
import type { BuildProgressFn, BuildStage } from '../src/index/build-index.js';
import { buildPlanIndex } from '../src/index/build-plan.js';
import { diffSections, formatSectionDiff, readBuildSections } from '../src/index/diff-sections.js';
import { activateBuild, buildDir, readPointer } from '../src/index/index-paths.js';
import { loadBuild } from '../src/index/load-index.js';
import { removeStaleTemps } from '../src/index/stale-builds.js';
import { createLogger } from '../src/logger.js';
import { createAnswerService } from '../src/qa/answer-service.js';
import { parseCommandLine, usageError } from './command-line.js';
import { createProgressDisplay } from './progress-display.js';

/** A refusal of the command itself (the gate, nothing to roll back to): its message is the whole story. */
class IndexCommandError extends BotError {
  constructor(message: string) {
    super('index_invalid', message);
  }
}

const USAGE = `
Usage: npm run index -- [options]

  (no options)        build the current plan of corpus/plans.json and make it live
  --source <file>     build this plan text instead (a new revision)
  --version <label>   its version label; needed when plans.json does not list the file
  --dry-run           only show the diff against the live index and the gate
  --force             go live although a standard question was lost
  --rollback          make the previous build live again
  -h, --help          print this help
`;

const { values, positionals } = parseCommandLine(USAGE, {
  source: { type: 'string' },
  version: { type: 'string' },
  force: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  rollback: { type: 'boolean', default: false },
});
if (positionals.length) usageError(USAGE, `unexpected argument "${positionals[0]}" (a source file goes after --source)`);

const config = loadConfig();
// The gate answers dozens of questions: only warnings belong on the maintainer's terminal.
const quiet = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn');
const progress = createProgressDisplay(process.stdout);
/** What each of the build's stages is called on the progress line, and what its count counts. */
const STAGES: Record<BuildStage, { label: string; unit?: string }> = {
  sections: { label: 'reading sections and chunks' },
  lexical: { label: 'indexing words (BM25)', unit: 'texts' },
  fit: { label: 'weighing terms for the offline embedder' },
  embed: { label: 'embedding', unit: 'chunks' },
  vectors: { label: 'building the vector index' },
  write: { label: 'writing the build' },
};

/** Shows a build's progress reports: a new stage when the stage changes, then how far it is. */
function showBuildProgress(): BuildProgressFn {
  let shown: BuildStage | undefined;
  return ({ stage, done, total }) => {
    if (stage !== shown) {
      shown = stage;
      const { label, unit } = STAGES[stage];
      progress.stage(label, unit && total ? { total, unit } : undefined);
    }
    if (done) progress.advance(done);
  };
}

async function rollback(indexDir: string) {
  const pointer = await readPointer(indexDir);
  const previous = pointer?.previous[0];
  if (!pointer || !previous) throw new IndexCommandError(`No previous build to roll back to in ${indexDir}.`);
  const manifest = await loadBuild(buildDir(indexDir, previous), (await loadTextStack(config)).analyzer, await configuredEmbedder(config)).then((i) => i.manifest);
  await activateBuild(indexDir, previous);
  console.log(`rolled back: ${previous} (plan ${manifest.planVersion}) is live again instead of ${pointer.build}.`);
  console.log('Running bots swap to it within a few seconds; `npm run index -- --rollback` again undoes this.');
}

/** The standard questions' outcomes for one build, through the same answer service as the bot (offline: the gate judges retrieval). */
async function evaluate(dir: string, stack: TextStack, questions: EvalQuestion[], which: 'new' | 'live') {
  progress.stage(`standard questions, ${which} build`, { total: questions.length, unit: 'questions' });
  const engine = await loadEngine(config, stack, quiet, path.basename(dir));
  const outcomes = await runQuestions(createAnswerService({ engine: () => engine, logger: quiet }), questions, (done) => progress.advance(done));
  progress.stop();
  return outcomes;
}

async function standardQuestions(cfg: Config): Promise<EvalQuestion[]> {
  const file = path.join(cfg.corpusDir, 'eval-questions.jsonl');
  return parseEvalLines(await fs.readFile(file, 'utf8'), file).filter((q) => q.scope === 'in');
}

/** Prints the diff and the gate against the live build; undefined when the live build cannot be read (a broken live index must not block its repair). */
async function compareWithLive(liveDir: string, newDir: string, stack: TextStack, questions: EvalQuestion[], after: EvalOutcome[]) {
  let liveSections, before;
  try {
    liveSections = await readBuildSections(liveDir);
    before = await evaluate(liveDir, stack, questions, 'live');
  } catch (error) {
    if (!isIndexError(error)) throw error;
    progress.stop();
    console.log(`the live build cannot be read (${error.message}): nothing to compare with.`);
    return undefined;
  }
  console.log(`changes against the live build ${path.basename(liveDir)}:`);
  console.log(formatSectionDiff(diffSections(liveSections, await readBuildSections(newDir))));
  const report = compareRuns(before, after);
  console.log(formatGateReport(report));
  return report;
}

async function build() {
  const { indexDir } = config;
  const registry = await readPlanRegistry(config.corpusDir);
  const sourceFile = values.source ? path.resolve(values.source) : planToBuild(registry, config.corpusDir, { version: values.version }).sourceFile;
  progress.stage('reading the source');
  await readPlanSections(sourceFile); // a bad source fails here, in a moment, before the tokenizer loads
  // The label and the plan's name come from plans.json (or --version); never from the file's name.
  const target = planToBuild(registry, config.corpusDir, { source: values.source, version: values.version });
  if (!registry.plans.some((p) => p.version === target.version)) {
    progress.stop();
    console.log(`note: ${target.version} is not listed in corpus/plans.json: answers call it "${planName(target.plan)}" until an entry names its revision.`);
  }

  // A broken pointer stops here, before anything is built, with how to repair it.
  const live = await readPointer(indexDir);
  progress.stage('loading the dictionary (kuromoji)');
  const stack = await loadTextStack(config);
  const started = performance.now();
  const manifest = await buildPlanIndex({
    target,
    indexDir,
    analyzer: stack.analyzer,
    embedder: await configuredEmbedder(config),
    onProgress: showBuildProgress(),
  });
  progress.stop();
  const newDir = buildDir(indexDir, manifest.build);
  console.log(`built ${manifest.build}: plan ${target.version} (${planName(target.plan)}), ${manifest.sectionCount} sections, ${manifest.chunkCount} chunks (${Math.round(performance.now() - started)} ms)`);

  let wentLive = false;
  try {
    const questions = await standardQuestions(config);
    const after = await evaluate(newDir, stack, questions, 'new');
    if (!live) {
      console.log('no live index yet: nothing to compare with.');
    } else {
      const report = await compareWithLive(buildDir(indexDir, live.build), newDir, stack, questions, after);
      if (report && report.reasons.length && !values.force) {
        throw new IndexCommandError(`the new build is worse than the live one:\n  ${report.reasons.join('\n  ')}\nFix the source, or run again with --force to make it live anyway.`);
      }
      if (report?.reasons.length) console.log(`--force: going live although ${report.reasons.join('; ')}`);
    }
    if (values['dry-run']) {
      console.log('--dry-run: the new build was checked and not made live.');
      return;
    }
    await activateBuild(indexDir, manifest.build);
    wentLive = true;
    console.log(`index ${manifest.build} is live: plan ${manifest.planVersion}, ${formatFigures(figures(after))}`);
  } finally {
    // A build that does not go live is removed: builds/ holds only builds that were live once.
    if (!wentLive) await fs.rm(newDir, { recursive: true, force: true });
  }
}

try {
  const stale = await removeStaleTemps(config.indexDir);
  if (stale.length) console.log(`removed ${stale.length} unfinished build folder(s) left by an interrupted run: ${stale.join(', ')}`);
  await (values.rollback ? rollback(config.indexDir) : build());
} catch (error) {
  progress.stop();
  console.error(isBotError(error) ? `error: ${error.message}` : error);
  console.error('The live index was not changed.');
  process.exit(1);
}
