/** kuromoji is loaded once per process, from the package's own dictionary whatever the working directory. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { readTargetMap } from '../../src/text/kuromoji-target-map.js';
import { dictionaryPath, gunzipToArrayBuffer, loadTokenizer, rememberFeatures } from '../../src/text/tokenizer.js';

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

describe('the compact target map and the lattice builder (kuromoji-target-map.ts)', () => {
  it('tokenizes the plan, a question set and odd text exactly as stock kuromoji does', async () => {
    const plan = fs.readFileSync(path.join(import.meta.dirname, '../../corpus/yamaguchi-kenmin-katsudo-plan-3rd-revision.txt'), 'utf8');
    const odd = ['ｸﾗﾌｧﾝってなに？', 'きゅうみんよきん', 'NPO法って', '😀絵文字と𠮷野家', 'ＡＢＣ１２３abc', '\u3000 　', '令和５年度までに'];
    const questions = fs.readFileSync(path.join(import.meta.dirname, '../../corpus/eval-questions.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).q as string);
    const texts = [...plan.split('\n').filter((line) => line.trim()), ...questions, ...odd];
    // Stock kuromoji, in a process of its own (this one has the compact map installed).
    const stock = spawnSync(
      process.execPath,
      ['-e', `const k = require('kuromoji'); const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
        k.builder({ dicPath: ${JSON.stringify(dictionaryPath())} }).build((e, t) => { if (e) throw e; process.stdout.write(JSON.stringify(texts.map((x) => t.tokenize(x)))); });`],
      { input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 256 * 2 ** 20, cwd: path.join(import.meta.dirname, '../..') },
    );
    expect(stock.status, stock.stderr).toBe(0);
    const tokenizer = await loadTokenizer();
    expect(texts.map((text) => tokenizer.tokenize(text))).toEqual(JSON.parse(stock.stdout));
  });

  it('refuses a damaged map file by name instead of reading garbage', () => {
    const bytes = new Uint8Array(new Int32Array([1, 5, 3, 100]).buffer); // key 5 claims 3 entries, has 1
    expect(() => readTargetMap(bytes)).toThrow(/tid_map\.dat is damaged/);
    expect(readTargetMap(new Uint8Array(new Int32Array([2, 0, 1, 7, 2, 2, 8, 9]).buffer))).toEqual({
      starts: new Int32Array([0, 1, 1, 3]),
      entries: new Int32Array([7, 8, 9]),
    });
  });
});

describe('remembered features (rememberFeatures)', () => {
  const counting = () => {
    const decoded: Array<number | string> = [];
    return { decoded, dictionary: { getFeatures: (id: number | string) => (decoded.push(id), `名詞,一般,*,*,*,*,語${id},ゴ,ゴ`) } };
  };

  it('decodes a word once and answers later lookups from memory, for known and unknown words alike', () => {
    const known = counting();
    const unknown = counting();
    rememberFeatures({ token_info_dictionary: known.dictionary, unknown_dictionary: unknown.dictionary });
    expect([7, 8, 7, 7].map((id) => known.dictionary.getFeatures(id))).toEqual(['名詞,一般,*,*,*,*,語7,ゴ,ゴ', '名詞,一般,*,*,*,*,語8,ゴ,ゴ', '名詞,一般,*,*,*,*,語7,ゴ,ゴ', '名詞,一般,*,*,*,*,語7,ゴ,ゴ']);
    expect(known.decoded).toEqual([7, 8]);
    unknown.dictionary.getFeatures(3);
    unknown.dictionary.getFeatures(3);
    expect(unknown.decoded).toEqual([3]);
  });

  it('holds at most its bound, forgetting the least recently used word', () => {
    const known = counting();
    rememberFeatures({ token_info_dictionary: known.dictionary, unknown_dictionary: counting().dictionary }, 2);
    for (const id of [1, 2, 1, 3, 1, 2]) known.dictionary.getFeatures(id);
    // 2 was the least recently used when 3 came, so it is read again; 1 stayed.
    expect(known.decoded).toEqual([1, 2, 3, 2]);
  });

  it('is installed on the loaded tokenizer: a token read twice is decoded from the dictionary once', async () => {
    type Decoding = { pos_buffer: { getString(at: number): string } };
    const tokenizer = (await loadTokenizer()) as unknown as { token_info_dictionary: Decoding; tokenize(text: string): Array<{ basic_form: string }> };
    const buffer = tokenizer.token_info_dictionary.pos_buffer;
    const getString = buffer.getString;
    let decodes = 0;
    buffer.getString = function (this: unknown, at: number) {
      decodes++;
      return getString.call(this, at);
    };
    try {
      // Words the other tests here have not used, so that the first reading decodes them.
      expect(tokenizer.tokenize('鶯谷の鶯').map((t) => t.basic_form)).toEqual(['鶯谷', 'の', '鶯']);
      const first = decodes;
      expect(first).toBeGreaterThan(0);
      expect(tokenizer.tokenize('鶯谷の鶯').map((t) => t.basic_form)).toEqual(['鶯谷', 'の', '鶯']);
      expect(decodes).toBe(first);
    } finally {
      buffer.getString = getString;
    }
  });
});
