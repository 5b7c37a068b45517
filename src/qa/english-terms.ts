/**
 * An English question → the plan's Japanese terms. Phrases of up to four words are looked up
 * in the glossary's `english` section first (kept by maintainers), then in the EDICT subset
 * (corpus/english-lexicon.json), both by Porter stems so that "registrations" finds
 * "registration". A capitalized word that maps to nothing (Aikasanet, Kirameki, Fukuoka) is
 * read as romaji, so that it can still meet a plan word by its reading; one that meets nothing
 * (France, FIFA) tells that the question is about something else.
 */
import { stemmer } from 'stemmer';
import { toKatakana as romajiToKatakana } from 'wanakana';
import type { EnglishLexicon } from '../corpus/english-lexicon.js';
import type { Glossary } from '../corpus/glossary.js';
import type { WeightedTerm } from '../index/bm25.js';
import type { Analyzer } from '../text/analyzer.js';
import { normalizeForMatch } from '../text/normalize.js';
import type { AnalyzedQuestion, FocusTerm } from './analyzed-question.js';

/** Words that frame an English question or carry no topic. */
export const ENGLISH_STOPWORDS = new Set(
  (
    'a an the is are was were be been being do does did what whats which who whom whose when where why how can could ' +
    'should would will shall may might must i me my we our you your it its they them their this that these those of ' +
    'in on at to for from by with about as into over under and or not no yes there here any some much many more most ' +
    'tell explain describe please get gets obtain become status kind kinds type types s t than then so if also across ' +
    'all each every according plan plans mention mentioned mentions say says said roughly approximately exactly ' +
    'know want like give given there other own per end beginning start have has had hold holds held ' +
    // The verbs of "when does it start / end", "how long does it last / run": what is asked, not what about.
    'long ends ended ending starts started starting begin begins began finish finishes finished last lasts run runs until'
  ).split(' '),
);


const NUMBER_WORDS: Record<string, string> = {
  one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  eleven: '11', twelve: '12',
};

/** An English noun compound read as a Japanese one: likely, not sure. */
const COMPOUND_WEIGHT = 0.7;

const stemPhrase = (phrase: string) => phrase.split(' ').map((w) => stemmer(w)).join(' ');

/** Japanese candidates of a phrase, most likely first, with how much each counts. */
interface Mapping {
  terms: string[];
  weights: number[];
}

export interface EnglishMapper {
  map(text: string): Pick<AnalyzedQuestion, 'words' | 'focus' | 'searchText' | 'definitionOf'>;
}

