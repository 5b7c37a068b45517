/**
 * `npm run curated -- add|list|disable|export|import`: the support center's curated answers in
 * the store the settings name (DATABASE_URL, else DATA_DB_PATH), from the command line. Every
 * replica answers with a change within CURATED_RELOAD_SECONDS. The file format of export and
 * import: src/store/curated-file.ts (and README).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { CuratedError, isBotError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';
import type { CuratedAnswer } from '../src/store/curated.js';
import { importCurated, parseCuratedFile, serializeCuratedFile } from '../src/store/curated-file.js';
import { readPointer } from '../src/index/index-paths.js';
import { createPassageLookup } from '../src/qa/passage-lookup.js';
import { openStore } from '../src/store/open-store.js';
import { parseCommandLine, usageError } from './command-line.js';

const USAGE = `
Usage: npm run curated -- <command> [options]

  add --phrasing Q [--phrasing Q2 …] --answer TEXT [--section ID]
                      store a curated answer (the first phrasing is its title;
                      --section names the plan passage it rests on, a chunk id)
  list [--all] [--json]
                      the active curated answers (--all: those switched off too)
  disable ID          switch a curated answer off (it stays in the store)
  export FILE         write every curated answer to FILE as JSON ("-": stdout)
  import FILE         add the answers of FILE that the store does not have yet

  -h, --help          print this help
`;

const { values, positionals } = parseCommandLine(USAGE, {
  phrasing: { type: 'string', multiple: true },
  answer: { type: 'string' },
  section: { type: 'string' },
  all: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
});
const [command, ...rest] = positionals;
const COMMANDS = ['add', 'list', 'disable', 'export', 'import'];
if (!command) usageError(USAGE, 'a command is needed: add, list, disable, export or import');
if (!COMMANDS.includes(command)) usageError(USAGE, `unknown command "${command}"`);
const argumentsOf: Record<string, number> = { add: 0, list: 0, disable: 1, export: 1, import: 1 };
if (rest.length !== argumentsOf[command]) {
  usageError(USAGE, argumentsOf[command] ? `${command} takes one ${command === 'disable' ? 'ID' : 'FILE'}` : `unexpected argument "${rest[0]}"`);
}
if (command === 'add' && (!values.phrasing?.length || !values.answer)) usageError(USAGE, 'add needs --phrasing and --answer');
const id = command === 'disable' ? Number(rest[0]) : undefined;
if (id !== undefined && !(Number.isInteger(id) && id > 0)) usageError(USAGE, `disable takes the id of a curated answer (a whole number); got "${rest[0]}"`);

/** Who the store records as the author: the command line (hashed like every author). */
const AUTHOR = 'cli';

const line = (a: CuratedAnswer) =>
  `${String(a.id).padStart(4)}  ${a.active ? 'active' : 'off   '}  ${a.updatedAt.toISOString().slice(0, 10)}  ${a.phrasings[0]}` +
  `${a.phrasings.length > 1 ? ` (+${a.phrasings.length - 1})` : ''}${a.sectionId ? `  [${a.sectionId}]` : ''}`;

const config = loadConfig();
try {
  const store = await openStore(config, createLogger('warn'));
  try {
    if (command === 'add') {
      // A section the live index does not have would show no source: say so before storing.
      if (values.section && (await readPointer(config.indexDir)) && !(await createPassageLookup(config.indexDir)(values.section))) {
        throw new CuratedError(`the live index has no passage "${values.section}": --section takes a chunk id of its chunks.json (or leave it out).`);
      }
      const added = await store.curated.add({ phrasings: values.phrasing!, answer: values.answer!, sectionId: values.section, author: AUTHOR });
      console.log(`added curated answer ${added.id}: ${added.phrasings[0]}`);
    } else if (command === 'list') {
      const answers = await store.curated.list({ includeInactive: values.all });
      if (values.json) console.log(serializeCuratedFile(answers).trimEnd());
      else console.log(answers.length ? answers.map(line).join('\n') : '(no curated answers)');
    } else if (command === 'disable') {
      const changed = await store.curated.update(id!, { active: false, author: AUTHOR });
      if (!changed) {
        console.error(`error: no curated answer ${id} (npm run curated -- list --all shows them)`);
        process.exitCode = 1;
      } else console.log(`switched off curated answer ${id}: ${changed.phrasings[0]}`);
    } else if (command === 'export') {
      const text = serializeCuratedFile(await store.curated.list({ includeInactive: true }));
      if (rest[0] === '-') process.stdout.write(text);
      else {
        // Written whole, then renamed: an interrupted export never leaves half a file.
        const file = path.resolve(rest[0]);
        await fs.writeFile(`${file}.tmp`, text);
        await fs.rename(`${file}.tmp`, file);
        console.log(`exported ${JSON.parse(text).answers.length} curated answers to ${file}`);
      }
    } else {
      const file = path.resolve(rest[0]);
      // The whole file is checked before anything is stored.
      const entries = parseCuratedFile(await fs.readFile(file, 'utf8'), rest[0]);
      const { added, skipped } = await importCurated(store.curated, entries, AUTHOR);
      console.log(`imported ${added} curated answers from ${file}${skipped ? ` (${skipped} already there)` : ''}`);
    }
  } finally {
    await store.close();
  }
} catch (error) {
  const known = isBotError(error) || (error as NodeJS.ErrnoException).code === 'ENOENT';
  console.error(known ? `error: ${(error as Error).message}` : error);
  process.exitCode = 1;
}
