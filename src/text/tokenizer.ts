/**
 * kuromoji (IPADIC), loaded once per process. Loading takes about 1 s and 390 MB, so the
 * promise is shared; the dictionary path is resolved from the package, not the working
 * directory (kuromoji resolves `dicPath` against cwd otherwise).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import kuromoji from 'kuromoji';

export type Token = kuromoji.IpadicFeatures;
export type Tokenizer = kuromoji.Tokenizer<Token>;

const require = createRequire(import.meta.url);
let shared: Promise<Tokenizer> | undefined;

export function dictionaryPath(): string {
  return path.join(path.dirname(require.resolve('kuromoji/package.json')), 'dict');
}

export function loadTokenizer(): Promise<Tokenizer> {
  shared ??= new Promise<Tokenizer>((resolve, reject) => {
    kuromoji.builder({ dicPath: dictionaryPath() }).build((error, tokenizer) => {
      if (error) {
        shared = undefined;
        reject(new Error(`could not load the kuromoji dictionary from ${dictionaryPath()}: ${error.message}`, { cause: error }));
      } else resolve(tokenizer);
    });
  });
  return shared;
}
