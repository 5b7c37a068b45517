/**
 * `.env.example` and README's table name every variable src/config.ts reads (the names are read
 * from config.ts itself, so a variable added there and not here fails by name), and a `.env`
 * file fills in what the environment leaves unset.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT, readDotEnv } from '../src/config.js';
import { makeTempDir } from './helpers/temp-index.js';

const read = (file: string) => fs.readFile(path.join(PROJECT_ROOT, file), 'utf8');

/**
 * Every variable name config.ts reads: `env.NAME`, and every quoted NAME in capitals (what its
 * helpers take: `intVar(env, 'PORT', …)`, `resolveDir('INDEX_DIR', …)`); config.ts quotes no
 * other such words.
 */
async function configVariables(): Promise<string[]> {
  const source = await read('src/config.ts');
  const names = new Set<string>();
  for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|['"`]([A-Z][A-Z0-9_]{2,})['"`]/g)) names.add(m[1] ?? m[2]);
  return [...names].sort();
}

describe('.env.example', () => {
  it('lists every variable of src/config.ts, with its meaning above it', async () => {
    const names = await configVariables();
    expect(names.length).toBeGreaterThan(25);
    expect(names).toEqual(expect.arrayContaining(['PORT', 'LINE_CHANNEL_SECRET', 'REDIS_URL', 'WEB_TOKEN']));
    const lines = (await read('.env.example')).split('\n');
    const missing = names.filter((name) => !lines.some((l) => new RegExp(`^#? ?${name}=`).test(l)));
    expect(missing, 'variables of src/config.ts missing from .env.example').toEqual([]);
    for (const name of names) {
      const at = lines.findIndex((l) => new RegExp(`^#? ?${name}=`).test(l));
      // The nearest line above that is not itself a variable says what the variable means.
      const above = lines.slice(0, at).reverse().find((l) => !/^#? ?[A-Z][A-Z0-9_]+=/.test(l));
      expect(above, name).toMatch(/^# \S/);
    }
  });

  it('names no variable that src/config.ts does not read', async () => {
    const names = new Set(await configVariables());
    const listed = [...(await read('.env.example')).matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect(listed.filter((n) => !names.has(n))).toEqual([]);
  });

  it('is a valid configuration with every line uncommented', async () => {
    const text = (await read('.env.example')).replace(/^# ?([A-Z][A-Z0-9_]+=)/gm, '$1');
    const env: Record<string, string | undefined> = {};
    const dir = await makeTempDir('env');
    await fs.writeFile(path.join(dir, '.env'), text);
    readDotEnv(env, path.join(dir, '.env'));
    await fs.rm(dir, { recursive: true });
    expect(Object.keys(env).sort()).toEqual(await configVariables());
    expect(loadConfig(env)).toMatchObject({ port: 3000, host: '0.0.0.0', maxQuestionChars: 500, logLevel: 'info', line: undefined, slack: undefined });
  });
});

describe('README', () => {
  it("lists every variable of src/config.ts in its Configuration table", async () => {
    const readme = await read('README.md');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
    expect((await configVariables()).filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('readDotEnv', () => {
  it('fills in what the environment leaves unset, and never overrides it', async () => {
    const dir = await makeTempDir('env');
    const file = path.join(dir, '.env');
    await fs.writeFile(file, '# a comment\nPORT=4000\nLOG_LEVEL=debug\nWEB_TOKEN="quoted value"\n');
    const env: Record<string, string | undefined> = { LOG_LEVEL: 'warn' };
    readDotEnv(env, file);
    readDotEnv(env, path.join(dir, 'no-such-file'));
    await fs.rm(dir, { recursive: true });
    expect(env).toEqual({ PORT: '4000', LOG_LEVEL: 'warn', WEB_TOKEN: 'quoted value' });
    expect(loadConfig(env)).toMatchObject({ port: 4000, logLevel: 'warn', webToken: 'quoted value' });
  });
});
