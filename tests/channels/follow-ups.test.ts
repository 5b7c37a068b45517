/**
 * Follow-ups offline, end to end: the real answer service and follow-up step over the real plan,
 * behind the JSON API (with a conversationId, as the web page sends one per tab) and behind LINE.
 * 「それはいつから？」 after 「休眠預金とは何ですか」 is looked up as 「休眠預金はいつから？」 and says so;
 * asked alone, it is not answered as if there had been a question before it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FollowUps } from '../../src/conversation/types.js';
import type { AnswerService } from '../../src/qa/types.js';
import { tempAnswerService } from '../helpers/temp-index.js';
import { startHarness, textEvent, type Harness } from './line/harness.js';
import { startWebServer, type WebServer } from './web/harness.js';

let answers: AnswerService;
let followUps: FollowUps;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ answers, followUps, cleanup } = await tempAnswerService());
}, 60_000);
afterAll(() => cleanup());

describe('follow-ups on the JSON API, with a conversationId', () => {
  let server: WebServer;
  beforeAll(async () => {
    server = await startWebServer({ answers, followUps });
  });
  afterAll(() => server.close());

  const ask = async (question: string, conversationId?: string) => {
    const res = await fetch(`${server.baseUrl}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question, conversationId }) });
    expect(res.status).toBe(200);
    return (await res.json()) as { answer: string; abstained: boolean; lookedUp?: string; conversationId?: string; sources: Array<{ section: string }> };
  };

  it('answers 「それはいつから？」 after 「休眠預金とは何ですか」 with 平成30年1月, and says what it looked up', async () => {
    await ask('休眠預金とは何ですか', 'tab-kyumin-0001');
    const followUp = await ask('それはいつから？', 'tab-kyumin-0001');
    expect(followUp).toMatchObject({ lookedUp: '休眠預金はいつから？', conversationId: 'tab-kyumin-0001', abstained: false });
    expect(followUp.answer).toMatch(/^（『休眠預金はいつから』として調べました）\n/);
    expect(followUp.answer).toContain('平成30年1月');
  });

  it('answers 「その数は？」 after 「認定NPO法人について教えてください」 with 6法人', async () => {
    await ask('認定NPO法人について教えてください', 'tab-nintei-0001');
    const followUp = await ask('その数は？', 'tab-nintei-0001');
    expect(followUp.lookedUp).toBe('認定NPO法人の数は？');
    expect(followUp.answer).toContain('『認定NPO法人の数は』として調べました');
    expect(followUp.answer.normalize('NFKC')).toContain('6法人');
  });

  it('does not answer a lone 「それはいつから？」 as a follow-up, in a new conversation or in none', async () => {
    await ask('休眠預金とは何ですか', 'tab-other-0001');
    for (const alone of [await ask('それはいつから？', 'tab-fresh-0001'), await ask('それはいつから？')]) {
      expect(alone.lookedUp).toBeUndefined();
      expect(alone.answer).not.toContain('として調べました');
      expect(alone.answer).not.toContain('平成30年1月');
    }
  });

  it('keeps each conversation apart', async () => {
    await ask('休眠預金とは何ですか', 'tab-apart-0001');
    await ask('あいかさねっとって何？', 'tab-apart-0002');
    expect((await ask('それはいつから？', 'tab-apart-0001')).lookedUp).toBe('休眠預金はいつから？');
  });
});

describe('follow-ups on LINE', () => {
  let h: Harness;
  afterEach(() => h.close());
  const lastText = () => h.replies().at(-1)!.body.messages[0].text as string;

  it('answers 「それはいつから？」 after 「休眠預金とは何ですか」 with 平成30年1月, saying what it looked up', async () => {
    h = await startHarness({ answers, followUps });
    await h.deliver(textEvent('休眠預金とは何ですか'));
    await h.deliver(textEvent('それはいつから？'));
    expect(lastText()).toMatch(/^（『休眠預金はいつから』として調べました）\n/);
    expect(lastText()).toContain('平成30年1月');
  });

  it('answers 「その数は？」 after 「認定NPO法人について教えてください」 with 6法人', async () => {
    h = await startHarness({ answers, followUps });
    await h.deliver(textEvent('認定NPO法人について教えてください'));
    await h.deliver(textEvent('その数は？'));
    expect(lastText()).toContain('『認定NPO法人の数は』として調べました');
    expect(lastText().normalize('NFKC')).toContain('6法人');
  });

  it('does not answer a lone 「それはいつから？」 as a follow-up, nor another user’s', async () => {
    h = await startHarness({ answers, followUps });
    await h.deliver(textEvent('休眠預金とは何ですか', { source: { type: 'user', userId: 'U-bob' } }));
    await h.deliver(textEvent('それはいつから？'));
    expect(lastText()).not.toContain('として調べました');
    expect(lastText()).not.toContain('平成30年1月');
  });
});