export function createEnglishMapper(options: { analyzer: Analyzer; glossary: Glossary; lexicon?: EnglishLexicon }): EnglishMapper {
  const { analyzer, glossary } = options;
  const table = new Map<string, Mapping>();
  // The lexicon first, so that the glossary's entries replace its guesses.
  for (const [english, japanese] of Object.entries(options.lexicon?.entries ?? {})) {
    const key = stemPhrase(normalizeForMatch(english));
    if (!table.has(key)) table.set(key, { terms: japanese, weights: japanese.map((_, i) => (i === 0 ? 0.8 : 0.5 / Math.sqrt(i))) });
  }
  const glossaryKeys = new Set<string>();
  for (const [english, japanese] of Object.entries(glossary.english)) {
    const key = stemPhrase(normalizeForMatch(english));
    glossaryKeys.add(key);
    table.set(key, { terms: japanese, weights: japanese.map(() => 1) });
  }
  const longest = Math.min(4, Math.max(1, ...[...table.keys()].map((k) => k.split(' ').length)));

  /** A capitalized word read as romaji (Kirameki → キラメキ), or nothing when it is not romaji. */
  function romaji(word: string): string | undefined {
    const kana = romajiToKatakana(word.toLowerCase()).replace(/[a-z]$/, '');
    return /^[\u30a0-\u30ff]{3,}$/.test(kana) ? kana : undefined;
  }

  return {
    map(text) {
      const raw = text.match(/[A-Za-z0-9][A-Za-z0-9'-]*/g) ?? [];
      const tokens = raw.map((t) => NUMBER_WORDS[t.toLowerCase()] ?? normalizeForMatch(t).replace(/'s$/, ''));
      const words: WeightedTerm[] = [];
      const focus: FocusTerm[] = [];
      const mapped: string[] = [];
      /** Runs of adjacent mapped phrases: "civic activity" + "groups" → 県民活動 + 団体. */
      const runs: string[][] = [[]];
      for (let i = 0; i < tokens.length; ) {
        let matched = 0;
        for (let n = Math.min(longest, tokens.length - i); n > 0 && !matched; n--) {
          const phrase = tokens.slice(i, i + n).join(' ');
          if (n === 1 && ENGLISH_STOPWORDS.has(phrase)) break;
          const parts = phrase.split(' ');
          // A dictionary phrase that starts or ends with a function word ("how many", "at the end of") frames the question.
          const framed = n > 1 && (ENGLISH_STOPWORDS.has(parts[0]) || ENGLISH_STOPWORDS.has(parts[n - 1]));
          const mapping = table.get(stemPhrase(phrase));
          if (!mapping || (framed && !glossaryKeys.has(stemPhrase(phrase)))) continue;
          const alternatives: string[] = [];
          mapping.terms.forEach((japanese, k) => {
            const terms = analyzer.terms(japanese);
            alternatives.push(...terms);
            words.push(...terms.map((term) => ({ term, weight: mapping.weights[k] })));
          });
          mapped.push(mapping.terms[0]);
          // "how many" → 数 frames the question; it is no part of a compound.
          if (framed) runs.push([]);
          else runs[runs.length - 1].push(mapping.terms[0]);
          // "how many" → 数 says what is asked, not what about.
          if (!framed) focus.push({ label: phrase, alternatives, readings: [], proper: /^[A-Z]/.test(raw[i]) && i > 0 });
          matched = n;
        }
        if (!matched) {
          runs.push([]);
          const word = tokens[i];
          // Numbers and years (2017, fy2016) are read as dates and counts, not as things asked about.
          if (/\d/.test(word)) words.push({ term: word.replace(/^fy/, ''), weight: 1 });
          else if (!ENGLISH_STOPWORDS.has(word) && word.length > 1) {
            // Capitalized mid-sentence, or in capitals: a name.
            const proper = (i > 0 && /^[A-Z]/.test(raw[i])) || /^[A-Z]{2,}$/.test(raw[i]);
            const kana = proper ? romaji(word) : undefined;
            // Searched by its reading too: Aikasanet meets あいかさねっと in the reading index.
            if (kana) mapped.push(kana);
            focus.push({ label: word, alternatives: [], readings: kana ? analyzer.readings(kana) : [], proper });
          }
          matched = 1;
        }
        i += matched;
      }
      // An English compound is a Japanese one in the same order: civic activity groups → 県民活動団体.
      for (const run of runs) {
        for (let a = 0; a + 1 < run.length; a++) {
          for (const term of [run[a] + run[a + 1], ...(a === 0 && run.length > 2 ? [run.join('')] : [])]) {
            words.push({ term: normalizeForMatch(term), weight: COMPOUND_WEIGHT });
          }
        }
      }
      // 、 between terms: spaces between Japanese words vanish in normalization and would glue them together.
      const searchText = [...mapped, ...(/[\u3040-\u30ff\u3400-\u9fff]/.test(text) ? [text] : [])].join('、');
      const definition = normalizeForMatch(text).match(/^what(?:'s| is| are| does) (?:an? |the )?(.+?)(?:\s+(?:stand for|mean)\b.*|\s+in (?:this|the) plan)?\??$/);
      // An acronym asked about (What does NPO stand for?) is defined under its own letters.
      const acronym = definition && /^[A-Z]{2,}$/.test(text.match(/\b([A-Z]{2,})\b/)?.[1] ?? '') && definition[1].split(' ').length === 1;
      const definitionOf = definition ? (acronym ? definition[1] : table.get(stemPhrase(definition[1]))?.terms[0]) : undefined;
      return { words, focus, searchText, definitionOf };
    },
  };
}
