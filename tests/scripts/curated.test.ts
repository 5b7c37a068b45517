/** `npm run curated` against a real SQLite file: add, list, disable, export, import, and what it refuses. */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { parseCuratedFile } from '../../src/store/curated-file.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { makeTempDir, offlineEnv } from '../helpers/temp-index.js';
import { runScript } from './run-script.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const curated = (...args: string[]) => runScript('curated.ts', args, env);

beforeAll(async () => {
  dir = await makeTempDir('curated-cli');
  // No live index: --section is taken as given (a test below gives one to check against).
  env = offlineEnv({ LOG_LEVEL: 'warn', DATA_DB_PATH: path.join(dir, 'bot.sqlite'), INDEX_DIR: path.join(dir, 'no-index') }) as NodeJS.ProcessEnv;
});
afterAll(async () => {
  const fs = await import('node:fs/promises');
  await fs.rm(dir, { recursive: true, force: true });
});

describe('npm run curated', () => {
  it('adds, lists, switches off, exports and imports again without doubling', async () => {
    const add = await curated('add', '--phrasing', 'センターの電話番号は？', '--phrasing', '電話番号を教えて', '--answer', '（テスト用）000-0000', '--section', 's40-1');
    expect(add).toMatchObject({ code: 0, stdout: 'added curated answer 1: センターの電話番号は？\n' });
    await curated('add', '--phrasing', '開館時間は？', '--answer', '（テスト用）9時から');
    expect((await curated('list')).stdout).toMatch(/^\s+1 {2}active {2}\d{4}-\d\d-\d\d {2}センターの電話番号は？ \(\+1\) {2}\[s40-1\]\n\s+2 {2}active/);

    expect((await curated('disable', '2')).stdout).toContain('switched off curated answer 2');
    expect((await curated('list')).stdout.trim().split('\n')).toHaveLength(1);
    expect((await curated('list', '--all')).stdout).toMatch(/2 {2}off/);
    expect(await curated('disable', '99')).toMatchObject({ code: 1, stderr: expect.stringContaining('no curated answer 99') });

    const file = path.join(dir, 'export.json');
    expect((await curated('export', file)).stdout).toContain('exported 2 curated answers');
    const exported = parseCuratedFile(readFileSync(file, 'utf8'));
    expect(exported).toEqual([
      { phrasings: ['センターの電話番号は？', '電話番号を教えて'], answer: '（テスト用）000-0000', sectionId: 's40-1', active: true },
      { phrasings: ['開館時間は？'], answer: '（テスト用）9時から', sectionId: null, active: false },
    ]);
    expect((await curated('import', file)).stdout).toContain('imported 0 curated answers');
    writeFileSync(file, JSON.stringify({ answers: [{ phrasings: ['助成金の締切は？'], answer: '（テスト用）0月0日' }] }));
    expect((await curated('import', file)).stdout).toContain('imported 1 curated answers');

    const store = await openSqliteStore({ path: path.join(dir, 'bot.sqlite'), logger: createLogger('silent') });
    const all = await store.curated.list({ includeInactive: true });
    expect(all.map((a) => [a.id, a.phrasings[0], a.active])).toEqual([[1, 'センターの電話番号は？', true], [2, '開館時間は？', false], [3, '助成金の締切は？', true]]);
    expect(all[0].authorHash).toBe(store.hashUser('cli'));
    await store.close();
  }, 120_000);

  it('refuses a malformed file whole, a blank answer and a missing command, storing nothing', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ answers: [{ phrasings: ['良い質問'], answer: '良い答え' }, { phrasings: [], answer: 'x' }] }));
    const before = (await curated('list', '--all')).stdout;
    expect(await curated('import', bad)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: \S*bad\.json, answer 2: a curated answer needs at least one phrasing/) });
    writeFileSync(bad, '{"answers": [');
    expect(await curated('import', bad)).toMatchObject({ code: 1, stderr: expect.stringContaining('is not JSON') });
    expect(await curated('add', '--phrasing', 'q', '--answer', '  ')).toMatchObject({ code: 1, stderr: expect.stringContaining('needs its answer text') });
    // With a live index, a section it does not have is refused.
    const index = path.join(dir, 'index');
    const fs = await import('node:fs/promises');
    await fs.mkdir(path.join(index, 'builds', 'b1'), { recursive: true });
    await fs.writeFile(path.join(index, 'current.json'), JSON.stringify({ build: 'b1', previous: [] }));
    await fs.writeFile(path.join(index, 'builds', 'b1', 'chunks.json'), JSON.stringify([{ id: 's1-1', section: '本文 > 第1章', text: 't', part: '本文' }]));
    const withIndex = { ...env, INDEX_DIR: index };
    expect(await runScript('curated.ts', ['add', '--phrasing', 'q', '--answer', 'a', '--section', 's99-9'], withIndex)).toMatchObject({ code: 1, stderr: expect.stringContaining('the live index has no passage "s99-9"') });
    expect((await curated('list', '--all')).stdout).toBe(before);
    expect(await curated()).toMatchObject({ code: 2, stderr: expect.stringContaining('a command is needed') });
    expect(await curated('remove', '1')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "remove"') });
    expect(await curated('disable', 'one')).toMatchObject({ code: 2 });
    expect(await curated('add', '--answer', 'a')).toMatchObject({ code: 2, stderr: expect.stringContaining('add needs --phrasing and --answer') });
  }, 120_000);
});
