/** A resident's question → what retrieval needs; empty and symbol-only questions are refused politely. */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTextStack } from '../../src/app/text-stack.js';
import { loadConfig } from '../../src/config.js';
import { QuestionError } from '../../src/errors.js';
import { createQuestionAnalyzer, stem, type QuestionAnalyzer } from '../../src/qa/analyze-question.js';

let questions: QuestionAnalyzer;
beforeAll(async () => {
  const { analyzer, glossary } = await loadTextStack(loadConfig({}));
  questions = createQuestionAnalyzer({ analyzer, glossary, maxChars: 50 });
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

  it('reads a Japanese question as Japanese, weighing its own words fully', () => {
    const q = questions.analyze('休眠預金とは何ですか');
    expect(q.language).toBe('ja');
    expect(q.words.filter((w) => w.weight === 1).map((w) => w.term)).toEqual(['休眠', '預金', '休眠預金']);
    expect(q.groups.map((g) => g.label)).toEqual(['休眠', '預金']);
  });

  it('maps an English question to the plan’s Japanese terms', () => {
    const q = questions.analyze('What is dormant deposit funding?');
    expect(q.language).toBe('en');
    expect(q.searchText).toContain('休眠預金');
    expect(q.words.map((w) => w.term)).toContain('休眠預金');
    expect(q.groups.find((g) => g.label === 'dormant deposit')?.kind).toBe('topic');
  });

  it('keeps English words the glossary lacks as phrasing, not topic', () => {
    const q = questions.analyze("What's the capital of France?");
    expect(q.language).toBe('en');
    expect(q.groups.map((g) => g.label)).toEqual(['capital', 'france']);
    expect(q.groups.every((g) => g.alternatives.length === 0)).toBe(true);
  });

  it('stems English words for glossary look-ups', () => {
    expect(['policies', 'volunteered', 'deposits', 'funding'].map(stem)).toEqual(['policy', 'volunteer', 'deposit', 'fund']);
  });
});
