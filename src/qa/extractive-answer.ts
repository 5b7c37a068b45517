/**
 * The offline answer: the few sentences of the best passages that share the most (idf-
 * weighted) terms with the question, kept phone-sized, with the section they come from.
 * Nothing is written that the plan does not say: the frame around the quotes is fixed text.
 */
import type { Analyzer } from '../text/analyzer.js';
import type { RetrievalResult } from './hybrid-search.js';
import type { Language } from './types.js';
import { PATH_SEPARATOR, shortSectionPath, type Chunk } from '../corpus/section.js';
import { planName, type PlanIdentity } from '../corpus/plan-identity.js';

export interface ExtractiveOptions {
  /** Characters of quoted plan text in an answer. @default 220 */
  maxChars?: number;
  /** Below this coverage the plan is taken not to answer the question. @default 0.5 */
  minCoverage?: number;
  /** Passages sentences are taken from. @default 2 */
  passageDepth?: number;
  /** The plan the index holds, named in the answer's frame and in a refusal. @default unnamed ("この計画") */
  plan?: PlanIdentity;
}

export interface ComposedAnswer {
  answer: string;
  abstained: boolean;
}

const BULLET = /^[○〇◇◆●・※■□]\s*/;
const LABEL = /^【[^】]*】$/;
/** 「次のとおりとします。」: the content follows; the sentence itself says nothing. */
const POINTER = /(次|以下)の(とおり|通り|ように)[^。]{0,12}。$/;

/**
 * What kind of answer the question wants, as a test on sentences: a number for いくつ/割合/how many,
 * a date for いつ/when. Sentences that have one answer such questions better.
 */
export function expectedAnswerType(question: string): RegExp | undefined {
  if (/(割合|何割|何%|何パーセント|いくつ|何人|何件|何団体|何箇所|何か所|何市|の数|数は|how many|how much|percentage|number of)/i.test(question)) {
    return /[0-9０-９]/;
  }
  if (/(いつ|何年|何月|when|what year|since)/i.test(question)) return /[0-9０-９]+\s*(年|月)|平成|令和|昭和/;
  return undefined;
}

export function splitSentences(text: string): string[] {
  return text
    .split(/\n|(?<=。)(?![)）」』])|(?=[○〇◇●])/)
    .map((s) => s.replace(BULLET, '').trim())
    .filter((s) => s.length >= 6);
}

export function abstentionText(language: Language, plan: PlanIdentity = { title: '' }): string {
  return language === 'en'
    ? `Sorry, ${planName(plan, 'en')} does not seem to cover this. I can answer questions about the plan, ` +
        'for example how an NPO becomes a certified NPO, dormant-deposit funding, the volunteer matching site あいかさねっと, ' +
        "or the plan's goals and period. For other questions, please contact やまぐち県民活動支援センター (Yamaguchi Prefectural Civic Activity Support Center)."
    : `申し訳ありません。ご質問の内容は「${planName(plan)}」には書かれていないようです。` +
        'この計画について、たとえば「認定NPO法人になるには」「休眠預金とは」「あいかさねっとって何？」「計画の期間や目標」などにお答えできます。' +
        '計画以外のご相談は、やまぐち県民活動支援センターへお問い合わせください。';
}

const DEFINITION_QUESTION = /(とは|って(何|なに|なん)|の定義|の意味|what\s+(is|are)\b|what's|meaning of|define)/i;

/** The term a "what is X" question asks about: its longest noun compound, or its longest word. */
export function definitionFocus(question: string, analyzer: Analyzer): string | undefined {
  if (!DEFINITION_QUESTION.test(question)) return undefined;
  const { words, compounds } = analyzer.analyze(question.replace(DEFINITION_QUESTION, ' '));
  const candidates = compounds.length ? compounds : words;
  return candidates.sort((a, b) => b.length - a.length)[0];
}

function definesTerm(normalized: string, focus: string): boolean {
  const at = normalized.indexOf(focus);
  if (at < 0 || at > 20) return false;
  return /^[」』”)]?(とは|は|って|であり|:|:)/.test(normalized.slice(at + focus.length));
}

interface AnalyzedPassage {
  /** A section is about what its heading names: each of its sentences shares that, at half weight. */
  headingTerms: Set<string>;
  sentences: Array<{ sentence: string; terms: Set<string>; normalized: string }>;
}

/**
 * Sentences of a chunk with their terms, analyzed once per chunk and analyzer (a chunk object
 * lives as long as its loaded index): kuromoji on every sentence of every answer was most of
 * the time an answer took.
 */
