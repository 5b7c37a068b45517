/**
 * The layers hold (STYLE.md, "The shape"): every import of src/ runs down the order
 * ground → corpus → index → qa → state/store/metrics/eval → conversation → channels → app,
 * channels do not import each other, and scripts, the store and the metrics keep to their side.
 * Read from the source text itself, type-only imports included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';

/** Lowest first. The ground is what every layer may use: text, errors, logging, typed config, the user hasher, the HTTP server. */
const LAYERS: Array<[layer: string, prefixes: string[]]> = [
  ['ground', ['src/text/', 'src/errors.ts', 'src/logger.ts', 'src/config.ts', 'src/user-hash.ts', 'src/server.ts']],
  ['corpus', ['src/corpus/']],
  ['index', ['src/index/']],
  ['qa', ['src/qa/']],
  ['state, store, metrics, eval', ['src/state/', 'src/store/', 'src/metrics/', 'src/eval/']],
  ['conversation', ['src/conversation/']],
  ['channels', ['src/channels/']],
  ['app', ['src/app/', 'src/main.ts']],
  // Fake LINE, Slack and OpenAI servers for the tests and the benchmark: nothing of the bot uses them.
  ['testing', ['src/testing/']],
];

function files(dir: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(PROJECT_ROOT, rel)).isDirectory()) return files(rel);
    return /\.(ts|mts|mjs)$/.test(name) ? [rel] : [];
  });
}

/** Every module a file names in import/export … from, import '…' and import('…'), resolved to a repository path. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers
    .filter((s) => s.startsWith('.'))
    .map((s) => path.posix.normalize(path.posix.join(path.posix.dirname(file), s)).replace(/\.js$/, '.ts'));
}

const layerOf = (file: string) => LAYERS.findIndex(([, prefixes]) => prefixes.some((p) => file.startsWith(p)));
const channelOf = (file: string) => /^src\/channels\/([^/]+)\//.exec(file)?.[1];
const SRC = files('src');
const SCRIPTS = files('scripts');
const edges = (from: string[]) => from.flatMap((file) => importsOf(file).map((target) => ({ file, target })));

describe('the layers', () => {
  it('places every file of src/ in a layer', () => {
    expect(SRC.filter((f) => layerOf(f) < 0)).toEqual([]);
    expect(SRC.length).toBeGreaterThan(80);
  });

  it('reads imports the way the code writes them', () => {
    expect(importsOf('src/app/answer-backend.ts')).toContain('src/conversation/conversation.ts');
    expect(importsOf('src/app/answer-backend.ts')).toContain('src/channels/line/index.ts'); // import('…') too
  });

  it('has no import that runs up a layer', () => {
    const upward = edges(SRC)
      .filter(({ file, target }) => layerOf(target) > layerOf(file))
      .map(({ file, target }) => `${file} (${LAYERS[layerOf(file)][0]}) → ${target} (${LAYERS[layerOf(target)]?.[0]})`);
    expect(upward).toEqual([]);
  });

  it('keeps channels apart: a channel imports only its own folder and the shared helpers of src/channels', () => {
    const crossing = edges(SRC.filter((f) => f.startsWith('src/channels/')))
      .filter(({ file, target }) => channelOf(target) !== undefined && channelOf(target) !== channelOf(file))
      .map(({ file, target }) => `${file} → ${target}`);
    expect(crossing).toEqual([]);
  });

  it('keeps the store away from channels and the metrics away from the store', () => {
    const wrong = edges(SRC).filter(
      ({ file, target }) => (file.startsWith('src/store/') && target.startsWith('src/channels/')) || (file.startsWith('src/metrics/') && target.startsWith('src/store/')),
    );
    expect(wrong).toEqual([]);
  });

  it('has scripts use src/ only, never tests/, and `npm run ask` no channel', () => {
    expect(edges(SCRIPTS).filter(({ target }) => target.startsWith('tests/'))).toEqual([]);
    expect(edges(SRC).filter(({ target }) => target.startsWith('tests/') || target.startsWith('scripts/'))).toEqual([]);
    expect(importsOf('scripts/ask.ts').filter((t) => t.startsWith('src/channels/'))).toEqual([]);
  });
});
