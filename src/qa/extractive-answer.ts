/**
 * The offline answer: the asked fact first (an indicator's value, a date), then the one or two
 * sentences of the best passages that say most of what the question asks about, kept
 * phone-sized, with the section they come from. Nothing is written that the plan does not say:
 * the lead restates a value or a date found in the quoted passage, and the frame is fixed text.
 * An English question gets an English lead that names what was found and the plan's term.
 */
import { isIndicatorHeader, parseIndicatorLine } from '../corpus/indicator-table.js';
import type { PlanIdentity } from '../corpus/plan-identity.js';
import { PATH_SEPARATOR, shortSectionPath, type Chunk } from '../corpus/section.js';
import { clauseAround, splitSentences } from '../corpus/sentences.js';
import type { LoadedIndex } from '../index/load-index.js';
import { holdsType, type AnswerType } from '../text/answer-types.js';
import type { Analyzer } from '../text/analyzer.js';
import { findDates } from '../text/dates.js';
import type { RetrievalResult } from './hybrid-search.js';
import { boundAsked, boundDate, datesOfFocus, englishLead, indicatorsFor, japaneseLead } from './answer-leads.js';
import { quotedName, refusalText, UNNAMED } from './answer-texts.js';
import { decideRefusal, type FactSentence, type Refusal, type RefusalOptions } from './refusal.js';

export interface ExtractiveOptions {
  /** Characters of quoted plan text in an answer. @default 200 */
  maxChars?: number;
  /** Passages sentences are taken from. @default 2 */
  passageDepth?: number;
  refusal?: RefusalOptions;
}

export interface ComposedAnswer {
  answer: string;
  abstained: boolean;
  /** Why the plan does not answer it, when it does not. */
  refusal?: Refusal;
}

export interface ComposeContext {
  analyzer: Analyzer;
  index: Pick<LoadedIndex, 'facts' | 'profile' | 'words'>;
  /** The plan the index holds (its manifest), named in the frame and in refusals. */
  plan?: PlanIdentity;
}

/** Labels of the PDF's charts (【評価指標】, 【中心的な活動メンバー】【活動団体が抱える問題】): titles, not answers. */
const LABEL = /^(【[^】]*】\s*)+$/;
/** 「次のとおりとします。」: the content follows; the sentence itself says nothing. */
const POINTER = /(次|以下)の(とおり|通り|ように)[^。]{0,12}。$/;
/** A connective that ties a sentence to the one before it, which the answer does not quote. */
const LEADING_CONNECTIVE = /^(また|さらに|一方|このため|そのため|そして|こうした中|しかしながら|しかし|特に|なお|加えて|併せて|あわせて|その後|このことにより)、\s*/;
/** A sentence of the second passage against one of the first: retrieval's order is the better judge. */
const SECOND_PASSAGE = 0.6;
/** A sentence that opens by pointing back at the one before it. */
const POINTS_BACK = /^(この|その|これらの|こうした|このような|これは|それは)/;
/** The share (by weight) of a date question's words that must stand in a date's clause. */
const BOUND_SHARE = 0.75;
/**
 * A date question's sentence that dates what is asked, against one with no date or another's date
 * (a sentence holding the asked type otherwise gains 1.6). Fitted on half A of the public questions
 * (facts 0.74 → 0.77 at 2.0; 2.5 no better), read on half B (0.78 for every value from 1.6 to 2.5).
 */
const DATED_ANSWER = 2;
const VISIBLE: AnswerType[] = ['period', 'frequency', 'date', 'count', 'list'];

interface AnalyzedSentence extends FactSentence {
  /** Terms of its passage's own heading: a section is about what its heading names. */
  heading: Set<string>;
}

/**
 * Sentences of a chunk with their terms, analyzed once per chunk and analyzer (a chunk object
 * lives as long as its loaded index): kuromoji on every sentence of every answer was most of
 * the time an answer took.
 */
const sentenceCache = new WeakMap<Analyzer, WeakMap<Chunk, AnalyzedSentence[]>>();

