/** A fresh store starts with the maintainers' curated answers; a store that has any keeps its own. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedCuratedAnswers } from '../../src/app/curated-seed.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { parseCuratedFile } from '../../src/store/curated-file.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { BotStore } from '../../src/store/store.js';

const silent = createLogger('silent');
let dir: string;
let store: BotStore;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bot-seed-'));
  store = await openSqliteStore({ path: path.join(dir, 'bot.sqlite'), logger: silent });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('curated answers at first start', () => {
  it('ships corpus/curated-answers.json empty, with its format described', () => {
    const text = readFileSync(path.join(PROJECT_ROOT, 'corpus/curated-answers.json'), 'utf8');
    expect(parseCuratedFile(text)).toEqual([]);
    expect(JSON.parse(text).$comment).toMatch(/phrasings.*answer.*sectionId/);
  });

  it('imports the file into a store with none, and never again once it has some', async () => {
    const file = path.join(dir, 'curated-answers.json');
    writeFileSync(file, JSON.stringify({ answers: [{ phrasings: ['開館時間は？'], answer: '（テスト用）9時から', active: false }, { phrasings: ['電話番号は？'], answer: '（テスト用）000' }] }));
    expect(await seedCuratedAnswers(store, file, silent)).toBe(2);
    expect((await store.curated.list({ includeInactive: true })).map((a) => [a.phrasings[0], a.active])).toEqual([['開館時間は？', false], ['電話番号は？', true]]);
    writeFileSync(file, JSON.stringify({ answers: [{ phrasings: ['住所は？'], answer: '（テスト用）どこか' }] }));
    expect(await seedCuratedAnswers(store, file, silent)).toBe(0);
    expect(await store.curated.list({ includeInactive: true })).toHaveLength(2);
  });

  it('imports once when two replicas start together on a new store', async () => {
    const file = path.join(dir, 'curated-answers.json');
    writeFileSync(file, JSON.stringify({ answers: [{ phrasings: ['電話番号は？'], answer: '（テスト用）000' }] }));
    const other = await openSqliteStore({ path: path.join(dir, 'bot.sqlite'), logger: silent });
    const counts = await Promise.all([seedCuratedAnswers(store, file, silent), seedCuratedAnswers(other, file, silent)]);
    await other.close();
    expect(counts.sort()).toEqual([0, 1]);
    expect(await store.curated.list()).toHaveLength(1);
  });

  it('starts without a file, and stops on a malformed one saying where', async () => {
    expect(await seedCuratedAnswers(store, path.join(dir, 'none.json'), silent)).toBe(0);
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ answers: [{ phrasings: ['q'] }] }));
    await expect(seedCuratedAnswers(store, file, silent)).rejects.toThrow(/bad\.json, answer 1: "answer" must be the answer text/);
    expect(await store.curated.list({ includeInactive: true })).toEqual([]);
  });
});
