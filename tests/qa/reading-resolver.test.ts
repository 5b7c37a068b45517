/** Plan terms found by their reading: at each place in a run, the longest plan reading that begins there. */
import { describe, expect, it } from 'vitest';
import type { AnalyzedQuestion } from '../../src/qa/analyzed-question.js';
import { resolveByReading } from '../../src/qa/reading-resolver.js';
import type { Analyzer } from '../../src/text/analyzer.js';

// Only what the resolver reads of an analyzer: the text as matched, and a term's reading pairs.
const analyzer = {
  normalize: (text: string) => text,
  readings: (term: string) => [`${term}:1`, `${term}:2`],
} as unknown as Analyzer;

const readingTerms = { キュウミン: '休眠', キュウミンヨキン: '休眠預金', ヨキンカツヨウ: '預金活用', チュウカンシエン: '中間支援', ダンタイ: '団体', チイキ: '地域' };

function question(searchText: string, readingRuns: string[]): AnalyzedQuestion {
  return { question: searchText, language: 'ja', truncated: false, searchText, words: [], bigrams: [], readings: [], readingRuns, focus: [], asked: [], dates: [] };
}

const found = (q: AnalyzedQuestion) => resolveByReading(q, { readingTerms }, analyzer).words.map((w) => w.term);

describe('resolveByReading', () => {
  it('takes the longest plan reading at a place, then goes on after it', () => {
    // キュウミン matches too, and キュウミンヨキン is longer; the scan goes on after it, so the
    // ヨキン inside it does not begin ヨキンカツヨウ, while the one after it does.
    expect(found(question('キュウミンヨキンカツヨウ', ['キュウミンヨキンカツヨウ']))).toEqual(['休眠預金']);
    expect(found(question('キュウミンノヨキンカツヨウとちゅうかんしえん', ['キュウミンノヨキンカツヨウ', 'チュウカンシエン']))).toEqual(['休眠', '預金活用', '中間支援']);
  });

  it('finds a reading that begins inside a run, after characters that begin none', () => {
    expect(found(question('ナニノダンタイ', ['ナニノダンタイ']))).toEqual(['団体']);
  });

  it('leaves out a term the question already spells, and a short reading outside hiragana', () => {
    expect(found(question('休眠預金のキュウミンヨキン', ['キュウミンヨキン']))).toEqual([]);
    // チイキ is three characters: too short in a reading run, enough where the resident typed hiragana.
    expect(found(question('チイキ', ['チイキ']))).toEqual([]);
    expect(found(question('ちいきのこと', []))).toEqual(['地域']);
  });
});
