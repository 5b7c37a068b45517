/**
 * `npm run index` end to end, as a child process on a temporary INDEX_DIR (issue 6): the diff
 * of a new plan version, the regression gate and --force, --dry-run, --rollback, and bad
 * inputs that must leave the live index alone. Each build takes a few seconds: the steps
 * share one index folder and run in order.
 */
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffSections, readBuildSections } from '../../src/index/diff-sections.js';
import { buildDir, buildsDir, readPointer } from '../../src/index/index-paths.js';
import { V2_DIFF, writePlanVersions } from './plan-versions.js';
import { runIndexCli, snapshot, NODE_TSX } from './run-cli.js';
import { offlineBotEnv } from '../helpers/temp-index.js';
import { PROJECT_ROOT } from '../../src/config.js';

let tmp: string;
let indexDir: string;
let files: Awaited<ReturnType<typeof writePlanVersions>>;
const builds: Record<string, string> = {};

/** The `+ path`, `- path` and `~ path` lines of the printed diff. */
function printedDiff(stdout: string) {
  const pick = (mark: string) => stdout.split('\n').filter((l) => l.startsWith(`  ${mark} `)).map((l) => l.slice(4));
  return { added: pick('+'), removed: pick('-'), changed: pick('~') };
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'reindex-cli-'));
  indexDir = path.join(tmp, 'index');
  files = await writePlanVersions(tmp);
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('npm run index', () => {
  it('builds the first version without a comparison and makes it live', async () => {
    const run = await runIndexCli(indexDir, ['--source', files.v1, '--version', 'v1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('no live index yet');
    const pointer = await readPointer(indexDir);
    expect(pointer?.build).toMatch(/^v1-/);
    expect(run.stdout).toMatch(new RegExp(`index ${pointer!.build} is live: plan v1, hit@1 [\\d.]+  hit@3`));
    builds.v1 = pointer!.build;
  });

  it('--dry-run prints the diff and the gate, then leaves the live index and no new build', async () => {
    const before = await snapshot(indexDir);
    const run = await runIndexCli(indexDir, ['--source', files.v2, '--version', 'v2', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('sections: 1 added, 1 removed, 1 changed');
    expect(run.stdout).toContain('not made live');
    expect(await snapshot(indexDir)).toEqual(before);
  });

  it('prints exactly the added, removed and changed sections of v2, passes the gate and goes live', async () => {
    const run = await runIndexCli(indexDir, ['--source', files.v2, '--version', 'v2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`changes against the live build ${builds.v1}`);
    expect(run.stdout).toContain('sections: 1 added, 1 removed, 1 changed');
    expect(printedDiff(run.stdout)).toEqual(V2_DIFF);
    const pointer = await readPointer(indexDir);
    expect(pointer).toEqual({ build: expect.stringMatching(/^v2-/), previous: [builds.v1] });
    builds.v2 = pointer!.build;
    // The builds' own sections.json say the same as the printout; --version went into the manifest.
    const diff = diffSections(await readBuildSections(buildDir(indexDir, builds.v1)), await readBuildSections(buildDir(indexDir, builds.v2)));
    expect({ added: diff.added, removed: diff.removed, changed: diff.changed }).toEqual(V2_DIFF);
    const manifest = JSON.parse(await fs.readFile(path.join(buildDir(indexDir, builds.v2), 'manifest.json'), 'utf8'));
    expect(manifest.planVersion).toBe('v2');
  });

  it('refuses a version that loses an answer, naming the question, and leaves the live index', async () => {
    const before = await snapshot(indexDir);
    const run = await runIndexCli(indexDir, ['--source', files.noKyumin, '--version', 'no-kyumin']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('worse than the live one');
    expect(run.stderr).toMatch(/dev-02 「休眠預金とは何ですか？」/);
    expect(run.stderr).toContain('--force');
    expect(run.stdout).toMatch(/lost\s+dev-02/);
    expect(await snapshot(indexDir)).toEqual(before);
  });

  it('--force makes the worse version live all the same', async () => {
    const run = await runIndexCli(indexDir, ['--source', files.noKyumin, '--version', 'no-kyumin', '--force']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('--force: going live although');
    const pointer = await readPointer(indexDir);
    expect(pointer?.build).toMatch(/^no-kyumin-/);
    expect(pointer?.previous[0]).toBe(builds.v2);
    builds.noKyumin = pointer!.build;
  });

  it('--rollback makes the previous build live again and says which', async () => {
    const run = await runIndexCli(indexDir, ['--rollback']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`rolled back: ${builds.v2} (plan v2) is live again instead of ${builds.noKyumin}`);
    expect((await readPointer(indexDir))?.build).toBe(builds.v2);
  });

  it('rejects bad input with a clear message and exit code 1, leaving the live pointer and builds alone', async () => {
    const v1 = await fs.readFile(files.v1);
    const bad = {
      empty: [Buffer.alloc(0), /the file is empty/],
      // Cut in the middle of a three-byte character, as an interrupted copy would.
      truncated: [v1.subarray(0, 3001), /neither UTF-8 nor Shift_JIS/],
      utf16: [Buffer.from(`\ufeff${v1.toString('utf8')}`, 'utf16le'), /binary file/],
      notAPlan: [Buffer.from('買い物メモ\n牛乳と卵とパンを買う。\n'), /no sections found/],
    } as const;
    const before = await snapshot(indexDir);
    const runs = await Promise.all(
      Object.entries(bad).map(async ([name, [bytes]]) => {
        const file = path.join(tmp, `${name}.txt`);
        await fs.writeFile(file, bytes);
        return [name, await runIndexCli(indexDir, ['--source', file])] as const;
      }),
    );
    for (const [name, run] of runs) {
      expect(run.code, name).toBe(1);
      expect(run.stderr, name).toMatch(bad[name as keyof typeof bad][1]);
      expect(run.stderr, name).toContain('The live index was not changed.');
    }
    expect(await snapshot(indexDir)).toEqual(before);
  });

  it('cleans up a stale .tmp-* folder of an interrupted build, and only a stale one', async () => {
    const stale = path.join(buildsDir(indexDir), '.tmp-killed-build-abc');
    const young = path.join(buildsDir(indexDir), '.tmp-running-build-def');
    await fs.mkdir(stale);
    await fs.mkdir(young);
    const old = new Date(Date.now() - 20 * 60_000);
    await fs.utimes(stale, old, old);
    const pointer = await snapshot(indexDir).then((s) => s.pointer);
    const run = await runIndexCli(indexDir, ['--source', path.join(tmp, 'empty.txt')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('removed 1 unfinished build folder(s)');
    const after = await snapshot(indexDir);
    expect(after.builds).not.toContain('.tmp-killed-build-abc');
    expect(after.builds).toContain('.tmp-running-build-def');
    expect(after.pointer).toBe(pointer);
  });

  it('a build killed half way leaves only a .tmp-* folder and never moves the pointer', async () => {
    await fs.mkdir(buildsDir(indexDir), { recursive: true });
    const before = await snapshot(indexDir);
    const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), 'scripts/build-index.ts', '--source', files.v1, '--version', 'killed'], { cwd: PROJECT_ROOT, env: offlineBotEnv(indexDir), stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Kill it the moment buildIndex creates its temporary folder, while it is writing files.
    const watcher = watch(buildsDir(indexDir), (_event, name) => {
      if (String(name).startsWith('.tmp-killed-')) child.kill('SIGKILL');
    });
    await exited;
    watcher.close();
    const after = await snapshot(indexDir);
    expect(after.pointer).toBe(before.pointer);
    const added = after.builds.filter((b) => !before.builds.includes(b));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^\.tmp-killed-/);
  });
});
