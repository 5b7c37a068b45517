/** kuromoji is loaded once per process, from the package's own dictionary whatever the working directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { dictionaryPath, gunzipToArrayBuffer, loadTokenizer } from '../../src/text/tokenizer.js';

describe('tokenizer', () => {
  // First in the file: the shared promise is made here, while cwd is elsewhere
  // (process.chdir works because vitest.config.ts runs each file in a forked process).
  it('loads the dictionary from another working directory', async () => {
    const before = process.cwd();
    const expected = dictionaryPath();
    process.chdir(os.tmpdir());
    try {
      expect(dictionaryPath()).toBe(expected);
      const tokenizer = await loadTokenizer();
      expect(tokenizer.tokenize('県民活動').map((t) => t.surface_form)).toEqual(['県民', '活動']);
    } finally {
      process.chdir(before);
    }
  });

  it('resolves the dictionary inside the kuromoji package', () => {
    const dict = dictionaryPath();
    expect(path.isAbsolute(dict)).toBe(true);
    expect(dict).toMatch(/node_modules[\\/]kuromoji[\\/]dict$/);
    expect(fs.existsSync(path.join(dict, 'base.dat.gz'))).toBe(true);
  });

  it('shares one promise and one tokenizer', async () => {
    const first = loadTokenizer();
    const second = loadTokenizer();
    expect(second).toBe(first);
    expect(await second).toBe(await first);
  });
});

describe('dictionary files', () => {
  const inflate = (file: string) =>
    new Promise<ArrayBuffer>((resolve, reject) => gunzipToArrayBuffer(file, (error, buffer) => (error ? reject(error) : resolve(buffer!))));

  it('inflates each file into one buffer of exactly its size, the same bytes as zlib gives', async () => {
    const file = path.join(dictionaryPath(), 'cc.dat.gz');
    const buffer = await inflate(file);
    const expected = zlib.gunzipSync(fs.readFileSync(file));
    expect(buffer.byteLength).toBe(expected.length);
    expect(Buffer.from(buffer).equals(expected)).toBe(true);
  });

  it('names the file that is cut short or not gzip at all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kenmin-dict-'));
    const whole = fs.readFileSync(path.join(dictionaryPath(), 'unk.dat.gz'));
    fs.writeFileSync(path.join(dir, 'cut.dat.gz'), whole.subarray(0, whole.length - 100));
    fs.writeFileSync(path.join(dir, 'plain.dat.gz'), 'not gzip');
    await expect(inflate(path.join(dir, 'cut.dat.gz'))).rejects.toThrow();
    await expect(inflate(path.join(dir, 'plain.dat.gz'))).rejects.toThrow(/plain\.dat\.gz is not a gzip file/);
    fs.rmSync(dir, { recursive: true });
  });
});