function sentencesOf(chunk: Chunk, analyzer: Analyzer): AnalyzedSentence[] {
  let byChunk = sentenceCache.get(analyzer);
  if (!byChunk) sentenceCache.set(analyzer, (byChunk = new WeakMap()));
  let analyzed = byChunk.get(chunk);
  if (!analyzed) {
    const headingText = chunk.section.split(PATH_SEPARATOR).slice(-1)[0] ?? '';
    const heading = new Set(analyzer.terms(headingText));
    // The passage starts with its heading line: a title, not an answer.
    analyzed = splitSentences(chunk.text)
      .filter((s) => s !== headingText)
      .map((text) => ({ text, normalized: analyzer.normalize(text), terms: new Set(analyzer.terms(text)), heading }));
    byChunk.set(chunk, analyzed);
  }
  return analyzed;
}

interface Candidate {
  sentence: AnalyzedSentence;
  score: number;
  /** The part of `score` carried from a label or pointer before it (「次のとおりです。」). */
  carried: number;
  passage: number;
  position: number;
  section: string;
}

export function composeExtractiveAnswer(result: RetrievalResult, context: ComposeContext, options: ExtractiveOptions = {}): ComposedAnswer {
  const { question, passages } = result;
  const { analyzer, index } = context;
  const plan = context.plan ?? UNNAMED;
  const maxChars = options.maxChars ?? 200;
  const language = question.language;
  const depth = options.passageDepth ?? 2;

  const top = passages.slice(0, 3).flatMap((p) => sentencesOf(p.chunk, analyzer));
  const refusal = decideRefusal(result, index.profile, top, options.refusal);
  if (refusal) return { answer: refusalText(refusal, language, plan), abstained: true, refusal };

  const weights = new Map<string, number>();
  for (const { term, weight } of question.words) weights.set(term, Math.max(weights.get(term) ?? 0, weight * index.words.idf(term)));
  const visible = question.asked.filter((t) => VISIBLE.includes(t));
  const focusTerms = question.focus.flatMap((f) => f.alternatives).filter((t) => t.length >= 2);
  const asksDate = visible.some((t) => t === 'date' || t === 'period');

  const candidates: Candidate[] = passages.slice(0, depth).flatMap((passage, p) => {
    let carried = 0;
    return sentencesOf(passage.chunk, analyzer).map((sentence, position) => {
      let score = carried;
      const carriedIn = carried;
      carried = 0;
      for (const [term, w] of weights) {
        if (sentence.terms.has(term)) score += w;
        else if (sentence.heading.has(term)) score += w / 2;
      }
      if (visible.some((t) => holdsType(t, sentence.normalized))) score *= !asksDate ? 1.6 : datesWhatIsAsked(sentence.normalized, weights) ? DATED_ANSWER : 1;
      // A bare label such as 【評価指標】 answers nothing itself: what it introduces does.
      if (LABEL.test(sentence.text) || POINTER.test(sentence.text) || isIndicatorHeader(sentence.text)) {
        // One label introduces what follows it; a row of chart titles (【…】【…】) introduces nothing quoted.
        carried = /】\s*【/.test(sentence.text) ? 0 : score;
        return { sentence, score: 0, carried: 0, passage: p, position, section: passage.chunk.section };
      }
      // Earlier passages rank higher; very long sentences are harder to read on a phone.
      score *= (p === 0 ? 1 : SECOND_PASSAGE) / (1 + sentence.text.length / 600);
      if (question.definitionOf && defines(sentence.normalized, question.definitionOf)) score *= 2;
      // A sentence whose subject is what the question is about (中間支援団体は、…) speaks of it, not only mentions it.
      else if (focusTerms.some((t) => defines(sentence.normalized, t))) score *= 1.3;
      return { sentence, score, carried: carriedIn, passage: p, position, section: passage.chunk.section };
    });
  });
  // Rows are looked for in every passage shown as a source: the row that names the focus may rank third.
  const indicators = indicatorsFor(question, passages.slice(0, 3).map((p) => p.chunk.id), index.facts, analyzer);
  // The lead states an indicator's row as a sentence: quoting the row itself again says nothing more.
  // Other sentences quoted beside it come from the indicator's own passage, where the plan says it.
  const isLeadRow = (c: Candidate) => indicators.length > 0 && parseIndicatorLine(c.sentence.text) !== undefined;
  const leadPassage = indicators.length ? passages.findIndex((p) => p.chunk.id === indicators[0].chunkId) : -1;
  const ranked = candidates
    .filter((c) => c.score > 0 && !isLeadRow(c) && (leadPassage < 0 || c.passage === leadPassage))
    .sort((a, b) => b.score - a.score);
  // An indicator's row is the answer: the lead states it, and an English reader also gets the row itself.
  if (indicators.length) {
    const where = shortSectionPath(passages[leadPassage].chunk.section);
    if (language === 'en') {
      const rows = indicators.map((r) => `${r.name} ${r.current}${r.asOf ? ` 《${r.asOf}》` : ''}${r.target ? ` (${r.target})` : ''}`).join('\n');
      return { answer: `${englishLead(question, indicators, [], '')}The plan says (in Japanese):\n${rows}\n(Source: ${where})`, abstained: false };
    }
    return { answer: `${japaneseLead(indicators, [], visible)}（出典: ${where}）`, abstained: false };
  }
  if (ranked.length === 0 && indicators.length) {
    const where = shortSectionPath(passages[leadPassage].chunk.section);
    const lead = language === 'en' ? englishLead(question, indicators, [], '') : japaneseLead(indicators, [], visible);
    return { answer: language === 'en' ? `${lead}(Source: ${where})` : `${lead}（出典: ${where}）`, abstained: false };
  }
  if (ranked.length === 0) {
    const none: Refusal = { kind: 'focus', missing: question.focus.map((f) => f.label) };
    return { answer: refusalText(none, language, plan), abstained: true, refusal: none };
  }

  // One or two sentences, never one that another already says (a summary repeats the plan).
  const chosen = [ranked[0]];
  let used = Math.min(ranked[0].sentence.text.length, maxChars);
  for (const c of ranked.slice(1)) {
    if (chosen.length >= 2 || c.score < ranked[0].score * 0.6) break;
    if (used + c.sentence.text.length > maxChars) continue;
    if (chosen.some((k) => k.sentence.normalized.includes(c.sentence.normalized) || c.sentence.normalized.includes(k.sentence.normalized))) continue;
    chosen.push(c);
    used += c.sentence.text.length;
  }
  // A best sentence that points back (この制度は、…) is read after the sentence it points to, when
  // that one is not quoted already: alone it would not say what it is about.
  const best = ranked[0];
  const antecedent = POINTS_BACK.test(best.sentence.text)
    ? candidates.find((c) => c.passage === best.passage && c.position === best.position - 1 && !LABEL.test(c.sentence.text))
    : undefined;
  if (antecedent && !chosen.includes(antecedent)) {
    if (chosen.length >= 2 && used + antecedent.sentence.text.length > maxChars) chosen.splice(chosen.indexOf(best) === 0 ? 1 : 0, 1);
    chosen.push(antecedent);
  }
  chosen.sort((a, b) => a.passage - b.passage || a.position - b.position);
  // The first passage is retrieval's best: when it is a list, its items answer (改定のポイント).
  const ownBest = [...ranked].filter((c) => c.passage === 0).sort((a, b) => b.score - b.carried - (a.score - a.carried))[0];
  const list = listAround(ownBest ?? ranked[0], candidates, maxChars);
  if (list && !visible.some((t) => t === 'date' || t === 'count' || t === 'frequency') && !question.definitionOf) chosen.splice(0, chosen.length, ...list);
  const anchors = question.focus.flatMap((f) => f.alternatives).filter((t) => t.length >= 2);
  const asList = chosen.length > 2 && chosen.every((c) => c.sentence.text.length <= LIST_ITEM_CHARS);
  const quote = asList
    ? chosen.map((c) => `・${c.sentence.text.replace(/[。]$/, '')}`).join('\n')
    : chosen.map((c) => tidy(trimAround(c.sentence.text, c.sentence.normalized, anchors, maxChars))).join('');
  const where = [...new Set(chosen.map((c) => shortSectionPath(c.section)))].join('、');

  const dated = chosen.reduce((a, b) => (b.score > a.score ? b : a)).sentence.normalized;
  const end = boundAsked(question.question);
  const bounded = end && !visible.includes('period') ? boundDate(dated, end) : undefined;
  const dates = bounded ? [bounded] : visible.some((t) => t === 'date' || t === 'period') ? datesOfFocus(dated, anchors, visible.includes('period')) : [];
  const lead = language === 'en' ? englishLead(question, indicators, dates, quote) : japaneseLead(indicators, dates, visible);

  return {
    answer:
      language === 'en'
        ? `${lead}The plan says (in Japanese):\n${quote}\n(Source: ${where})`
        : `${lead}${lead ? '' : `${quotedName(plan)}には次のように書かれています。\n`}${quote}\n（出典: ${where}）`,
    abstained: false,
  };
}

