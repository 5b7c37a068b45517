/**
 * `npm run index` on a multi-megabyte source (the bench's synthetic corpus, 32 copies of the
 * plan, about 2 MB, a minute or more to build) shows its progress: on a terminal (a real pty,
 * from util-linux's `script`) one line redrawn in place; with stdout a pipe, plain lines. The
 * two builds run side by side, each into its own temporary INDEX_DIR.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { writeSyntheticCorpus } from '../../scripts/bench/synthetic-corpus.js';
import { offlineBotEnv, makeTempDir } from '../helpers/temp-index.js';
import { NODE_TSX } from '../index/run-cli.js';

const COPIES = 32;
/**
 * A build takes 1–2 minutes on two free cores; on a machine shared with other test runs (a load
 * of 15 and more was seen) several times that. The bound is there to end a hung build, not to time it.
 */
const BUILD_TIMEOUT_MS = 900_000;
const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasScript) console.warn('build-index-progress: the terminal case is skipped, `script` (util-linux) not found.');

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: PROJECT_ROOT, env, timeout: BUILD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

let work: string;
let sourceBytes: number;
let piped: Awaited<ReturnType<typeof run>>;
let terminal: Awaited<ReturnType<typeof run>> | undefined;

beforeAll(async () => {
  work = await makeTempDir('index-progress');
  const source = path.join(work, `plan-${COPIES}x.txt`);
  sourceBytes = await writeSyntheticCorpus(path.join(PROJECT_ROOT, 'corpus', 'yamaguchi-kenmin-katsudo-plan-3rd-revision.txt'), source, COPIES);
  const args = ['scripts/build-index.ts', '--source', source, '--version', `synthetic-${COPIES}x`];
  const pipedRun = run(NODE_TSX[0], [...NODE_TSX.slice(1), ...args], offlineBotEnv(path.join(work, 'piped')));
  // `script -q -e -c CMD /dev/null`: CMD on a new pty, its output copied to our stdout, its exit code returned.
  const command = [...NODE_TSX, ...args].map(quote).join(' ');
  const terminalRun = hasScript ? run('script', ['-q', '-e', '-c', command, '/dev/null'], offlineBotEnv(path.join(work, 'terminal'))) : undefined;
  [piped, terminal] = await Promise.all([pipedRun, terminalRun]);
}, BUILD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe('npm run index on a multi-megabyte source', () => {
  it('with stdout not a terminal: plain lines, the stages in order and the chunks embedded of their total', () => {
    expect(sourceBytes).toBeGreaterThan(2_000_000);
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).not.toMatch(/[\x1b\r]/);
    const lines = piped.stdout.split('\n');
    const chunks = Number(/(\d+) chunks \(\d+ ms\)/.exec(piped.stdout)?.[1]);
    expect(chunks).toBeGreaterThan(3000);

    const embedded = lines.filter((l) => l.startsWith('embedding: ')).map((l) => Number(/^embedding: (\d+) of (\d+) chunks$/.exec(l)?.[1]));
    expect(embedded[0]).toBe(0);
    expect(embedded.at(-1)).toBe(chunks);
    expect(embedded.length).toBeGreaterThanOrEqual(4);
    expect(embedded).toEqual([...embedded].sort((a, b) => a - b));
    expect(lines.filter((l) => l.startsWith('embedding: ')).every((l) => l.endsWith(` of ${chunks} chunks`))).toBe(true);
    expect(lines.filter((l) => /^indexing words \(BM25\): \d+ of \d+ texts$/.test(l)).length).toBeGreaterThanOrEqual(4);

    const firstOf = (start: string) => lines.findIndex((l) => l.startsWith(start));
    const order = ['reading the source', 'loading the dictionary', 'reading sections and chunks', 'indexing words', 'embedding:', 'building the vector index', 'writing the build', 'built ', 'standard questions, new build:', 'index synthetic-32x-'].map(firstOf);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it.skipIf(!hasScript)('on a terminal: one line redrawn in place, with a bar and the chunks embedded of their total', () => {
    const { code, stdout } = terminal!;
    expect(code, stdout.slice(-2000)).toBe(0);
    // The plain lines are not printed on a terminal…
    expect(stdout).not.toMatch(/^embedding: /m);
    // …the progress line is redrawn from column 1 instead (ESC[1G): every stage of the build, from
    // the dictionary to the writing, is drawn on the one line (the note on the unlisted version
    // is the last line printed before it).
    const [beforeBuilt, rest] = stdout.split(/(?=built synthetic-32x-)/);
    expect(rest).toBeDefined();
    const progressPart = beforeBuilt.slice(beforeBuilt.lastIndexOf('\n') + 1);
    const drawn = progressPart
      .split('\x1b[1G')
      .map((s) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, ''))
      .filter(Boolean);
    const embedded = drawn.map((l) => /^embedding [=-]{20} (\d+) of (\d+) chunks \(\d+ s\)$/.exec(l)).filter((m) => m !== null);
    expect(embedded.length).toBeGreaterThanOrEqual(4);
    const total = Number(embedded[0]![2]);
    expect(embedded.map((m) => Number(m![1]))).toEqual(expect.arrayContaining([0, total]));
    expect(drawn.some((l) => /^indexing words \(BM25\) [=-]{20} \d+ of \d+ texts/.test(l))).toBe(true);
    for (const stage of ['loading the dictionary', 'reading sections and chunks', 'building the vector index', 'writing the build …']) {
      expect(drawn.some((l) => l.startsWith(stage))).toBe(true);
    }
    // Cut to the terminal's width (a pty of unknown size counts as 80), so that it never wraps.
    for (const line of drawn) expect(line.length).toBeLessThan(80);
    // The line is wiped before the result is printed, and the questions get a line of their own.
    expect(progressPart.endsWith('\x1b[2K')).toBe(true);
    expect(rest).toMatch(new RegExp(`built synthetic-32x-\\S+: plan synthetic-32x \\(.+\\), \\d+ sections, ${total} chunks`));
    expect(rest).toMatch(/standard questions, new build [=-]{20} \d+ of \d+ questions/);
    expect(rest).toMatch(/index synthetic-32x-\S+ is live/);
  });
});
