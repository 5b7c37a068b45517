/**
 * Plan terms found by their reading where the question does not spell them: 「ちゅうかん支援団体」
 * reads as 中間支援団体, 「きゅうみんよきん」 as 休眠預金, 「促進機関」 as 促進期間. Each run of the
 * question's reading is searched for the longest readings of plan terms; a term the question
 * does not already contain joins its search terms and the focus it overlaps, as if typed.
 */
import type { PlanProfile } from '../index/plan-profile.js';
import type { Analyzer } from '../text/analyzer.js';
import { toKatakana } from '../text/normalize.js';
import type { AnalyzedQuestion } from './analyze-question.js';

/** Shorter readings (カツドウ is four) say too little about which word is meant… */
const MIN_READING = 4;
/** …except where the resident typed hiragana (ちいき for 地域): there the word was meant by its sound. */
const MIN_HIRAGANA_READING = 3;
const HIRAGANA_RUN = /[\p{Script=Hiragana}ー]{3,}/gu;
const KANA_ONLY = /^[\p{Script=Hiragana}\p{Script=Katakana}ー]+$/u;
/** Found by sound, not spelling: likely what was meant, not sure. */
const RESOLVED_WEIGHT = 0.8;

/**
 * Every beginning of a plan term's reading (カ, カツ, カツド … for カツドウ), per profile: a stretch
 * of a run that begins no reading cannot grow into one, so the search for the longest match at a
 * position stops there instead of trying every length down from the longest reading.
 */
const readingPrefixes = new WeakMap<object, Set<string>>();
function prefixesOf(readingTerms: Record<string, string>): Set<string> {
  let prefixes = readingPrefixes.get(readingTerms);
  if (prefixes === undefined) {
    prefixes = new Set();
    for (const reading of Object.keys(readingTerms)) {
      let prefix = '';
      for (const char of reading) prefixes.add((prefix += char));
    }
    readingPrefixes.set(readingTerms, prefixes);
  }
  return prefixes;
}

export function resolveByReading(question: AnalyzedQuestion, profile: Pick<PlanProfile, 'readingTerms'>, analyzer: Analyzer): AnalyzedQuestion {
  const normalized = analyzer.normalize(question.searchText);
  const prefixes = prefixesOf(profile.readingTerms);
  const found: string[] = [];
  const runs = [
    ...question.readingRuns.map((run) => ({ run, min: MIN_READING })),
    ...[...normalized.matchAll(HIRAGANA_RUN)].map((m) => ({ run: toKatakana(m[0]), min: MIN_HIRAGANA_READING })),
  ];
  for (const { run, min } of runs) {
    const chars = [...run];
    for (let start = 0; start < chars.length; ) {
      // The longest plan reading of at least `min` characters that begins here.
      let matched = 0;
      let term: string | undefined;
      let reading = '';
      for (let end = start; end < chars.length && prefixes.has((reading += chars[end])); end++) {
        const length = end - start + 1;
        const candidate = length >= min ? profile.readingTerms[reading] : undefined;
        if (candidate) [matched, term] = [length, candidate];
      }
      if (term && !normalized.includes(term) && !found.includes(term)) found.push(term);
      start += matched || 1;
    }
  }
  if (found.length === 0) return question;
  const pieces = new Set<string>();
  let focus = question.focus.map((f) => ({ ...f, alternatives: [...f.alternatives] }));
  for (const term of found) {
    const grams = new Set(analyzer.readings(term));
    // Kana that kuromoji cut into pieces (がくせい → がく + せい) were this term: the pieces are no focus.
    focus = focus.filter((f) => {
      const piece = KANA_ONLY.test(f.label) && f.readings.length > 0 && f.readings.every((g) => grams.has(g));
      if (piece) for (const t of f.alternatives) pieces.add(t);
      return !piece;
    });
    // The focus whose reading shares most of this one's pairs is what the resident meant by it.
    const owner = focus
      .map((f) => ({ f, shared: f.readings.filter((g) => grams.has(g)).length }))
      .sort((a, b) => b.shared - a.shared)[0];
    if (owner && owner.shared >= Math.min(3, grams.size)) owner.f.alternatives.push(term);
    else focus.push({ label: term, alternatives: [term], readings: [...grams], proper: false });
  }
  return {
    ...question,
    focus,
    words: [...question.words.filter((w) => !pieces.has(w.term)), ...found.map((term) => ({ term, weight: RESOLVED_WEIGHT }))],
    searchText: [question.searchText, ...found].join(' '),
  };
}