/**
 * How much of what a date question asks is said in the same clause as a date: 「平成10年12月から
 * …NPO法…が施行され」 dates the 施行 asked about, while 「平成28年のNPO法の改正では、…適切に施行
 * されるよう」 dates the 改正 and only mentions 施行 later. The question's
 * words in the sentence must stand in a date's clause (most of them, by weight) for the sentence to
 * count as one that answers "when".
 */
function datesWhatIsAsked(normalized: string, weights: Map<string, number>): boolean {
  const present = [...weights].filter(([term]) => term.length >= 2 && normalized.includes(term));
  const total = present.reduce((sum, [, w]) => sum + w, 0);
  if (total === 0) return true;
  return findDates(normalized).some((date) => {
    const clause = clauseAround(normalized, date.index);
    return present.reduce((sum, [term, w]) => sum + (clause.includes(term) ? w : 0), 0) >= BOUND_SHARE * total;
  });
}


/**
 * A list answers as a list: when the best sentence is one short item among several in its
 * passage (改定のポイント (1)…(5), a chart's labels), the items are quoted together, in order,
 * as many as fit.
 */
function listAround(best: Candidate, candidates: Candidate[], maxChars: number): Candidate[] | undefined {
  // Labels and chart titles (scored 0) are neither items nor prose.
  const all = candidates.filter((c) => c.passage === best.passage && c.score > 0);
  const items = all.filter((c) => c.sentence.text.length <= LIST_ITEM_CHARS);
  if (best.sentence.text.length > LIST_ITEM_CHARS || items.length < 3 || items.length < all.length * 0.6) return undefined;
  // The best item and its neighbours, alternately before and after, as many as fit.
  const at = items.indexOf(best);
  const out = [best];
  let used = best.sentence.text.length;
  for (let d = 1; d < items.length; d++) {
    for (const c of [items[at + d], items[at - d]]) {
      if (!c || used + c.sentence.text.length + 1 > maxChars) continue;
      out.push(c);
      used += c.sentence.text.length + 1;
    }
  }
  return out.sort((a, b) => a.position - b.position);
}

