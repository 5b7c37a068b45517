/** Index round trip on the real plan in a temporary folder: build → activate → load → search. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTextStack, type TextStack } from '../../src/app/text-stack.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { chunkSections } from '../../src/corpus/chunk.js';
import { readPlanSections } from '../../src/corpus/read-source.js';
import { buildIndex } from '../../src/index/build-index.js';
import { activateBuild, buildDir, buildsDir, INDEX_FILES, readPointer } from '../../src/index/index-paths.js';
import { loadIndex, type LoadedIndex } from '../../src/index/load-index.js';
import { INDEX_FORMAT, type IndexManifest } from '../../src/index/manifest.js';
import { OFFLINE_EMBEDDER_NAME } from '../../src/index/offline-embeddings.js';
import { createEngine } from '../../src/qa/engine.js';
import { makeTempDir } from '../helpers/temp-index.js';

const SOURCE = path.join(PROJECT_ROOT, 'corpus/yamaguchi-kenmin-katsudo-plan-3rd-revision.txt');
let dir: string;
let stack: TextStack;
let manifest: IndexManifest;
let loaded: LoadedIndex;

beforeAll(async () => {
  dir = await makeTempDir('roundtrip');
  stack = await loadTextStack(loadConfig({}));
  manifest = await buildIndex({
    sourceFile: SOURCE,
    planVersion: '3rd 2018',
    indexDir: dir,
    analyzer: stack.analyzer,
    now: () => new Date('2024-04-01T09:00:00.123Z'),
  });
  await activateBuild(dir, manifest.build);
  loaded = await loadIndex({ indexDir: dir, analyzer: stack.analyzer });
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('buildIndex → activateBuild → loadIndex', () => {
  it('writes a build named after the plan version and time, with every file the manifest lists', async () => {
    expect(manifest.build).toBe('3rd_2018-20240401T090000Z');
    expect(manifest.format).toBe(INDEX_FORMAT);
    expect(manifest.embedder.name).toBe(OFFLINE_EMBEDDER_NAME);
    expect(manifest.sourceFile).toBe(path.basename(SOURCE));
    expect(manifest.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
    for (const file of INDEX_FILES) await expect(fs.access(path.join(buildDir(dir, manifest.build), file))).resolves.toBeUndefined();
  });

  it('leaves no temporary folder behind', async () => {
    expect(await fs.readdir(buildsDir(dir))).toEqual([manifest.build]);
  });

  it('makes the build live through the pointer', async () => {
    expect(await readPointer(dir)).toEqual({ build: manifest.build, previous: [] });
  });

  it('loads the same chunks it built', async () => {
    const { sections } = await readPlanSections(SOURCE);
    const expected = chunkSections(sections);
    expect(manifest.chunkCount).toBe(expected.length);
    expect(manifest.sectionCount).toBe(sections.length);
    expect(loaded.manifest).toEqual(manifest);
    expect(loaded.chunks).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(loaded.words.size).toBe(expected.length);
    expect(loaded.bigrams.size).toBe(expected.length);
    expect(loaded.vectors.index.getCurrentCount()).toBe(expected.length);
  });

  it('finds the 休眠預金 passage first for 「休眠預金とは何ですか」', async () => {
    const engine = createEngine({ index: loaded, analyzer: stack.analyzer, glossary: stack.glossary, maxQuestionChars: 500 });
    const { passages, coverage } = await engine.search(engine.analyzeQuestion('休眠預金とは何ですか'));
    expect(passages[0].chunk.section).toMatch(/休眠預金の活用等による民間公益活動の促進$/);
    expect(passages[0].chunk.part).toBe('本文');
    expect(passages[0].chunk.text).toContain('休眠預金等活用法');
    expect(coverage).toBeGreaterThan(0.5);
    // Summary copies are collapsed into the plan's own passage: no chunk shows twice.
    expect(new Set(passages.map((p) => p.chunk.id)).size).toBe(passages.length);
  });

  it('remembers the build it replaces when another goes live', async () => {
    const second = await buildIndex({
      sourceFile: SOURCE,
      planVersion: '3rd 2018',
      indexDir: dir,
      analyzer: stack.analyzer,
      now: () => new Date('2024-05-01T09:00:00Z'),
    });
    expect(await activateBuild(dir, second.build)).toEqual({ build: second.build, previous: [manifest.build] });
    expect((await loadIndex({ indexDir: dir, analyzer: stack.analyzer })).manifest.build).toBe(second.build);
    // An older build can still be loaded by name (rollback).
    expect((await loadIndex({ indexDir: dir, analyzer: stack.analyzer, build: manifest.build })).manifest.build).toBe(manifest.build);
  });
});
