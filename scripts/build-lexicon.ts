/**
 * `npm run lexicon -- [--edict /usr/share/edict/edict]`: rebuilds corpus/english-lexicon.json,
 * the EDICT entries whose Japanese headword occurs in any plan of corpus/plans.json. Run it
 * after adding a plan version (needs Debian's `edict` package: `apt-get install edict`).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { buildLexicon, LEXICON_ATTRIBUTION } from '../src/corpus/english-lexicon.js';
import { readPlanRegistry } from '../src/corpus/plan-registry.js';
import { readPlanSections } from '../src/corpus/read-source.js';
import { normalizeForMatch } from '../src/text/normalize.js';

const USAGE = 'Usage: npm run lexicon -- [--edict FILE] [--out FILE]';
let values: { edict?: string; out?: string; help?: boolean };
try {
  ({ values } = parseArgs({ options: { edict: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const config = loadConfig();
const edictFile = values.edict ?? '/usr/share/edict/edict';
const out = values.out ?? path.join(config.corpusDir, 'english-lexicon.json');
let raw: Buffer;
try {
  raw = await fs.readFile(edictFile);
} catch {
  console.error(`error: cannot read ${edictFile}. Install Debian's edict package (apt-get install edict) or pass --edict FILE.`);
  process.exit(1);
}
const lines = new TextDecoder('euc-jp').decode(raw).split('\n');

const registry = await readPlanRegistry(config.corpusDir);
const texts: string[] = [];
for (const plan of registry.plans) texts.push((await readPlanSections(path.resolve(config.corpusDir, plan.file))).text);
const planText = normalizeForMatch(texts.join('\n')).replace(/\s+/g, '');

const lexicon = buildLexicon(lines, planText);
const file = {
  $comment: `English words → the plan's Japanese terms, for English questions. ${LEXICON_ATTRIBUTION} Rebuild with \`npm run lexicon\`.`,
  source: path.basename(edictFile),
  license: 'CC BY-SA 3.0',
  plans: registry.plans.map((p) => p.version),
  planSha256: createHash('sha256').update(planText).digest('hex'),
  entries: lexicon.entries,
};
await fs.writeFile(`${out}.tmp`, JSON.stringify(file, null, 0) + '\n');
await fs.rename(`${out}.tmp`, out);
console.log(`wrote ${out}: ${Object.keys(lexicon.entries).length} English words and phrases from ${lines.length} EDICT lines`);
