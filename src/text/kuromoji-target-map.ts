/**
 * kuromoji keeps IPADIC's map from a dictionary word to its token entries (tid_map.dat) as one
 * JS object of some 390,000 small arrays: about 65 MB of every answer worker's heap, which V8
 * walks at every major collection. Here the same file is read into two Int32Arrays (CSR: where
 * each word's entries start, and the entries), a few MB, and the lattice builder reads them.
 *
 * The unknown-word dictionary inherits the loader, so its map is compact too. The lattice
 * builder is kuromoji 0.1.2's ViterbiBuilder.build with those two lookups changed, and its
 * dictionary lookups walking the trie over the sentence's bytes encoded once (prefixSearch:
 * a question's analysis took a third less). The package is pinned; it has not changed since
 * 2018. Tokens are the same token for token: tests/text/tokenizer.test.ts compares against
 * stock kuromoji on the plan's text and the public questions.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Word id → its token entries: entries[starts[id] … starts[id + 1]). */
export interface CompactTargetMap {
  starts: Int32Array;
  entries: Int32Array;
}

/** tid_map.dat: int32 LE key count, then per key: key, n, n entries. */
export function readTargetMap(bytes: Uint8Array): CompactTargetMap {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength - (bytes.byteLength % 4);
  // First pass: the largest key and the number of entries, to size the arrays.
  let maxKey = -1;
  let total = 0;
  for (let at = 4; at + 8 <= end; ) {
    const key = view.getInt32(at, true);
    const n = view.getInt32(at + 4, true);
    if (key < 0 || n < 0 || at + 8 + 4 * n > end) throw new Error(`kuromoji's tid_map.dat is damaged at byte ${at}`);
    maxKey = Math.max(maxKey, key);
    total += n;
    at += 8 + 4 * n;
  }
  const counts = new Int32Array(maxKey + 2);
  for (let at = 4; at + 8 <= end; ) {
    const n = view.getInt32(at + 4, true);
    counts[view.getInt32(at, true) + 1] += n;
    at += 8 + 4 * n;
  }
  const starts = counts;
  for (let k = 1; k < starts.length; k++) starts[k] += starts[k - 1];
  const entries = new Int32Array(total);
  const filled = new Int32Array(maxKey + 1);
  for (let at = 4; at + 8 <= end; ) {
    const key = view.getInt32(at, true);
    const n = view.getInt32(at + 4, true);
    for (let i = 0; i < n; i++) entries[starts[key] + filled[key]++] = view.getInt32(at + 8 + 4 * i, true);
    at += 8 + 4 * n;
  }
  return { starts, entries };
}

interface Dictionary {
  getShort(index: number): number;
}
interface Lattice {
  append(node: unknown): void;
  appendEos(): void;
}
interface SurrogateAwareString {
  length: number;
  slice(index: number): string;
  charAt(index: number): string;
  toString(): string;
}
/** The double-array trie of the doublearray package, as kuromoji builds it: base and check per node. */
interface Trie {
  commonPrefixSearch(text: string): Array<{ k: string; v: number }>;
  bc: { getBase(node: number): number; getCheck(node: number): number };
}
interface ViterbiBuilderThis {
  trie: Trie;
  token_info_dictionary: { target_map: CompactTargetMap; dictionary: Dictionary };
  unknown_dictionary: {
    // UnknownDictionary inherits TokenInfoDictionary's loadTargetMap: its map is compact too.
    target_map: CompactTargetMap;
    dictionary: Dictionary;
    lookup(ch: string): { class_id: number; class_name: string; is_always_invoke: number; is_grouping: number };
  };
}

/** A sentence's characters (code points), its UTF-8 bytes, and where each character's bytes start. */
interface EncodedText {
  chars: string[];
  bytes: Uint8Array;
  /** byteStart[i]: the first byte of character i; byteStart[chars.length] = bytes.length. */
  byteStart: Int32Array;
}

/** The sentence encoded once, or undefined when it holds a lone surrogate (not encodable). */
function codePoints(text: string): EncodedText | undefined {
  const chars: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const low = text.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return undefined;
      chars.push(text.slice(i, i + 2));
      i++;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) return undefined;
    else chars.push(text[i]);
  }
  const encoded = Buffer.from(text, 'utf8');
  const byteStart = new Int32Array(chars.length + 1);
  for (let i = 0, at = 0; i < chars.length; i++) {
    byteStart[i] = at;
    const code = chars[i].codePointAt(0)!;
    at += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  byteStart[chars.length] = encoded.length;
  return { chars, bytes: encoded, byteStart };
}

const ROOT = 0;
const TERM = 0;

/**
 * doublearray's commonPrefixSearch from character `pos` of an encoded sentence: the same
 * matches (each word the trie holds that the text starts with there, shortest first, with its
 * record), the words cut from the sentence itself rather than decoded from copied bytes.
 */
