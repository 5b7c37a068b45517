/**
 * Questions answered in a real answer worker, asked through the conversation the server's
 * thread holds (remote-conversation.ts): the same answers, streams, follow-ups and outcomes as
 * in-process, and `busy` when more questions wait than the bound allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteConversation } from '../../src/app/remote-conversation.js';
import { createAnswerPool, fnv1a, type AnswerPool } from '../../src/app/worker/answer-pool.js';
import { loadConfig } from '../../src/config.js';
import type { Conversation } from '../../src/conversation/types.js';
import { isAnswered } from '../../src/conversation/types.js';
import { silentLogger } from '../../src/logger.js';
import { offlineEnv, tempIndex, type TempIndex } from '../helpers/temp-index.js';

let pool: AnswerPool;
let conversation: Conversation;
let index: TempIndex;

beforeAll(async () => {
  index = await tempIndex();
  // The workers get the typed configuration from here; they read no environment of their own.
  const config = loadConfig(offlineEnv({ INDEX_DIR: index.dir, LOG_LEVEL: 'silent', DATA_DB_PATH: ':memory:', ANSWER_WORKERS: '1', ANSWER_QUEUE_MAX_WAIT_MS: '100' }));
  pool = createAnswerPool({ config, logger: silentLogger });
  conversation = createRemoteConversation(pool);
  await pool.ready;
}, 90_000);

afterAll(async () => {
  await pool?.close();
  await index?.cleanup();
});

const ask = (text: string, chatKey?: string) => conversation.ask({ channel: 'api', userKey: 'http:test', chatKey, text });

describe('answer pool', () => {
  it('answers in the worker, with sources, and reports the live build', async () => {
    const outcome = await ask('休眠預金とは何ですか');
    expect(outcome.kind).toBe('answered');
    if (!isAnswered(outcome)) return;
    expect(outcome.answer.sources[0].text).toContain('休眠預金');
    expect(pool.isReady()).toBe(true);
    expect(pool.info()).toMatchObject({ planVersion: '3rd-2018', plan: { revision: '第3次改定' } });
    expect((await conversation.plan()).revision).toBe('第3次改定');
  });

  it('keeps a chat’s turns in its worker: a follow-up is read against them', async () => {
    await ask('休眠預金とは何ですか', 'http:chat-1');
    const outcome = await ask('それはいつから施行されましたか', 'http:chat-1');
    expect(outcome).toMatchObject({ kind: 'answered', lookedUp: '休眠預金はいつから施行されましたか' });
  });

  it('gives a refused question back as the conversation’s outcome', async () => {
    expect((await ask('！？🙂')).kind).toBe('refused');
  });

  it('streams the answer and ends with the final one', async () => {
    const pieces: string[] = [];
    const outcome = await conversation.ask({ channel: 'web', userKey: 'http:test', text: 'あいかさねっとって何？', onDelta: (t) => pieces.push(t) });
    expect(isAnswered(outcome) && pieces.join('')).toBe(isAnswered(outcome) && outcome.answer.answer);
    expect(pieces.join('')).toContain('あいかさねっと');
  });

  it('answers more questions than the bound allows with busy, never silence, and the rest in full', async () => {
    // 100 ms of expected wait at 4 jobs a time is a few questions queued, as many as the worker's pace allows.
    const questions = Array.from({ length: 80 }, (_, i) => `休眠預金とは何ですか その${i}`);
    const outcomes = await Promise.all(questions.map((q, i) => conversation.ask({ channel: 'api', userKey: `http:u${i}`, text: q })));
    const kinds = outcomes.map((o) => o.kind);
    expect(kinds.filter((k) => k === 'busy').length).toBeGreaterThan(0);
    // The first ones find the queue empty.
    expect(kinds.slice(0, 4)).toEqual(['answered', 'answered', 'answered', 'answered']);
    expect(kinds.every((k) => k === 'busy' || k === 'answered')).toBe(true);
    expect(pool.inFlight()).toBe(0);
  });
});

describe('fnv1a', () => {
  it('spreads chat keys over the workers and always sends one key to the same one', () => {
    const keys = Array.from({ length: 1000 }, (_, i) => `line:U${i}`);
    const perWorker = [0, 0, 0];
    for (const key of keys) perWorker[fnv1a(key) % 3] += 1;
    for (const n of perWorker) expect(n).toBeGreaterThan(250);
    expect(fnv1a('line:U1')).toBe(fnv1a('line:U1'));
  });
});
