/** kuromoji is loaded once per process, from the package's own dictionary whatever the working directory. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dictionaryPath, loadTokenizer } from '../../src/text/tokenizer.js';

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