/** An item of a list: a short line, not a sentence of prose. */
const LIST_ITEM_CHARS = 45;

function defines(normalized: string, term: string): boolean {
  const at = normalized.indexOf(term);
  if (at < 0 || at > 20) return false;
  // A chart's label names its items the same way: 「県民・県民活動への理解と参加…」.
  return /^[」』”)]?(とは|は|って|であり|:|・)/.test(normalized.slice(at + term.length));
}

/** Ends a quoted sentence cleanly, without the connective that tied it to an unquoted one. */
function tidy(sentence: string): string {
  const s = sentence.replace(LEADING_CONNECTIVE, '');
  return /[。…]$/.test(s) ? s : `${s}。`;
}

/**
 * A long sentence cut to the part around what the question is about (the PDF's tables join
 * into one long "sentence"; 「コミュニティ活動とは」 wants the part that starts there).
 */
export function trimAround(sentence: string, normalized: string, anchors: string[], maxChars: number): string {
  if (sentence.length <= maxChars) return sentence;
  // Positions in `normalized` and `sentence` differ by the spaces NFKC folding removed; search the sentence itself.
  const plain = sentence.normalize('NFKC').toLowerCase();
  const at = anchors.map((a) => plain.indexOf(a)).filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? (normalized ? 0 : 0);
  let start = Math.max(0, at - 20);
  // Start after a comma when one is close, so the quote begins at a phrase.
  const comma = sentence.lastIndexOf('、', at);
  if (comma >= 0 && at - comma <= 30) start = comma + 1;
  const end = Math.min(sentence.length, start + maxChars);
  return `${start > 0 ? '…' : ''}${sentence.slice(start, end)}${end < sentence.length ? '…' : ''}`;
}

