/**
 * kuromoji (IPADIC), loaded once per process. Loading takes about 1 s, so the promise is
 * shared; the dictionary path is resolved from the package, not the working directory
 * (kuromoji resolves `dicPath` against cwd otherwise).
 *
 * The dictionary is kuromoji's own loader (DictionaryLoader) fed by our file reading: kuromoji's
 * Node loader gunzips each file into a Buffer made of chunks, concatenates them, then copies
 * the result into a fresh Uint8Array — three copies of ~96 MB of tables at the peak, freed to
 * malloc in pieces that the process keeps. Here each file is inflated straight into one
 * ArrayBuffer of its final size (the gzip trailer gives it), which kuromoji then only views.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import type kuromoji from 'kuromoji';
import { LRUCache } from 'lru-cache';
import { installCompactTargetMap } from './kuromoji-target-map.js';

export type Token = kuromoji.IpadicFeatures;
export type Tokenizer = kuromoji.Tokenizer<Token>;

const require = createRequire(import.meta.url);
let shared: Promise<Tokenizer> | undefined;

type LoadCallback = (error: Error | null, buffer?: ArrayBuffer) => void;
interface DictionaryLoaderLike {
  loadArrayBuffer(file: string, callback: LoadCallback): void;
  load(callback: (error: Error | null, dictionaries: unknown) => void): void;
}

export function dictionaryPath(): string {
  return path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
}

/** Chunks of this size are copied into the final buffer as they come. */
const INFLATE_CHUNK = 1 << 20;

/**
 * One .dat.gz file inflated into an ArrayBuffer of exactly its size. ISIZE, the gzip trailer's
 * last four bytes, is the size mod 2^32 (RFC 1952 §2.3.1); IPADIC's largest table is 50 MB.
 */
export function gunzipToArrayBuffer(file: string, callback: LoadCallback): void {
  fs.readFile(file, (readError, gz) => {
    if (readError) return callback(readError);
    if (gz.length < 18) return callback(new Error(`${file} is not a gzip file`));
    const out = new Uint8Array(new ArrayBuffer(gz.readUInt32LE(gz.length - 4)));
    let offset = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (!failed) callback(error);
      failed = true;
    };
    const inflate = zlib.createGunzip({ chunkSize: INFLATE_CHUNK });
    inflate.on('data', (chunk: Buffer) => {
      if (offset + chunk.length > out.length) return void inflate.destroy(new Error(`${file} inflates past the size its trailer gives`));
      out.set(chunk, offset);
      offset += chunk.length;
    });
    inflate.on('error', fail);
    inflate.on('end', () => (offset === out.length ? callback(null, out.buffer) : fail(new Error(`${file} inflates to ${offset} bytes, not ${out.length}`))));
    inflate.end(gz);
  });
}

function buildTokenizer(dicPath: string): Promise<Tokenizer> {
  // kuromoji's own loader and tokenizer (what its builder.build() does), with our file reading.
  const DictionaryLoader = require('kuromoji/src/loader/DictionaryLoader.js') as new (dicPath: string) => DictionaryLoaderLike;
  const KuromojiTokenizer = require('kuromoji/src/Tokenizer.js') as new (dictionaries: unknown) => Tokenizer;
  installCompactTargetMap();
  const loader = new DictionaryLoader(dicPath);
  // DictionaryLoader calls it unbound, so it must not use `this`.
  loader.loadArrayBuffer = gunzipToArrayBuffer;
  return new Promise((resolve, reject) =>
    loader.load((error, dictionaries) => {
      if (error) return reject(error);
      const tokenizer = new KuromojiTokenizer(dictionaries);
      rememberFeatures(tokenizer as unknown as KuromojiInternals);
      resolve(tokenizer);
    }),
  );
}

/** A dictionary's features of one word: part of speech, base form, reading …, comma-joined. */
interface FeatureSource {
  /** kuromoji passes the lattice node's word id (a number) and parses it as it would a string. */
  getFeatures(wordId: number | string): string;
}
interface KuromojiInternals {
  token_info_dictionary: FeatureSource;
  unknown_dictionary: FeatureSource;
}

/**
 * Distinct words remembered per dictionary. A question uses a few dozen, mostly common ones;
 * an entry is a word id and its features line (about 100 bytes), so a full memory is a few MB.
 */
const REMEMBERED_FEATURES = 20_000;

/**
 * kuromoji decodes a token's features line from the dictionary's UTF-8 bytes at every token
 * (TokenInfoDictionary.getFeatures): about a quarter of its time over a question, and a tenth of
 * what an answer worker allocated under load (a sampling heap profile). The line of a word id
 * never changes, so each dictionary's lines are remembered, most recently used kept; the tokens
 * are the same (tests/text/tokenizer.test.ts compares with stock kuromoji).
 */
export function rememberFeatures(tokenizer: KuromojiInternals, max = REMEMBERED_FEATURES): void {
  for (const dictionary of [tokenizer.token_info_dictionary, tokenizer.unknown_dictionary]) {
    const decode = dictionary.getFeatures.bind(dictionary);
    const lines = new LRUCache<number | string, string>({ max });
    dictionary.getFeatures = (wordId) => {
      let line = lines.get(wordId);
      if (line === undefined) lines.set(wordId, (line = decode(wordId)));
      return line;
    };
  }
}

export function loadTokenizer(): Promise<Tokenizer> {
  shared ??= buildTokenizer(dictionaryPath()).catch((error: unknown) => {
    shared = undefined;
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`could not load the kuromoji dictionary from ${dictionaryPath()}: ${message}`, { cause: error });
  });
  return shared;
}
