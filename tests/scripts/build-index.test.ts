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
});
