/**
 * `npm run ask -- "質問"`: the answer and its sources' 章・節 (`--sources` adds the passages).
 * `npm run ask -- --json "質問"`: one JSON object as the last line of stdout, with `id` (`--id`, default 1).
 * `npm run ask -- --jsonl < questions.jsonl`: JSON lines with `id` and `q` in, one JSON line each out, in order.
 * `--build <build>` answers from another index build than the live one (see `ls data/index/builds`).
 */
import readline from 'node:readline';
import { createDefaultAnswerService } from '../src/app/local-answers.js';
import { loadConfig } from '../src/config.js';
import { isBotError, isQuestionError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import { toAnswerJson } from '../src/qa/answer-json.js';
import type { AnswerService } from '../src/qa/types.js';

import { parseCommandLine, usageError } from './command-line.js';

const USAGE = `
Usage: npm run ask -- [options] "質問"
       npm run ask -- --jsonl < questions.jsonl

  --sources        also print each source's passage (by default only its 章・節)
  --json           print one JSON object: {"id","question","answer","abstained","mode","sources","ms"}
  --id <id>        the "id" of that object (default 1)
  --jsonl          read {"id","q"} JSON lines on stdin, print one JSON line each, in order
  --build <build>  answer from another index build (ls data/index/builds)
  -h, --help       print this help
`;

const { values, positionals } = parseCommandLine(USAGE, {
  json: { type: 'boolean', default: false },
  jsonl: { type: 'boolean', default: false },
  sources: { type: 'boolean', default: false },
  id: { type: 'string', default: '1' },
  build: { type: 'string' },
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
  // The heading paths say where to read; the passages (often 60 lines) only when asked for.
  for (const s of result.sources) {
    console.log(`[${s.rank}] ${s.section}${values.sources ? `  (score ${s.score})` : ''}`);
    if (values.sources) console.log(`    ${s.text.replace(/\n/g, '\n    ')}\n`);
  }
  console.log(`${values.sources ? '' : '\n'}(${result.mode}, ${result.ms} ms${values.sources || !result.sources.length ? '' : '; --sources prints the passages'})`);
}

try {
  const config = loadConfig();
  if (!values.jsonl && positionals.length === 0) {
    usageError(USAGE, 'no question given');
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
    const result = await askOne(answers, positionals.join(' '), values.json ? values.id : undefined);
    if (values.json) console.log(JSON.stringify(result));
    else printReadable(result);
    if ('error' in result) process.exitCode = 1;
  }
} catch (error) {
  console.error(isBotError(error) ? `error: ${error.message}` : error);
  process.exit(1);
}
