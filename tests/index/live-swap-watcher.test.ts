/**
 * The live-index watcher with fake engines (no tokenizer, no index): it follows the pointer by
 * fs.watch, by polling and on SIGHUP, keeps the old engine while the new one loads, and keeps
 * it when the new one fails.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activateBuild } from '../../src/index/index-paths.js';
import { createLiveIndexWatcher, type LiveEngine, type LiveIndexWatcherOptions } from '../../src/index/live-index.js';
import type { Logger } from '../../src/logger.js';

const fake = (build: string): LiveEngine => ({ info: { build, planVersion: `plan-${build}` } });

let dir: string;
let closers: Array<() => void>;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'live-watch-'));
  await activateBuild(dir, 'a');
  closers = [];
});
afterEach(async () => {
  closers.forEach((close) => close());
  await fs.rm(dir, { recursive: true, force: true });
});

function setUp(overrides: Partial<LiveIndexWatcherOptions<LiveEngine>> = {}) {
  let live = fake('a');
  const prepared: string[] = [];
  const errors: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (msg) => void errors.push(msg) };
  const watcher = createLiveIndexWatcher({
    indexDir: dir,
    engine: () => live,
    swap: (next) => void (live = next),
    logger,
    async prepare(build) {
      prepared.push(build);
      if (build.startsWith('bad')) throw new Error(`cannot load ${build}`);
      return fake(build);
    },
    debounceMs: 50,
    pollMs: 60_000,
    ...overrides,
  });
  closers.push(watcher.close);
  return { watcher, prepared, errors, live: () => live.info.build };
}

async function until(condition: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('live index watcher', () => {
  it('swaps once when the pointer file is replaced (fs.watch, debounced)', async () => {
    const t = setUp();
    await activateBuild(dir, 'b');
    await until(() => t.live() === 'b');
    await new Promise((r) => setTimeout(r, 200));
    expect(t.prepared).toEqual(['b']);
  });

  it('falls back to polling when no watch event arrives', async () => {
    const t = setUp({ debounceMs: 60_000, pollMs: 100 });
    await activateBuild(dir, 'b');
    await until(() => t.live() === 'b');
  });

  it('keeps answering from the old engine while the new one loads', async () => {
    let release!: () => void;
    const loading = new Promise<void>((r) => (release = r));
    const t = setUp({ prepare: async (build) => (await loading, fake(build)) });
    await activateBuild(dir, 'b');
    const check = t.watcher.check();
    await new Promise((r) => setTimeout(r, 100));
    expect(t.live()).toBe('a');
    release();
    await check;
    expect(t.live()).toBe('b');
  });

  it('keeps the old engine when the new build fails, does not retry it on every poll, retries on SIGHUP', async () => {
    const t = setUp({ sighup: true, debounceMs: 60_000 });
    await activateBuild(dir, 'bad-1');
    await t.watcher.check();
    expect(t.live()).toBe('a');
    expect(t.errors).toHaveLength(1);
    await t.watcher.check();
    expect(t.prepared).toEqual(['bad-1']);
    process.emit('SIGHUP', 'SIGHUP');
    await until(() => t.prepared.length === 2);
    expect(t.live()).toBe('a');
    // A later good build goes live as usual.
    await activateBuild(dir, 'c');
    await t.watcher.check();
    expect(t.live()).toBe('c');
  });

  it('does nothing while the pointer names the live build', async () => {
    const t = setUp();
    await t.watcher.check();
    expect(t.prepared).toEqual([]);
  });

  it('says once that the pointer is broken, not at every poll, and follows it again once repaired', async () => {
    const warnings: string[] = [];
    let live = fake('a');
    const watcher = createLiveIndexWatcher({
      indexDir: dir,
      engine: () => live,
      swap: (next) => void (live = next),
      logger: { debug() {}, info() {}, warn: (msg, fields) => void warnings.push(`${msg}: ${(fields?.error as Error)?.message}`), error() {} },
      prepare: async (build) => fake(build),
      debounceMs: 50,
      pollMs: 60_000,
    });
    closers.push(watcher.close);
    await fs.writeFile(path.join(dir, 'current.json'), '{"build": ');
    for (let n = 0; n < 3; n++) await watcher.check();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^index pointer check failed: The index pointer .*current\.json is not valid JSON/);
    expect(live.info.build).toBe('a');
    await fs.writeFile(path.join(dir, 'current.json'), JSON.stringify({ build: 'b', previous: ['a'] }));
    await watcher.check();
    expect(live.info.build).toBe('b');
  });
});
