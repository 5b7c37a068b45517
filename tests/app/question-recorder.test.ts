/** The question log keeps who asked only as the one hash, keyed by the store's salt: the same hash the logs show. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createQuestionRecorder } from '../../src/app/question-recorder.js';
import { createConversation } from '../../src/conversation/conversation.js';
import { silentLogger } from '../../src/logger.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import { createMemoryState } from '../../src/state/short-lived-state.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kenmin-recorder-'));
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('question recorder', () => {
  it('logs the question with the asker hashed by the store, and the outcome', async () => {
    const file = path.join(dir, 'bot.sqlite');
    const store = await openSqliteStore({ path: file, logger: silentLogger });
    const conversation = createConversation({
      answers: createFixedAnswerService(() => ({ answer: 'a', abstained: false, mode: 'extractive', language: 'ja', sources: [] })),
      followUps: { resolve: async (lookup) => ({ lookup, followUp: false }) },
      state: createMemoryState(),
      limits: { maxQuestionChars: 500, questionsPerMinute: 10, historyTurns: 4 },
      log: createQuestionRecorder({ store, logger: silentLogger, llmConfigured: false }),
      logger: silentLogger,
      hashUser: store.hashUser,
    });
    await conversation.ask({ channel: 'line', userKey: 'line:U-raw-user-id-123', text: '休眠預金とは' });
    await conversation.whenIdle(1000);
    const expected = store.hashUser('line:U-raw-user-id-123');
    await store.close();

    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT channel, question, outcome, user_hash FROM question_log').all() as Array<Record<string, string>>;
    db.close();
    expect(rows).toEqual([{ channel: 'line', question: '休眠預金とは', outcome: 'answered', user_hash: expected }]);
    expect(rows[0].user_hash).toMatch(/^[0-9a-f]{32}$/);
  });
});
