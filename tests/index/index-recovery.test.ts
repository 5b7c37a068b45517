/**
 * Index recovery (issue 13, defect 8), on copies of a real build in index folders of their own:
 * a broken live build with an earlier good one recorded serves that one and logs an error
 * naming the broken build; a pointer to a build that is gone, or a pointer that is garbage, is
 * a clear IndexError and never a rebuild of corpus/'s plan; a file changed since the build fails
 * its SHA-256; a build folder left by a killed process is removed by the next run.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEngine } from '../../src/app/engine-loader.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { IndexError } from '../../src/errors.js';
import { buildDir, buildsDir, hostTag, pointerFile } from '../../src/index/index-paths.js';
import { loadIndex } from '../../src/index/load-index.js';
import { removeStaleTemps } from '../../src/index/stale-builds.js';
import { createLogger } from '../../src/logger.js';
import { createAnswerService } from '../../src/qa/answer-service.js';
import { makeTempDir, offlineEnv, snapshotDir, tempIndex, type TempIndex } from '../helpers/temp-index.js';
import { NODE_TSX, runIndexCli } from './run-cli.js';

let live: TempIndex;
const dirs: string[] = [];
beforeAll(async () => {
  live = await tempIndex();
}, 120_000);
afterAll(async () => {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  await live.cleanup();
});

/** A fresh index folder holding copies of the real build under `names`, with `pointer` as current.json (raw text, or an object). */
async function indexFolder(names: string[], pointer?: string | object): Promise<string> {
  const dir = await makeTempDir('recovery');
  dirs.push(dir);
  for (const name of names) await fs.cp(buildDir(live.dir, live.manifest.build), buildDir(dir, name), { recursive: true });
  if (pointer !== undefined) await fs.writeFile(pointerFile(dir), typeof pointer === 'string' ? pointer : JSON.stringify(pointer));
  return dir;
}

/** Changes one passage's wording in chunks.json, keeping it valid JSON of the same shape: only the checksum can tell. */
async function tamper(dir: string, build: string) {
  const file = path.join(buildDir(dir, build), 'chunks.json');
  const chunks = JSON.parse(await fs.readFile(file, 'utf8')) as Array<{ text: string }>;
  const before = await fs.readFile(file, 'utf8');
  chunks[0].text += '（書き換え）';
  await fs.writeFile(file, JSON.stringify(chunks));
  expect(await fs.readFile(file, 'utf8')).not.toBe(before);
}

function engineFor(dir: string) {
  const lines: string[] = [];
  const logger = createLogger('debug', (line) => lines.push(line));
  const config = loadConfig(offlineEnv({ INDEX_DIR: dir }));
  return { lines, logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>), load: () => loadEngine(config, live.stack, logger) };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, 'expected a rejection').toBeInstanceOf(Error);
  return error!;
}

describe('a broken live build', () => {
  it('with a previous good build recorded: serves that one, and logs an error naming the broken one', async () => {
    const dir = await indexFolder(['good', 'broken'], { build: 'broken', previous: ['good'] });
    await fs.writeFile(path.join(buildDir(dir, 'broken'), 'lexical.json'), '{"truncated": ');
    const { load, logs } = engineFor(dir);
    const engine = await load();
    const answer = await createAnswerService({ engine: () => engine, logger: createLogger('silent') }).answer('休眠預金とは何ですか');
    expect(answer.sources.length).toBeGreaterThan(0);
    const line = logs().find((l) => l.level === 'error');
    expect(line).toMatchObject({ broken: 'broken', serving: 'good' });
    expect(String(line?.msg)).toContain('previous good build');
    expect(JSON.stringify(line?.error)).toContain('lexical.json');
  });

  it('with nothing earlier that loads: the live build’s own error', async () => {
    const dir = await indexFolder(['broken', 'also-broken'], { build: 'broken', previous: ['also-broken', 'gone'] });
    await fs.rm(path.join(buildDir(dir, 'broken'), 'facts.json'));
    await fs.rm(path.join(buildDir(dir, 'also-broken'), 'chunks.json'));
    const error = await rejection(engineFor(dir).load());
    expect(error).toBeInstanceOf(IndexError);
    expect(error.message).toMatch(/broken.*partial: facts\.json is missing/);
  });
});

