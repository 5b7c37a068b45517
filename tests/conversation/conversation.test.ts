/**
 * The conversation layer on its own, over a fixed answer service: what every channel gets the
 * same way (cutting and its notice, the per-user limit, history, follow-ups and their notice,
 * errors as outcomes, the question log, in-flight tracking).
 */
import { describe, expect, it } from 'vitest';
import { createConversation, cutQuestion } from '../../src/conversation/conversation.js';
import type { FollowUps, QuestionLog } from '../../src/conversation/types.js';
import { QuestionError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import type { Answer, AnswerService } from '../../src/qa/types.js';
import type { QuestionRecord } from '../../src/store/store.js';
import { createMemoryState } from '../../src/state/short-lived-state.js';
import { testHasher, TEST_INFO } from '../helpers/conversation.js';

const answer = (question: string, over: Partial<Answer> = {}): Answer => ({
  answer: `「${question}」の答え`,
  abstained: false,
  mode: 'extractive',
  language: 'ja',
  sources: [{ rank: 1, score: 1, section: '本文 > 第5章 > (5) 休眠預金', text: '休眠預金…', chunkId: 'c1' }],
  standaloneQuestion: question,
  ...over,
});

function setup(options: { answers?: AnswerService; followUps?: FollowUps; questionsPerMinute?: number; historyTurns?: number; maxQuestionChars?: number } = {}) {
  const asked: string[] = [];
  const logged: QuestionRecord[] = [];
  const lines: string[] = [];
  const log: QuestionLog = { record: (entry) => void logged.push(entry) };
  const answers =
    options.answers ??
    createFixedAnswerService((q) => {
      asked.push(q);
      if (q.includes('爆発')) throw new Error('index exploded');
      if (q.includes('記号')) throw new QuestionError('質問を文章で入力してください。');
      return answer(q);
    }, TEST_INFO);
  const followUps: FollowUps = options.followUps ?? { resolve: async (q) => ({ lookup: `休眠預金は${q}`, followUp: true }) };
  const conversation = createConversation({
    answers,
    followUps,
    state: createMemoryState(),
    limits: { maxQuestionChars: options.maxQuestionChars ?? 500, questionsPerMinute: options.questionsPerMinute ?? 10, historyTurns: options.historyTurns ?? 4 },
    log,
    logger: createLogger('debug', (line) => lines.push(line)),
    hashUser: testHasher,
  });
  const ask = (text: string, more: { chatKey?: string; userKey?: string; onDelta?: (t: string) => void } = {}) =>
    conversation.ask({ channel: 'test', userKey: 'test:U1', chatKey: 'chat-1', text, ...more });
  return { conversation, ask, asked, logged, lines };
}

describe('the conversation layer', () => {
  it('cuts a long question to the limit, says so first, and calls it shortened', async () => {
    const { ask, asked } = setup({ maxQuestionChars: 20 });
    const outcome = await ask('休'.repeat(100));
    expect(asked[0]).toBe('休'.repeat(20));
    expect(outcome).toMatchObject({ kind: 'shortened', question: '休'.repeat(20) });
    if (outcome.kind !== 'shortened') throw new Error(outcome.kind);
    expect(outcome.answer.answer).toMatch(/^（ご質問が長かったため、先頭の20文字で調べました）\n「/);
    expect(cutQuestion('😀😀😀', 2)).toEqual({ question: '😀😀', shortened: true });
  });

  it('asks, remembers and echoes the question without NUL, controls or lone surrogates; one made of them only is empty', async () => {
    const { ask, asked } = setup({});
    expect(await ask('休眠\u0000預金\u0007とは\ud800')).toMatchObject({ kind: 'answered', question: '休眠預金とは' });
    expect(asked).toEqual(['休眠預金とは']);
    expect((await ask('\u0000\udc00\u001b')).kind).toBe('empty');
  });

  it('says nothing was asked for an empty message, without counting it or asking the service', async () => {
    const { ask, asked, logged } = setup({ questionsPerMinute: 1 });
    expect(await ask('   ')).toMatchObject({ kind: 'empty', message: expect.stringContaining('休眠預金とは何ですか') });
    expect((await ask('休眠預金とは')).kind).toBe('answered');
    expect(asked).toEqual(['休眠預金とは']);
    expect(logged).toHaveLength(1);
  });

  it('limits each user per minute, telling why, and marks only the first question over the limit', async () => {
    const { ask, asked } = setup({ questionsPerMinute: 2 });
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await ask(`休眠預金の質問${i}`));
    expect(outcomes.map((o) => o.kind)).toEqual(['answered', 'answered', 'rate-limited', 'rate-limited']);
    expect(outcomes.slice(2)).toMatchObject([
      { firstOver: true, message: expect.stringContaining('1分ほどおいて') },
      { firstOver: false },
    ]);
    // Another user has a limit of their own.
    expect((await ask('休眠預金とは', { userKey: 'test:U2' })).kind).toBe('answered');
    expect(asked).toHaveLength(3);
  });

  it('reads a follow-up against the chat’s turns, looks up what the step says, and says which question it looked up', async () => {
    const { ask, asked } = setup();
    await ask('休眠預金とは何ですか');
    const outcome = await ask('いつから？');
    expect(asked).toEqual(['休眠預金とは何ですか', '休眠預金はいつから？']);
    expect(outcome).toMatchObject({ kind: 'answered', lookedUp: '休眠預金はいつから？' });
    if (outcome.kind !== 'answered') throw new Error(outcome.kind);
    expect(outcome.answer.answer).toMatch(/^（『休眠預金はいつから』として調べました）\n/);
  });

  it('asks no follow-up step for the first question of a chat, nor without a chat', async () => {
    const calls: string[] = [];
    const { ask } = setup({ followUps: { resolve: async (q) => (calls.push(q), { lookup: q, followUp: false }) } });
    await ask('それはいつから？');
    await ask('それは？', { chatKey: undefined });
    await ask('その数は？', { chatKey: 'chat-2' });
    expect(calls).toEqual([]);
    await ask('それはどこですか');
    expect(calls).toEqual(['それはどこですか']);
  });

  it('keeps as many turns as HISTORY_TURNS says, each with what it was looked up as', async () => {
    const seen: number[] = [];
    const { ask } = setup({ historyTurns: 2, followUps: { resolve: async (q, history) => (seen.push(history.length), { lookup: q, followUp: false }) } });
    for (let i = 0; i < 5; i++) await ask(`質問${i}`);
    expect(seen).toEqual([1, 2, 2, 2]);
    const none = setup({ historyTurns: 0, followUps: { resolve: async () => Promise.reject(new Error('never asked')) } });
    await none.ask('休眠預金とは');
    expect((await none.ask('それは？')).kind).toBe('answered');
  });

  it('turns a QuestionError into the user’s message and any other error into an apology, logging the error once', async () => {
    const { ask, logged, lines } = setup();
    expect(await ask('記号')).toEqual({ kind: 'refused', message: '質問を文章で入力してください。' });
    expect(await ask('爆発する質問')).toMatchObject({ kind: 'failed', message: expect.stringContaining('申し訳ありません') });
    expect(lines.filter((l) => l.includes('index exploded'))).toHaveLength(1);
    // Refusals are the user's and not logged as questions; failures are.
    expect(logged.map((l) => [l.question, l.outcome])).toEqual([['爆発する質問', 'failed']]);
  });

  it('logs each answered question with its outcome, channel and the asker’s hash only', async () => {
    const { ask, logged, lines } = setup();
    await ask('休眠預金とは');
    expect(logged).toEqual([
      expect.objectContaining({ channel: 'test', question: '休眠預金とは', outcome: 'answered', mode: 'extractive', userHash: testHasher('test:U1'), topSection: '本文 > 第5章 > (5) 休眠預金' }),
    ]);
    expect(lines.join('\n')).not.toContain('test:U1');
  });

  it('streams the answer with its notices first, and still gives the final answer', async () => {
    const service: AnswerService = {
      ...createFixedAnswerService((q) => answer(q), TEST_INFO),
      async *stream(q) {
        yield '休眠預金は';
        yield '…';
        return answer(q, { answer: '最終の答え' });
      },
    };
    const { ask } = setup({ answers: service });
    await ask('休眠預金とは何ですか');
    const deltas: string[] = [];
    const outcome = await ask('いつから？', { onDelta: (t) => deltas.push(t) });
    expect(deltas).toEqual(['（『休眠預金はいつから』として調べました）\n', '休眠預金は', '…']);
    expect(outcome).toMatchObject({ kind: 'answered', answer: { answer: '（『休眠預金はいつから』として調べました）\n最終の答え' } });
  });

  it('counts questions and tracked work in flight, and waits for them, bounded', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { conversation, ask } = setup({ answers: createFixedAnswerService(async (q) => (await gate, answer(q)), TEST_INFO) });
    const pending = ask('休眠預金とは');
    void conversation.track(gate);
    await new Promise((resolve) => setImmediate(resolve));
    expect(conversation.inFlight()).toBe(2);
    expect(await conversation.whenIdle(20)).toBe(false);
    const idle = conversation.whenIdle(5_000);
    release();
    await pending;
    expect(await idle).toBe(true);
    expect(conversation.inFlight()).toBe(0);
  });

  it('names the live plan for greetings and labels', async () => {
    const { conversation } = setup();
    expect(await conversation.plan()).toEqual(TEST_INFO.plan);
  });
});
