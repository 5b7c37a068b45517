/** `npm run index -- --source <file>` with a bad source: a non-zero exit, a clear message, and the live index unchanged. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointerFile } from '../../src/index/index-paths.js';
import { offlineEnv, snapshotDir, tempIndex, type TempIndex } from '../helpers/temp-index.js';
import { runScript } from './run-script.js';

let live: TempIndex;
beforeAll(async () => {
  live = await tempIndex();
});
afterAll(() => live.cleanup());

describe('scripts/build-index.ts', () => {
  it('refuses an empty source, says why, and leaves the pointer unchanged', async () => {
    const empty = path.join(live.dir, 'empty.txt');
    await fs.writeFile(empty, '');
    const pointer = await fs.readFile(pointerFile(live.dir), 'utf8');
    const builds = await snapshotDir(path.join(live.dir, 'builds'));

    const { code, stdout, stderr } = await runScript('build-index.ts', ['--source', empty], offlineEnv({ INDEX_DIR: live.dir }) as NodeJS.ProcessEnv);
    expect(code).not.toBe(0);
    expect(stdout).not.toMatch(/is live/);
    expect(stderr).toContain(`error: ${empty}: the file is empty`);
    expect(stderr).toContain('The live index was not changed.');

    expect(await fs.readFile(pointerFile(live.dir), 'utf8')).toBe(pointer);
    expect(await snapshotDir(path.join(live.dir, 'builds'))).toEqual(builds);
  }, 60_000);

  it('refuses a source that plans.json does not list when no --version names it', async () => {
    const unlisted = path.join(live.dir, 'plan-4th-draft.txt');
    await fs.copyFile(path.join(live.config.corpusDir, 'yamaguchi-kenmin-katsudo-plan-3rd-revision.txt'), unlisted);
    const pointer = await fs.readFile(pointerFile(live.dir), 'utf8');
    const { code, stdout, stderr } = await runScript('build-index.ts', ['--source', unlisted], offlineEnv({ INDEX_DIR: live.dir }) as NodeJS.ProcessEnv);
    expect(code).toBe(1);
    expect(stderr).toMatch(/not listed in corpus\/plans\.json.*--version <label>/s);
    expect(stdout).not.toContain('plan-4th-draft');
    expect(await fs.readFile(pointerFile(live.dir), 'utf8')).toBe(pointer);
  }, 60_000);
});
