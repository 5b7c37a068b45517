/** A resident's question → what retrieval needs; empty and symbol-only questions are refused politely. */
import { beforeAll, describe, expect, it } from 'vitest';
import { glossaryVocabulary, loadTextStack, type TextStack } from '../../src/app/text-stack.js';
import { loadConfig } from '../../src/config.js';
import { QuestionError } from '../../src/errors.js';
import { createQuestionAnalyzer, type QuestionAnalyzer } from '../../src/qa/analyze-question.js';
import { createAnalyzer } from '../../src/text/analyzer.js';
import { loadTokenizer } from '../../src/text/tokenizer.js';

let questions: QuestionAnalyzer;
let stack: TextStack;
beforeAll(async () => {
  stack = await loadTextStack(loadConfig({}));
  const { analyzer, glossary, lexicon } = stack;
  questions = createQuestionAnalyzer({ analyzer, glossary, lexicon, maxChars: 50 });
});

const refusal = (question: string) => {
  try {
    questions.analyze(question);
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('question analysis', () => {
  it.each([
    ['empty', ''],
    ['blank', ' \n\t　'],
    ['symbols only', '？？！！・・・'],
    ['emoji only', '😀🙏👍'],
  ])('refuses an %s question with a message for the user', (_name, question) => {
    const error = refusal(question);
    expect(error).toBeInstanceOf(QuestionError);
    expect((error as QuestionError).code).toBe('question_invalid');
    expect((error as QuestionError).message).toMatch(/質問/);
  });

  it('accepts a question that has letters among its emoji', () => {
    expect(questions.analyze('休眠預金😀？').question).toBe('休眠預金😀？');
  });

  it('cuts a long question to the limit, in characters (not UTF-16 units), and says so', () => {
    const long = '休眠預金'.repeat(10) + '😀'.repeat(40);
    const result = questions.analyze(long);
    expect(result.truncated).toBe(true);
    expect([...result.question]).toHaveLength(50);
    expect(result.question.endsWith('😀')).toBe(true);
    expect(questions.analyze('休眠預金とは').truncated).toBe(false);
  });

  it('collapses white space before looking the question up', () => {
    expect(questions.analyze('  休眠預金\n\nとは  ').question).toBe('休眠預金 とは');
  });

  it('reads a Japanese question as Japanese: its own words count fully, frame words little', () => {
    const q = questions.analyze('休眠預金の時期を教えてください');
    expect(q.language).toBe('ja');
    expect(q.words.find((w) => w.term === '休眠預金')?.weight).toBe(1);
    expect(q.words.find((w) => w.term === '時期')?.weight).toBeLessThan(0.5);
    expect(q.focus.map((f) => f.label)).toEqual(['休眠預金']);
  });

  it.each([
    ['いつ', '休眠預金はいつから始まりましたか', 'date'],
    ['how many', 'How many certified NPOs are there?', 'count'],
    ['a phone number', 'センターの電話番号を教えて', 'contact'],
    ['an address', '支援センターの住所ってどこ？', 'address'],
    ['opening hours', '何時から開いていますか', 'hours'],
    ['an amount', '助成は最大いくらですか', 'money'],
    ['a deadline', '申込みの締切はいつ？', 'deadline'],
    ['how long a procedure takes', '認証までどのくらいかかるの？', 'duration'],
    ['who holds a post', 'センター長の名前は？', 'holder'],
    ['who holds a post, in English', 'Who is the governor of Yamaguchi?', 'holder'],
    ['how long, in English', 'How long does it take to register an NPO?', 'duration'],
    ['a definition', '中間支援団体とは何ですか', 'definition'],
    ['a reason', '休眠預金の制度ってなんのためにできたの？', 'reason'],
  ])('tells what the question asks for: %s', (_name, question, type) => {
    expect(questions.analyze(question).asked).toContain(type);
  });

  it('does not take 「ことは」 for 「とは」 nor 「期間の途中」 for a period', () => {
    expect(questions.analyze('計画は期間の途中で見直されることはありますか').asked).toEqual([]);
  });

  it('does not take who takes part (担い手は誰) for who holds a post', () => {
    expect(questions.analyze('県民活動の担い手は誰？').asked).not.toContain('holder');
  });

  it('does not take the plan’s own period for how long a procedure takes', () => {
    expect(questions.analyze('計画の期間は何年間？').asked).not.toContain('duration');
  });

  it('does not take the 数 of a compound (の数値目標) for 「の数」', () => {
    expect(questions.analyze('この計画の数値目標は？').asked).not.toContain('count');
    expect(questions.analyze('県民活動団体の数を教えて').asked).toContain('count');
  });

  it('names the term a definition question asks about', () => {
    expect(questions.analyze('社会的インパクトボンドとは？').definitionOf).toBe('社会的インパクトボンド');
    expect(questions.analyze('What does NPO stand for?').definitionOf).toMatch(/^npo/);
  });

  it('reads the years a question names as Gregorian years', () => {
    expect(questions.analyze('令和4年度末時点の団体数は？').dates.map((d) => d.year)).toEqual([2022]);
    expect(questions.analyze('How many groups at the end of FY2016?').dates.map((d) => d.year)).toEqual([2016]);
  });

  it('marks names as proper: a place kuromoji knows, a long katakana compound, a capitalized English word', () => {
    expect(questions.analyze('広島県の計画の目標は？').focus.find((f) => f.label.includes('広島'))?.proper).toBe(true);
    expect(questions.analyze('パブリック・サポート・テストの基準は？').focus.find((f) => f.label === 'パブリックサポートテスト')?.proper).toBe(true);
    expect(questions.analyze('Where is Fukuoka?').focus.find((f) => f.label === 'fukuoka')?.proper).toBe(true);
  });

  it('adds the glossary’s plan words to a resident’s word: 若い人 → 若者, 若年層', () => {
    const q = questions.analyze('若い人の参加を増やすには？');
    const young = q.focus.find((f) => f.label === '若い人');
    expect(young?.alternatives).toEqual(expect.arrayContaining(['若者', '若年層']));
  });

  it('maps an English question to the plan’s Japanese terms, through the glossary and the EDICT subset', () => {
    const q = questions.analyze('Which donation methods are attracting attention?');
    expect(q.language).toBe('en');
    expect(q.words.map((w) => w.term)).toContain('寄附');
    expect(q.focus.find((f) => f.label === 'attention')?.alternatives).toEqual(expect.arrayContaining(['注目']));
  });

  it('keeps English words no dictionary maps as unmatched focus, reading a capitalized one as romaji', () => {
    const q = questions.analyze("What's the capital of France?");
    expect(q.focus.find((f) => f.label === 'france')).toMatchObject({ alternatives: [], proper: true });
    const aikasa = questions.analyze('How many registrations did Aikasanet have?').focus.find((f) => f.label === 'aikasanet')!;
    expect(aikasa.alternatives.length + aikasa.readings.length).toBeGreaterThan(0);
  });

  it('reads a question with glossary expansions once, and its expansions on their own', async () => {
    const { glossary, lexicon } = stack;
    const tokenizer = await loadTokenizer();
    const read: string[] = [];
    const counting = { tokenize: (text: string) => (read.push(text), tokenizer.tokenize(text)) };
    // As the engine has it: an analyzer that remembers what it read.
    const analyzer = createAnalyzer(counting, glossaryVocabulary(glossary)).remembering({ max: 100 });
    const analyzed = createQuestionAnalyzer({ analyzer, glossary, lexicon, maxChars: 200 });
    read.length = 0;
    const question = '若い人が参加できる活動はありますか';
    const result = analyzed.analyze(question);
    const expansions = glossary.related['若い人'].join(' ');
    expect(result.searchText).toBe(`${question} ${expansions}`);
    // The expansions' readings are searched for (若者: ワカモノ), and the runs are the question's, then the expansions'.
    expect(result.readingRuns).toEqual([...analyzer.readingRuns(question), ...analyzer.readingRuns(expansions)]);
    expect(result.readings.map((r) => r.term)).toEqual(expect.arrayContaining(['ワカ', 'カモ', 'モノ']));
    // kuromoji never read the question with the expansions appended, and the question itself once.
    expect(read.filter((t) => t.includes('若い人') && t.includes('若者'))).toEqual([]);
    expect(read.filter((t) => t === question)).toHaveLength(1);
  });
});
