/**
 * `npm run ask -- "質問"`: a readable answer with its sources.
 * `npm run ask -- --json "質問"`: one JSON object as the last line of stdout.
 * `npm run ask -- --jsonl < questions.jsonl`: JSON lines with `id` and `q` in, one JSON line each out, in order.
 * `--build <build>` answers from another index build than the live one (see `ls data/index/builds`).
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { createDefaultAnswerService } from '../src/app/local-answers.js';
import { loadConfig } from '../src/config.js';
import { isBotError, isQuestionError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { toAnswerJson } from '../src/qa/answer-json.js';
import type { AnswerService } from '../src/qa/types.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    jsonl: { type: 'boolean', default: false },
    build: { type: 'string' },
  },
});

async function askOne(answers: AnswerService, question: string, id?: string) {
  const started = performance.now();
  try {
    return toAnswerJson(question, await answers.answer(question), performance.now() - started, id);
  } catch (error) {
    if (isQuestionError(error)) return { ...(id === undefined ? {} : { id }), question, error: error.message };
    throw error;
  }
}

function printReadable(result: Awaited<ReturnType<typeof askOne>>) {
  if ('error' in result) {
    console.log(result.error);
    return;
  }
  console.log(`${result.answer}\n`);
  for (const s of result.sources) {
    console.log(`[${s.rank}] ${s.section}  (score ${s.score})`);
    console.log(`    ${s.text.replace(/\n/g, '\n    ')}\n`);
  }
  console.log(`(${result.mode}, ${result.ms} ms)`);
}

try {
  const config = loadConfig();
  if (!values.jsonl && positionals.length === 0) {
    console.error('Usage: npm run ask -- [--json] "質問"   or   npm run ask -- --jsonl < questions.jsonl');
    process.exit(2);
  }
  const logger = createLogger(values.json || values.jsonl ? 'warn' : config.logLevel);
  const { answers } = await createDefaultAnswerService(config, logger, { build: values.build });
  if (values.jsonl) {
    let n = 0;
    for await (const line of readline.createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      n++;
      if (!line.trim()) continue;
      let item: { id?: unknown; q?: unknown };
      try {
        item = JSON.parse(line);
      } catch {
        console.log(JSON.stringify({ line: n, error: 'not a JSON line' }));
        continue;
      }
      const id = item.id === undefined ? String(n) : String(item.id);
      if (typeof item.q !== 'string') console.log(JSON.stringify({ id, error: 'missing "q"' }));
      else console.log(JSON.stringify(await askOne(answers, item.q, id)));
    }
  } else {
    const result = await askOne(answers, positionals.join(' '));
    if (values.json) console.log(JSON.stringify(result));
    else printReadable(result);
    if ('error' in result) process.exitCode = 1;
  }
} catch (error) {
  console.error(isBotError(error) ? `error: ${error.message}` : error);
  process.exit(1);
}
