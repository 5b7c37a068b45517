/**
 * NUL, other control characters and lone UTF-16 surrogates in a question, through the real
 * server and the real answer service (kuromoji and the index): answered as the question without
 * them, never a 500 or an apology.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT } from '../../src/channels/line/messages.js';
import { tempAnswerService } from '../helpers/temp-index.js';
import { startHarness as startLine } from './line/harness.js';
import { startWebServer, type WebServer } from './web/harness.js';
import { textEvent } from './line/harness.js';

// JSON escapes, so that the bytes on the wire are what a hostile client sends.
const HOSTILE = ['休眠預金\\u0000とは何ですか', '\\ud800休眠預金とは何ですか', '休眠預金とは何ですか\\udc00', '休眠\\u0007預金\\u001bとは\\u0000\\u0000何ですか'];
const CLEAN = '休眠預金とは何ですか';

let web: WebServer;
beforeAll(async () => {
  const { answers, followUps } = await tempAnswerService();
  web = await startWebServer({ answers, followUps });
}, 120_000);
afterAll(async () => {
  await web?.close();
});

describe('control characters and lone surrogates in a question', () => {
  it('/api/ask answers them as the clean question', async () => {
    for (const question of HOSTILE) {
      const res = await fetch(`${web.baseUrl}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"question":"${question}"}` });
      expect(res.status, question).toBe(200);
      const body = await res.json();
      expect(body.question).toBe(CLEAN);
      expect(body.abstained).toBe(false);
      expect(body.sources.length).toBeGreaterThan(0);
    }
    // Nothing but them is an empty question, with the usual reason.
    const empty = await fetch(`${web.baseUrl}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"question":"\\u0000\\ud800\\u0001"}' });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toBe('bad_question');
  });

  it('a LINE webhook answers them, not with an apology', async () => {
    const { answers, followUps } = await tempAnswerService();
    const line = await startLine({ answers, followUps });
    try {
      const events = HOSTILE.map((q, i) => textEvent(JSON.parse(`"${q}"`), { source: { type: 'user', userId: `U-${i}` } }));
      const res = await line.deliver(...events);
      expect(res.status).toBe(200);
      const replies = line.replies();
      expect(replies).toHaveLength(HOSTILE.length);
      for (const reply of replies) {
        const text = reply.body.messages[0].text as string;
        expect(text).not.toBe(TEXT.apology);
        expect(text).toContain('休眠預金');
      }
      expect(line.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
    } finally {
      await line.close();
    }
  });
});
