import { afterEach, describe, expect, it } from 'vitest';
import { QuestionError } from '../../../src/errors.js';
import { answerFor, event, startHarness, textEvent, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

const lastReply = () => h.replies().at(-1)!.body as { replyToken: string; messages: any[] };
const labels = (message: any): string[] => message.quickReply?.items.map((i: any) => i.action.label) ?? [];

describe('LINE conversation', () => {
  it('answers a text message in plain text with its section, and quick replies within limits', async () => {
    h = await startHarness();
    const e = textEvent('休眠預金とは何ですか？');
    await h.deliver(e);
    const { replyToken, messages } = lastReply();
    expect(replyToken).toBe(e.replyToken);
    expect(messages.length).toBeLessThanOrEqual(5);
    const text: string = messages[0].text;
    expect(text).toContain('休眠預金とは、10年以上');
    expect(text).not.toMatch(/\*\*|^- /m); // no Markdown: LINE shows it raw
    expect(text).toContain('出典: 第５章 施策の展開方向 › (5) 休眠預金の活用等による民間公益活動の促進');
    const items = messages.at(-1).quickReply.items;
    expect(items.length).toBeGreaterThan(1);
    expect(items.length).toBeLessThanOrEqual(13);
    for (const item of items) expect([...item.action.label].length).toBeLessThanOrEqual(20);
    expect(items[0].action).toMatchObject({ type: 'postback', label: '根拠を見る' });
    expect(items[0].action.data.length).toBeLessThanOrEqual(300);
    expect(labels(messages[0])).toContain('自立的活動に向けた財政基盤の強化');
    // The loading animation runs in one-to-one chats while answering.
    expect(h.api.ok('/v2/bot/chat/loading/start').map((c) => c.body)).toEqual([{ chatId: 'U-alice', loadingSeconds: 30 }]);
  });

  it('shows the quoted passage when 根拠を見る is tapped', async () => {
    h = await startHarness();
    await h.deliver(textEvent('休眠預金とは何ですか？'));
    const data = lastReply().messages[0].quickReply.items[0].action.data;
    await h.deliver(event({ type: 'postback', postback: { data } }));
    const shown = lastReply().messages;
    expect(shown[0].text).toContain('休眠預金等活用法に基づき、休眠預金を民間公益活動の促進に活用する。');
    expect(shown[0].text).toContain('【根拠1】');
    expect(h.asked).toHaveLength(1); // from memory, not asked again
  });

  it('finds the passage again from the postback when the stored answer is gone', async () => {
    h = await startHarness();
    const data = JSON.stringify({ ev: 'expired-id', q: '休眠預金とは何ですか？' });
    await h.deliver(event({ type: 'postback', postback: { data } }));
    expect(h.asked.map((a) => a.question)).toEqual(['休眠預金とは何ですか？']);
    expect(lastReply().messages[0].text).toContain('休眠預金等活用法');
  });

  it('offers no 根拠 button when the answer abstained', async () => {
    h = await startHarness();
    await h.deliver(textEvent('明日の天気は？'));
    const message = lastReply().messages[0];
    expect(message.text).toContain('見つかりませんでした');
    expect(message.text).not.toContain('出典');
    expect(labels(message)).not.toContain('根拠を見る');
  });

  it('greets a new friend with what it knows and example questions', async () => {
    h = await startHarness();
    await h.deliver(event({ type: 'follow', follow: { isUnblocked: false } }));
    const [greeting] = lastReply().messages;
    expect(greeting.text).toContain('山口県県民活動促進基本計画');
    for (const q of ['休眠預金とは何ですか', '認定NPO法人になるには', 'あいかさねっとって何']) expect(greeting.text).toContain(q);
    expect(h.asked).toEqual([]);
  });

  it('answers a sticker in a one-to-one chat with a friendly note, and stays silent in a group', async () => {
    h = await startHarness();
    const sticker = { type: 'sticker', id: 's1', packageId: '1', stickerId: '1', stickerResourceType: 'STATIC', quoteToken: 'q' };
    await h.deliver(event({ message: sticker }));
    expect(lastReply().messages[0].text).toContain('文字の質問');
    await h.deliver(event({ message: sticker, source: { type: 'group', groupId: 'G1', userId: 'U-alice' } }));
    await h.deliver(event({ message: { type: 'image', id: 'i1', contentProvider: { type: 'line' } }, source: { type: 'room', roomId: 'R1', userId: 'U-bob' } }));
    expect(h.replies()).toHaveLength(1);
    expect(h.asked).toEqual([]);
  });

  it('in a group, stays silent unless mentioned or prefixed, and strips the mention', async () => {
    h = await startHarness();
    const group = { type: 'group', groupId: 'G1', userId: 'U-alice' };
    await h.deliver(textEvent('休眠預金って知ってる？', { source: group }));
    await h.deliver(textEvent('@Alice 休眠預金とは？', { source: group, message: { type: 'text', id: 'x', quoteToken: 'q', text: '@Alice 休眠預金とは？', mention: { mentionees: [{ index: 0, length: 6, type: 'user', userId: 'U-alice2' }] } } }));
    expect(h.api.calls).toEqual([]);

    const mentioned = '@県民活動ボット 休眠預金とは何ですか？';
    await h.deliver(textEvent(mentioned, { source: group, message: { type: 'text', id: 'y', quoteToken: 'q', text: mentioned, mention: { mentionees: [{ index: 0, length: 8, type: 'user', isSelf: true }] } } }));
    await h.deliver(textEvent('？認定NPO法人になるには', { source: { type: 'room', roomId: 'R1', userId: 'U-bob' } }));
    expect(h.asked.map((a) => a.question)).toEqual(['休眠預金とは何ですか？', '認定NPO法人になるには']);
    expect(h.replies()).toHaveLength(2);
    expect(h.api.ok('/v2/bot/chat/loading/start')).toHaveLength(0); // one-to-one chats only
  });

  it('cuts a 20,000-character message to maxQuestionChars and says so, within LINE limits', async () => {
    h = await startHarness({ limits: { maxQuestionChars: 500 } });
    await h.deliver(textEvent('休'.repeat(20_000)));
    expect(h.asked[0].question).toHaveLength(500);
    const { messages } = lastReply();
    expect(messages[0].text).toContain('先頭の500文字');
    for (const m of messages) expect([...m.text].length).toBeLessThanOrEqual(5_000);
  });

  it('keeps the conversation, so that a follow-up is read against it', async () => {
    h = await startHarness();
    await h.deliver(textEvent('休眠預金とは何ですか？'));
    await h.deliver(textEvent('それはどう使われますか？'));
    await h.deliver(textEvent('認定NPO法人になるには？', { source: { type: 'user', userId: 'U-bob' } }));
    // The first question of a conversation has no history to read: it is looked up as it is.
    expect(h.followUpCalls).toEqual([{ question: 'それはどう使われますか？', history: [{ question: '休眠預金とは何ですか？', answer: answerFor('').answer }] }]);
    expect(h.asked.map((a) => a.question)).toEqual(['休眠預金とは何ですか？', 'それはどう使われますか？', '認定NPO法人になるには？']);
  });

  it('limits questions per user, and says so once per window', async () => {
    h = await startHarness({ limits: { questionsPerMinute: 2 } });
    for (let i = 0; i < 5; i++) await h.deliver(textEvent(`休眠預金の質問${i}`));
    await h.deliver(textEvent('休眠預金とは？', { source: { type: 'user', userId: 'U-bob' } }));
    expect(h.asked).toHaveLength(3);
    const texts = h.replies().map((r) => r.body.messages[0].text as string);
    expect(texts.filter((t) => t.includes('1分ほどおいて'))).toHaveLength(1);
    expect(h.replies()).toHaveLength(4);
  });

  it('apologises when the answer service fails, instead of staying silent', async () => {
    h = await startHarness({
      respond: () => {
        throw new Error('index exploded');
      },
    });
    await h.deliver(textEvent('休眠預金とは？'));
    expect(lastReply().messages[0].text).toContain('申し訳ありません');
    expect(h.logLines.some((l) => l.includes('index exploded'))).toBe(true);
  });

  it("shows the answer service's own words when it refuses a question", async () => {
    h = await startHarness({
      respond: () => {
        throw new QuestionError('質問を文章で入力してください。');
      },
    });
    await h.deliver(textEvent('！？'));
    expect(lastReply().messages[0].text).toBe('質問を文章で入力してください。');
  });

  it('never writes a raw user id to the logs', async () => {
    h = await startHarness();
    await h.deliver(textEvent('休眠預金とは？', { source: { type: 'group', groupId: 'G-secret', userId: 'U-alice' } }));
    await h.deliver(textEvent('休眠預金とは？'));
    h.api.failNext(3, 500);
    await h.deliver(textEvent('認定NPO法人とは？'));
    expect(h.logLines.length).toBeGreaterThan(3);
    for (const line of h.logLines) {
      expect(line).not.toContain('U-alice');
      expect(line).not.toContain('G-secret');
    }
  });
});