describe('checksums', () => {
  it('are recorded for every file of a build but the manifest', async () => {
    const manifest = JSON.parse(await fs.readFile(path.join(buildDir(live.dir, live.manifest.build), 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.sha256)).toEqual(expect.arrayContaining(['chunks.json', 'lexical.json', 'embedder.json', 'vectors/hnswlib.index', 'vectors/docstore.json']));
    expect(Object.keys(manifest.sha256)).not.toContain('manifest.json');
    for (const sum of Object.values(manifest.sha256)) expect(sum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuse a file changed since the build (valid JSON, same shape), naming it', async () => {
    const dir = await indexFolder(['tampered']);
    await tamper(dir, 'tampered');
    const error = await rejection(loadIndex({ indexDir: dir, analyzer: live.stack.analyzer, build: 'tampered' }));
    expect(error).toBeInstanceOf(IndexError);
    expect((error as IndexError).code).toBe('index_invalid');
    expect(error.message).toContain('chunks.json does not match its SHA-256');
  });

  it('a tampered live build with a previous good one: the good one is served', async () => {
    const dir = await indexFolder(['good', 'tampered'], { build: 'tampered', previous: ['good'] });
    await tamper(dir, 'tampered');
    const { load, logs } = engineFor(dir);
    await load();
    expect(logs().find((l) => l.level === 'error')).toMatchObject({ broken: 'tampered', serving: 'good' });
  });
});

describe('the live pointer', () => {
  it('naming a build that is gone: a clear error, and nothing is rebuilt from corpus/', async () => {
    const dir = await indexFolder(['v3-old'], { build: 'v4-deleted', previous: [] });
    const before = await snapshotDir(dir);
    const error = await rejection(engineFor(dir).load());
    expect(error).toBeInstanceOf(IndexError);
    expect(error.message).toContain('names the build v4-deleted');
    expect(error.message).toContain('does not exist');
    expect(error.message).toContain('npm run index');
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it.each([
    ['not JSON', '{"build": "v3'],
    ['JSON without a build', '[1, 2]'],
    ['a build name that climbs out of builds/', '{"build": "../../etc"}'],
  ])('that is garbage (%s): a clear IndexError, not a SyntaxError, and no rebuild', async (_what, text) => {
    const dir = await indexFolder(['v3'], text);
    const before = await snapshotDir(dir);
    const error = await rejection(engineFor(dir).load());
    expect(error).toBeInstanceOf(IndexError);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect(error.message).toContain(pointerFile(dir));
    expect(error.message).toContain('npm run index');
    expect(await snapshotDir(dir)).toEqual(before);
  });

  it('that is garbage stops `npm run index` at once with the same message', async () => {
    const dir = await indexFolder(['v3'], 'garbage');
    const run = await runIndexCli(dir, []);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: The index pointer .*current\.json is not valid JSON/m);
    expect(run.stderr).not.toContain('SyntaxError');
  }, 60_000);
});

/** A node process that makes a build's temporary folder the way buildIndex does, writes into it, and waits. */
function builderProcess(dir: string): Promise<{ pid: number; temp: string; kill(): Promise<void> }> {
  const module = pathToFileURL(path.join(PROJECT_ROOT, 'src/index/stale-builds.ts')).href;
  const script = `const { makeBuildTemp } = await import(${JSON.stringify(module)});
const temp = await makeBuildTemp(${JSON.stringify(dir)}, 'v9-20260101T000000Z');
(await import('node:fs')).writeFileSync(temp + '/chunks.json', '[');
console.log(temp);
setInterval(() => {}, 1000);`;
  const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), '--input-type=module', '-e', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').once('data', (line: string) =>
      resolve({
        pid: child.pid!,
        temp: line.trim(),
        kill: () => new Promise<void>((done) => (child.once('exit', () => done()), child.kill('SIGKILL'))),
      }),
    );
    child.once('exit', (code) => reject(new Error(`the builder exited with ${code}`)));
  });
}

describe('a build killed half way', () => {
  it('is removed by the next run however young, while a running build’s folder is left alone', async () => {
    const dir = await indexFolder(['v3'], { build: 'v3', previous: [] });
    const killed = await builderProcess(dir);
    const running = await builderProcess(dir);
    try {
      await killed.kill();
      // An activation killed between its write and its rename, on this host.
      const deadPid = killed.pid;
      await fs.writeFile(`${pointerFile(dir)}.${hostTag()}-${deadPid}.tmp`, '{"build": "v9"');
      const removed = await removeStaleTemps(dir);
      expect(removed.sort()).toEqual([path.basename(killed.temp), `current.json.${hostTag()}-${deadPid}.tmp`].sort());
      const left = await fs.readdir(buildsDir(dir));
      expect(left).toContain(path.basename(running.temp));
      expect(left).toContain('v3');
    } finally {
      await running.kill();
    }
  }, 60_000);

  it('`npm run index` cleans it up before it does anything else', async () => {
    const dir = await indexFolder(['v3'], { build: 'v3', previous: [] });
    const killed = await builderProcess(dir);
    await killed.kill();
    // --rollback has nothing to roll back to and fails; the cleaning came first.
    const run = await runIndexCli(dir, ['--rollback']);
    expect(run.stdout).toContain(`removed 1 unfinished build folder(s) left by an interrupted run: ${path.basename(killed.temp)}`);
    expect(await fs.readdir(buildsDir(dir))).toEqual(['v3']);
  }, 60_000);
});
