/** The lexical half of an index build (lexical.json, sentences.json): BM25 over passages and over their sentences. */
import { Bm25Index, type Bm25Json } from './bm25.js';

/** One sentence of a passage, in passage order. */
export interface SentenceEntry {
  /** Index of its chunk in chunks.json. */
  chunk: number;
  text: string;
}

interface FieldsJson {
  words: Bm25Json;
  bigrams: Bm25Json;
  readings: Bm25Json;
}

export interface LexicalJson {
  chunks: FieldsJson;
  sentences: FieldsJson;
}

/** BM25 over kuromoji words, character bigrams and kana readings of the same documents. */
export interface LexicalFields {
  words: Bm25Index;
  bigrams: Bm25Index;
  readings: Bm25Index;
}

export function lexicalFromJson(json: LexicalJson): { chunks: LexicalFields; sentences: LexicalFields } {
  const fields = (f: FieldsJson | undefined, name: string): LexicalFields => {
    if (!f) throw new Error(`${name} missing`);
    return { words: Bm25Index.fromJSON(f.words), bigrams: Bm25Index.fromJSON(f.bigrams), readings: Bm25Index.fromJSON(f.readings) };
  };
  return { chunks: fields(json?.chunks, 'chunks'), sentences: fields(json?.sentences, 'sentences') };
}