const passageCache = new WeakMap<Analyzer, WeakMap<Chunk, AnalyzedPassage>>();

function analyzedPassage(chunk: Chunk, analyzer: Analyzer): AnalyzedPassage {
  let byChunk = passageCache.get(analyzer);
  if (!byChunk) passageCache.set(analyzer, (byChunk = new WeakMap()));
  let analyzed = byChunk.get(chunk);
  if (!analyzed) {
    const heading = chunk.section.split(PATH_SEPARATOR).slice(-1)[0] ?? '';
    analyzed = {
      headingTerms: new Set(analyzer.terms(heading)),
      // The passage starts with its heading line: a title, not an answer.
      sentences: splitSentences(chunk.text)
        .filter((s) => s !== heading)
        .map((sentence) => ({ sentence, terms: new Set(analyzer.terms(sentence)), normalized: analyzer.normalize(sentence) })),
    };
    byChunk.set(chunk, analyzed);
  }
  return analyzed;
}

/** Said before any answer to a question that was cut to the size limit. */
export function shortenedNote(language: Language): string {
  return language === 'en' ? '(Your question was long, so only its beginning was used.)\n' : '（ご質問が長いため、最初の部分で調べました）\n';
}

export function composeExtractiveAnswer(
  result: RetrievalResult,
  analyzer: Analyzer,
  idf: (term: string) => number,
  options: ExtractiveOptions = {},
): ComposedAnswer {
  const { question, passages } = result;
  const maxChars = options.maxChars ?? 220;
  const language = question.language;
  if (passages.length === 0 || result.coverage < (options.minCoverage ?? 0.5)) {
    return { answer: abstentionText(language, options.plan), abstained: true };
  }

  const focus = definitionFocus(question.question, analyzer);
  const weights = new Map<string, number>();
  for (const { term, weight } of question.words) weights.set(term, Math.max(weights.get(term) ?? 0, weight * idf(term)));

  const wanted = expectedAnswerType(question.question);
  const candidates = passages.slice(0, options.passageDepth ?? 2).flatMap((passage, p) => {
    let carried = 0;
    const { headingTerms, sentences } = analyzedPassage(passage.chunk, analyzer);
    return sentences.map(({ sentence, terms, normalized }, position) => {
      let score = carried;
      carried = 0;
      for (const [term, w] of weights) {
        if (terms.has(term)) score += w;
        else if (headingTerms.has(term)) score += w / 2;
      }
      if (wanted && wanted.test(sentence)) score *= 1.5;
      // A bare label such as 【評価指標】 answers nothing itself: what it introduces does.
      if (LABEL.test(sentence) || POINTER.test(sentence)) {
        carried = score;
        return { sentence, score: 0, p, position, section: passage.chunk.section };
      }
      // Earlier passages rank higher; very long sentences are harder to read on a phone.
      score *= (p === 0 ? 1 : 0.7) / (1 + sentence.length / 400);
      // "Xとは？": the sentence that says what X is answers it best.
      if (focus && definesTerm(normalized, focus)) score *= 2;
      return { sentence, score, p, position, section: passage.chunk.section };
    });
  });
  const ranked = candidates.filter((c) => c.score > 0).sort((a, b) => b.score - a.score);
  if (ranked.length === 0) return { answer: abstentionText(language, options.plan), abstained: true };

  const chosen = [ranked[0]];
  let used = ranked[0].sentence.length;
  for (const c of ranked.slice(1)) {
    if (chosen.length >= 3 || c.score < ranked[0].score * 0.5) break;
    if (used + c.sentence.length > maxChars) continue;
    chosen.push(c);
    used += c.sentence.length;
  }
  chosen.sort((a, b) => a.p - b.p || a.position - b.position);
  const quote = chosen
    .map((c) => {
      const s = c.sentence.length > maxChars ? `${c.sentence.slice(0, maxChars - 1)}…` : c.sentence;
      return /[。…]$/.test(s) ? s : `${s}。`;
    })
    .join('');
  const where = [...new Set(chosen.map((c) => shortSectionPath(c.section)))].join('、');
  return {
    answer:
      language === 'en'
        ? `The plan says (in Japanese):\n${quote}\n(Source: ${where}, ${planName(options.plan ?? { title: '' }, 'en')})`
        : `「${planName(options.plan ?? { title: '' })}」には次のように書かれています。\n${quote}\n（出典: ${where}）`,
    abstained: false,
  };
}
