/** `npm run ask` as a command line: --json prints one documented JSON object last; --jsonl answers line by line, in order. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { offlineEnv, tempIndex, type TempIndex } from '../helpers/temp-index.js';
import { lines, runScript } from './run-script.js';

let live: TempIndex;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  live = await tempIndex();
  env = offlineEnv({ INDEX_DIR: live.dir, LOG_LEVEL: 'warn' }) as NodeJS.ProcessEnv;
});
afterAll(() => live.cleanup());

describe('scripts/ask.ts', () => {
  it('--json prints the answer as the documented JSON object on the last line', async () => {
    const { code, stdout, stderr } = await runScript('ask.ts', ['--json', '休眠預金とは何ですか'], env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(lines(stdout).at(-1)!);
    expect(Object.keys(result).sort()).toEqual(['abstained', 'answer', 'id', 'mode', 'ms', 'question', 'sources']);
    expect(result).toMatchObject({ id: '1', question: '休眠預金とは何ですか', abstained: false, mode: 'extractive' });
    expect(result.answer).toContain('休眠預金');
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(result.sources.length).toBeGreaterThan(0);
    for (const [i, source] of result.sources.entries()) {
      expect(Object.keys(source).sort()).toEqual(['rank', 'score', 'section', 'text']);
      expect(source.rank).toBe(i + 1);
      expect(typeof source.score).toBe('number');
      expect(typeof source.text).toBe('string');
    }
    expect(result.sources[0].section).toMatch(/休眠預金の活用等による民間公益活動の促進$/);
  }, 60_000);

  it('--json --id names the answer', async () => {
    const { code, stdout } = await runScript('ask.ts', ['--json', '--id', 'q-7', '休眠預金とは何ですか'], env);
    expect(code).toBe(0);
    expect(JSON.parse(lines(stdout).at(-1)!).id).toBe('q-7');
  }, 60_000);

  it('prints the answer and the sources\' 章・節 without their passages; --sources adds the passages', async () => {
    const question = '休眠預金とは何ですか';
    const json = JSON.parse(lines((await runScript('ask.ts', ['--json', question], env)).stdout).at(-1)!);
    // A line of a passage that the answer does not quote and no heading path holds.
    const passage = json.sources
      .flatMap((s: { text: string }) => s.text.split('\n'))
      .map((l: string) => l.trim())
      .find((l: string) => l.length > 30 && !json.answer.includes(l) && !json.sources.some((s: { section: string }) => s.section.includes(l)));
    expect(passage).toBeDefined();

    const short = await runScript('ask.ts', [question], env);
    expect(short.code).toBe(0);
    expect(short.stdout).toContain(json.answer);
    for (const s of json.sources) expect(short.stdout).toContain(`[${s.rank}] ${s.section}`);
    expect(short.stdout).not.toContain(passage);
    expect(lines(short.stdout).length).toBeLessThanOrEqual(json.answer.split('\n').length + json.sources.length + 1);

    const long = await runScript('ask.ts', ['--sources', question], env);
    expect(long.code).toBe(0);
    expect(long.stdout).toContain(passage);
  }, 60_000);

  it('--jsonl answers each input line in order, with its id', async () => {
    const input = [JSON.stringify({ id: 'q-a', q: '休眠預金とは何ですか' }), JSON.stringify({ id: 'q-b', q: '明日の天気を教えて' })].join('\n');
    const { code, stdout } = await runScript('ask.ts', ['--jsonl'], env, `${input}\n`);
    expect(code).toBe(0);
    const out = lines(stdout).map((l) => JSON.parse(l));
    expect(out.map((o) => o.id)).toEqual(['q-a', 'q-b']);
    expect(out.map((o) => o.question)).toEqual(['休眠預金とは何ですか', '明日の天気を教えて']);
    expect(out.map((o) => o.abstained)).toEqual([false, true]);
    expect(out[1].sources).toEqual([]);
  }, 60_000);

  it('ends quietly with 0 when its reader closes early (| head -1), with no EPIPE stack trace', async () => {
    const child = spawn(path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), [path.join('scripts', 'ask.ts'), '--jsonl'], { cwd: PROJECT_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // Enough answers that writes go on after the reader has gone.
    child.stdin.end(`${Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: String(i), question: '休眠預金とは何ですか' })).join('\n')}\n`);
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|at .+:\d+:\d+/);
    expect(code).toBe(0);
  }, 60_000);
});
