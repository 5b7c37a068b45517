/**
 * What a question is about, as the words the user typed: its longest noun phrase
 * (「認定NPO法人について教えてください」 → 「認定NPO法人」, 「NPO法人の数は？」 → 「NPO法人の数」). The
 * analyzer finds the content words (folded: `npo`, 寄付 → 寄附); they are mapped back onto the
 * question's own characters, so that a rewritten follow-up reads as the user wrote it.
 */
import type { Analyzer } from '../text/analyzer.js';

type TopicAnalyzer = Pick<Analyzer, 'analyze' | 'normalize'>;

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;
/** Words of an English question that name nothing. */
const ENGLISH_FILLER = new Set(
  ('what whats when where why how which who whom whose is are was were be do does did can could should would will may ' +
    'the a an it its this that these those they them their there here of in on at to for from by with about please tell me ' +
    'explain more and or any some much many i you we').split(' '),
);
/** Only the first characters are searched: a question is short, and a pasted essay has no one topic anyway. */
const SEARCHED_CHARS = 200;

/** The content words that are not verbs or adjectives: what the question is about. */
export function focusWords(analyzer: TopicAnalyzer, question: string): string[] {
  if (!JAPANESE.test(question)) {
    return (question.toLowerCase().match(/[a-z0-9][a-z0-9'-]*/g) ?? []).filter((w) => !ENGLISH_FILLER.has(w.replace(/'s$/, '')));
  }
  const { words, predicates } = analyzer.analyze(question);
  const phrasing = new Set(predicates);
  return words.filter((w) => !phrasing.has(w));
}

/** The shortest stretch of `text` from `from` on whose folded form is `term` (センター folds to センタ). */
function surfaceOf(analyzer: TopicAnalyzer, text: string, term: string, from: number): { start: number; end: number } | undefined {
  for (let start = from; start < text.length; start++) {
    for (let end = start + 1; end <= Math.min(text.length, start + term.length + 4); end++) {
      const folded = analyzer.normalize(text.slice(start, end));
      if (folded === term || folded === `${term}ー`) return { start, end };
    }
  }
  return undefined;
}

/** The question's topic in its own words, or undefined when it names nothing (「いつから？」). */
export function topicOf(analyzer: TopicAnalyzer, question: string): string | undefined {
  const text = question.trim().slice(0, SEARCHED_CHARS);
  if (!JAPANESE.test(text)) {
    const topic = text
      .replace(/[?？!！.。]+$/u, '')
      .replace(/^(please\s+)?(tell me about|explain)\s+/i, '')
      .replace(/^(what|who|when|where|why|how|which)('s|\s+(is|are|was|were|does|do|did|can|should|will))?\s+/i, '')
      .trim();
    return focusWords(analyzer, topic).length ? topic : undefined;
  }
  const spans: Array<{ start: number; end: number }> = [];
  for (const term of focusWords(analyzer, text)) {
    const span = surfaceOf(analyzer, text, term, spans.at(-1)?.end ?? 0);
    if (span) spans.push(span);
  }
  // Words side by side, or joined by の・, make one phrase: 認定|NPO|法人, NPO法人|の|数.
  const phrases: Array<{ start: number; end: number }> = [];
  for (const span of spans) {
    const last = phrases.at(-1);
    if (last && /^[の・]?$/.test(text.slice(last.end, span.start))) last.end = span.end;
    else phrases.push({ ...span });
  }
  const longest = phrases.sort((a, b) => b.end - b.start - (a.end - a.start))[0];
  return longest && text.slice(longest.start, longest.end);
}
