/** The recorder logs who asked, keyed by the store's salt, never raw. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import { createAnswerRecorder } from '../../src/store/recording-answer-service.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';

const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kenmin-recorder-'));
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('answer recorder', () => {
  it('logs the question with the asker hashed, and the outcome', async () => {
    const file = path.join(dir, 'bot.sqlite');
    const store = openSqliteStore({ path: file, logger: silentLogger });
    const record = createAnswerRecorder({ store, logger: silentLogger, llmConfigured: false });
    const answers = record(
      createFixedAnswerService(() => ({ answer: 'a', abstained: false, mode: 'extractive', language: 'ja', sources: [] })),
      'line',
    );
    await answers.answer('休眠預金とは', { user: store.hashUser('line:U-raw-user-id-123') });
    await record.whenIdle(1000);
    store.close();

    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT channel, question, outcome, user_hash FROM question_log').all() as Array<Record<string, string>>;
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'line', question: '休眠預金とは', outcome: 'answered' });
    expect(rows[0].user_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(rows[0].user_hash).not.toContain('U-raw-user-id-123');
  });
});