function prefixSearch(trie: Trie, text: EncodedText): (pos: number) => Array<{ k: string; v: number }> {
  const { bc } = trie;
  const { bytes, byteStart, chars } = text;
  return (pos) => {
    const result: Array<{ k: string; v: number }> = [];
    let parent = ROOT;
    let end = pos; // the character whose first byte is the next one to match
    for (let b = byteStart[pos]; b < bytes.length; b++) {
      const child = bc.getBase(parent) + bytes[b];
      if (bc.getCheck(child) !== parent) break;
      parent = child;
      const leaf = bc.getBase(child) + TERM;
      if (bc.getCheck(leaf) !== child) continue;
      // The trie's words are whole characters: this byte ends one.
      while (byteStart[end] <= b) end++;
      const base = bc.getBase(leaf);
      // As doublearray: a record only on a leaf (a non-leaf's match has none, and finds no entries).
      const match = { k: chars.slice(pos, end).join('') } as { k: string; v: number };
      if (base <= 0) match.v = -base - 1;
      result.push(match);
    }
    return result;
  };
}

let installed = false;

/** Replaces kuromoji's target map and the one reader of it, once per thread, before the dictionary loads. */
export function installCompactTargetMap(): void {
  if (installed) return;
  installed = true;
  const TokenInfoDictionary = require('kuromoji/src/dict/TokenInfoDictionary.js') as { prototype: { loadTargetMap(bytes: Uint8Array): unknown } };
  const ViterbiBuilder = require('kuromoji/src/viterbi/ViterbiBuilder.js') as { prototype: { build(sentence: string): unknown } };
  const ViterbiNode = require('kuromoji/src/viterbi/ViterbiNode.js') as new (...args: unknown[]) => unknown;
  const ViterbiLattice = require('kuromoji/src/viterbi/ViterbiLattice.js') as new () => Lattice;
  const SurrogateAware = require('kuromoji/src/util/SurrogateAwareString.js') as new (text: string) => SurrogateAwareString;

  TokenInfoDictionary.prototype.loadTargetMap = function (this: { target_map: CompactTargetMap }, bytes: Uint8Array) {
    this.target_map = readTargetMap(bytes);
    return this;
  };

  // kuromoji 0.1.2 ViterbiBuilder.prototype.build, the known-word lookup reading the compact map
  // and the dictionary's trie walked over the sentence's UTF-8 bytes, encoded once: kuromoji
  // encodes the whole rest of the sentence again at every character (and copies each match),
  // which made a sentence's lookups grow with the square of its length.
  ViterbiBuilder.prototype.build = function (this: ViterbiBuilderThis, sentenceText: string) {
    const text = codePoints(sentenceText);
    // A lone surrogate cannot be encoded: kuromoji's own lookup decides what happens to it.
    const sentence = text ? undefined : new SurrogateAware(sentenceText);
    const lookup = text ? prefixSearch(this.trie, text) : (pos: number) => this.trie.commonPrefixSearch(sentence!.slice(pos));
    const length = text ? text.chars.length : sentence!.length;
    const charAt = text ? (pos: number) => text.chars[pos] : (pos: number) => sentence!.charAt(pos);
    const lattice = new ViterbiLattice();
    const known = this.token_info_dictionary;
    const { starts, entries } = known.target_map;
    for (let pos = 0; pos < length; pos++) {
      const vocabulary = lookup(pos);
      for (let n = 0; n < vocabulary.length; n++) {
        const trieId = vocabulary[n].v;
        const key = vocabulary[n].k;
        for (let i = starts[trieId]; i < starts[trieId + 1]; i++) {
          const tokenInfoId = entries[i];
          const leftId = known.dictionary.getShort(tokenInfoId);
          const rightId = known.dictionary.getShort(tokenInfoId + 2);
          const wordCost = known.dictionary.getShort(tokenInfoId + 4);
          lattice.append(new ViterbiNode(tokenInfoId, wordCost, pos + 1, key.length, 'KNOWN', leftId, rightId, key));
        }
      }
      // Unknown words, as kuromoji does them.
      const unknown = this.unknown_dictionary;
      const head = charAt(pos);
      const headClass = unknown.lookup(head);
      if (vocabulary == null || vocabulary.length === 0 || headClass.is_always_invoke === 1) {
        // A lone character stays kuromoji's SurrogateAwareString (its length counts code points); grouped, a string.
        let key: SurrogateAwareString | string = new SurrogateAware(head);
        if (headClass.is_grouping === 1 && pos + 1 < length) {
          for (let k = pos + 1; k < length; k++) {
            const next = charAt(k);
            if (headClass.class_name !== unknown.lookup(next).class_name) break;
            key = key.toString() + next;
          }
        }
        const unknownMap = unknown.target_map;
        for (let j = unknownMap.starts[headClass.class_id]; j < unknownMap.starts[headClass.class_id + 1]; j++) {
          const unknownId = unknownMap.entries[j];
          const leftId = unknown.dictionary.getShort(unknownId);
          const rightId = unknown.dictionary.getShort(unknownId + 2);
          const wordCost = unknown.dictionary.getShort(unknownId + 4);
          lattice.append(new ViterbiNode(unknownId, wordCost, pos + 1, key.length, 'UNKNOWN', leftId, rightId, key.toString()));
        }
      }
    }
    lattice.appendEos();
    return lattice;
  };
}
