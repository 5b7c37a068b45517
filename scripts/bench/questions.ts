/**
 * The bench's questions: the public questions (corpus/eval-questions.jsonl) as people type them,
 * with everyday openings and closings (すみません、… よろしくお願いします。), so that every request
 * of a run asks something distinct and no cache of repeated strings could stand in for answering.
 * The order is fixed (a seeded shuffle), so that two runs ask alike.
 */
const OPENINGS = { ja: ['', 'すみません、', 'こんにちは。', '質問です。', 'ちょっと教えてください。', 'あの、', '初めて質問します。', 'お世話になります。', '教えてほしいんですが、'], en: ['', 'Hi, ', 'Quick question: ', 'Excuse me, ', 'Hello! '] };
const CLOSINGS = { ja: ['', 'よろしくお願いします。', '教えてください。', '知りたいです。', 'お願いします！', '（急ぎません）', 'わかる範囲でお願いします。', '助かります。'], en: ['', ' Thanks!', ' Please help.', ' Thank you.'] };

/** A small, seeded generator (mulberry32): the same order every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One question as people type it: every opening with every closing of its language, the plain question first. */
export function variantsOf({ q, lang }: { q: string; lang?: string }): string[] {
  const language = lang === 'en' ? 'en' : 'ja';
  return [...new Set(OPENINGS[language].flatMap((opening) => CLOSINGS[language].map((closing) => `${opening}${q}${closing}`)))];
}

/** The fewest variants a question has (an English one: 5 openings × 4 closings). */
export const MIN_VARIANTS = Math.min(OPENINGS.en.length * CLOSINGS.en.length, OPENINGS.ja.length * CLOSINGS.ja.length);

/** Every question with every opening and closing of its language, distinct, shuffled. */
export function everydayQuestions(questions: Array<{ q: string; lang?: string }>, seed = 15): string[] {
  const list = [...new Set(questions.flatMap(variantsOf))];
  const next = random(seed);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}
