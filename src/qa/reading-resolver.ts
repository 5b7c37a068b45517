/**
 * Plan terms found by their reading where the question does not spell them: 「ちゅうかん支援団体」
 * reads as 中間支援団体, 「きゅうみんよきん」 as 休眠預金, 「促進機関」 as 促進期間. Each run of the
 * question's reading is searched for the longest readings of plan terms; a term the question
 * does not already contain joins its search terms and the focus it overlaps, as if typed.
 */
import type { PlanProfile } from '../index/plan-profile.js';
import type { Analyzer } from '../text/analyzer.js';
import type { AnalyzedQuestion } from './analyze-question.js';

/** Shorter readings (カツドウ is four) say too little about which word is meant. */
const MIN_READING = 4;
/** Found by sound, not spelling: likely what was meant, not sure. */
const RESOLVED_WEIGHT = 0.8;

export function resolveByReading(question: AnalyzedQuestion, profile: Pick<PlanProfile, 'readingTerms'>, analyzer: Analyzer): AnalyzedQuestion {
  const normalized = analyzer.normalize(question.searchText);
  const found: string[] = [];
  for (const run of analyzer.readingRuns(question.searchText)) {
    const chars = [...run];
    for (let start = 0; start < chars.length; ) {
      let matched = 0;
      for (let end = chars.length; end - start >= MIN_READING && !matched; end--) {
        const reading = chars.slice(start, end).join('');
        const term = profile.readingTerms[reading];
        if (term) {
          if (!normalized.includes(term) && !found.includes(term)) found.push(term);
          matched = end - start;
        }
      }
      start += matched || 1;
    }
  }
  if (found.length === 0) return question;
  const focus = question.focus.map((f) => ({ ...f, alternatives: [...f.alternatives] }));
  for (const term of found) {
    // The focus whose reading shares most of this one's pairs is what the resident meant by it.
    const grams = new Set(analyzer.readings(term));
    const owner = focus
      .map((f) => ({ f, shared: f.readings.filter((g) => grams.has(g)).length }))
      .sort((a, b) => b.shared - a.shared)[0];
    if (owner && owner.shared >= Math.min(3, grams.size)) owner.f.alternatives.push(term);
    else focus.push({ label: term, alternatives: [term], readings: [...grams], proper: false });
  }
  return {
    ...question,
    focus,
    words: [...question.words, ...found.map((term) => ({ term, weight: RESOLVED_WEIGHT }))],
    searchText: [question.searchText, ...found].join(' '),
  };
}
