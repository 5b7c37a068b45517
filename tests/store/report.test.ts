/**
 * Questions go through the conversation layer and the app's question recorder into a real
 * SQLite file; the report, and `npm run report`, count what was logged.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuestionError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import type { Answer } from '../../src/qa/types.js';
import { createQuestionRecorder } from '../../src/app/question-recorder.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import type { BotStore } from '../../src/store/store.js';
import { formatReport } from '../../src/store/report-format.js';
import { answerFor } from '../channels/line/harness.js';
import { testConversation } from '../helpers/conversation.js';

const DAY = 24 * 60 * 60_000;
let dir: string;
let file: string;
let store: BotStore;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bot-report-'));
  file = path.join(dir, 'bot.sqlite');
  store = await openSqliteStore({ path: file, logger: createLogger('silent') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** 天気 abstains (see the LINE harness), 爆発 fails, 記号 is refused as a question. */
function respond(question: string): Answer {
  if (question.includes('爆発')) throw new Error('index exploded');
  if (question.includes('記号')) throw new QuestionError('質問を文章で入力してください。');
  return answerFor(question);
}

function asker(log: ReturnType<typeof createQuestionRecorder>) {
  const { conversation } = testConversation(createFixedAnswerService(respond), { log, limits: { questionsPerMinute: 100 } });
  return (channel: string, text: string, onDelta?: (t: string) => void) => conversation.ask({ channel, userKey: `${channel}:U1`, text, onDelta });
}

async function askAll(log: ReturnType<typeof createQuestionRecorder>) {
  const ask = asker(log);
  for (const q of ['休眠預金とは？', '明日の天気は？', '明日の天気は?', '明日の 天気は？', '今日の天気', '休眠預金の使い道は？']) await ask('line', q);
  expect((await ask('line', '爆発する質問')).kind).toBe('failed');
  expect((await ask('line', '記号')).kind).toBe('refused');
  await ask('api', '休眠預金とは？');
  await ask('api', '週末の天気は？');
  // Streaming answers are recorded when the stream ends.
  await ask('api', '休眠預金の財源は？', () => undefined);
}

describe('question log and report', () => {
  it('counts outcomes by channel, abstained questions (variants as one), topics and disliked answers', async () => {
    await askAll(createQuestionRecorder({ store, logger: createLogger('silent'), llmConfigured: false }));
    await store.record({ channel: 'slack', vote: 'down', question: '休眠預金とは？', answer: 'A1', sources: [], userHash: 'u1', at: new Date() });
    await store.record({ channel: 'slack', vote: 'down', question: '休眠預金とは？', answer: 'A1', sources: [], userHash: 'u2', at: new Date() });
    await store.record({ channel: 'slack', vote: 'up', question: '休眠預金とは？', answer: 'A1', sources: [], userHash: 'u3', at: new Date() });
    await store.record({ channel: 'slack', vote: 'down', question: '協働とは？', answer: 'A2', sources: [], userHash: 'u1', at: new Date() });
    await store.record({ channel: 'slack', vote: 'up', question: '寄附とは？', answer: 'A3', sources: [], userHash: 'u1', at: new Date() });
    // Older than the period: not counted.
    await store.logQuestion({ channel: 'line', question: '古い天気', outcome: 'abstained', latencyMs: 1, at: new Date(Date.now() - 40 * DAY) });

    const report = await store.report({ since: new Date(Date.now() - 30 * DAY) });
    expect(report.channels).toEqual([
      { channel: 'line', total: 7, answered: 2, abstained: 4, failed: 1, answerRate: 0.286 },
      { channel: 'api', total: 3, answered: 2, abstained: 1, failed: 0, answerRate: 0.667 },
    ]);
    expect(report.abstained[0]).toEqual({ question: '明日の天気は？', count: 3 });
    expect(report.abstained.map((a) => a.count)).toEqual([3, 1, 1]);
    expect(report.topics).toEqual([{ section: answerFor('x').sources[0].section, count: 4 }]);
    expect(report.disliked).toEqual([
      { question: '休眠預金とは？', answer: 'A1', down: 2, up: 1 },
      { question: '協働とは？', answer: 'A2', down: 1, up: 0 },
    ]);
    const text = formatReport(report);
    expect(text).toContain('Answer rates by channel');
    expect(text).toMatch(/line\s+7\s+2\s+4\s+1\s+28\.6%/);
    // Every question of the run was asked today: one row of questions per day; no curated answer given.
    expect(report.daily).toEqual([{ day: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), questions: 10, refused: 5 }]);
    expect(text).toMatch(/Questions per day \(Japan time\)\n\s+day\s+questions\s+refused\n.*\n\s+\d{4}-\d\d-\d\d\s+10\s+5/);
    expect(text).toMatch(/Curated answers given\n\s+\(none\)/);
  });

  it('npm run report prints the same counts as JSON, read-only while the store is open', async () => {
    await askAll(createQuestionRecorder({ store, logger: createLogger('silent'), llmConfigured: false }));
    const { stdout } = await promisify(execFile)(
      path.resolve('node_modules/.bin/tsx'),
      ['scripts/report.ts', '--days', '7', '--json'],
      { env: { ...process.env, DATA_DB_PATH: file, LOG_LEVEL: 'silent' }, timeout: 30_000 },
    );
    const report = JSON.parse(stdout);
    expect(report.channels.map((c: any) => [c.channel, c.total])).toEqual([['line', 7], ['api', 3]]);
    expect(report.abstained[0].count).toBe(3);
  }, 40_000);

  it('never fails an answer when the store cannot write, and says so once', async () => {
    const lines: string[] = [];
    const ask = asker(createQuestionRecorder({ store, logger: createLogger('info', (l) => lines.push(l)), llmConfigured: false }));
    await store.close();
    expect((await ask('line', '休眠預金とは？')).kind).toBe('answered');
    expect((await ask('line', '休眠預金とは？')).kind).toBe('answered');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.filter((l) => l.includes('could not be logged'))).toHaveLength(1);
  });
});
