import { describe, expect, it } from 'vitest';
import { addressedText } from '../../../src/channels/line/event-handler.js';
import { answerMessages, decodeEvidencePostback, encodeEvidencePostback } from '../../../src/channels/line/messages.js';
import { headingTopic, shortenSection, toPlainText, truncate } from '../../../src/channels/line/plain-text.js';
import { answerFor } from './harness.js';

describe('LINE text shaping', () => {
  it('turns Markdown into plain text', () => {
    const md = '## 概要\n**休眠預金**は`10年`以上…\n- 一つ目\n* 二つ目\n[県のページ](https://example.jp/a)\n> 引用';
    expect(toPlainText(md)).toBe('概要\n休眠預金は10年以上…\n・一つ目\n・二つ目\n県のページ（https://example.jp/a）\n引用');
  });

  it('shortens a heading path to chapter › last heading', () => {
    expect(shortenSection('本文 > 第５章 施策の展開方向 > 2 施策の展開 > (5) 休眠預金の活用')).toBe('第５章 施策の展開方向 › (5) 休眠預金の活用');
    expect(shortenSection('本文 > 第１章 基本計画改定の背景と趣旨')).toBe('第１章 基本計画改定の背景と趣旨');
    expect([...shortenSection(`第１章 > ${'長'.repeat(100)}`)].length).toBe(60);
    expect(headingTopic('本文 > 第５章 > (5) 休眠預金の活用')).toBe('休眠預金の活用');
    expect(headingTopic('本文 > 第４章 基本目標と施策の基本方針')).toBe('基本目標と施策の基本方針');
  });

  it('never splits a surrogate pair when cutting', () => {
    expect(truncate('😀😀😀', 2)).toBe('😀…');
    expect(truncate('abc', 3)).toBe('abc');
  });

  it('keeps postback data within 300 characters, whatever the question', () => {
    const data = encodeEvidencePostback({ id: 'abcdefgh', q: '「引用」と"記号"\\'.repeat(100) });
    expect(data.length).toBeLessThanOrEqual(300);
    expect(decodeEvidencePostback(data)).toMatchObject({ id: 'abcdefgh' });
    expect(decodeEvidencePostback('action=richmenu')).toBeUndefined();
  });

  it('fits a 10,000-character answer into one 5,000-character message', () => {
    const long = { ...answerFor('x'), answer: 'あ'.repeat(10_000) };
    const [message] = answerMessages(long, { question: 'x', evidenceData: '{}' }) as { text: string }[];
    expect([...message.text].length).toBeLessThanOrEqual(5_000);
    expect(message.text).toContain('出典');
  });

  it('finds the question addressed to the bot in a group', () => {
    const m = (text: string, mentionees: unknown[] = []) =>
      ({ type: 'text', id: '1', quoteToken: 'q', text, mention: { mentionees } }) as Parameters<typeof addressedText>[0];
    expect(addressedText(m('おはよう'), '?')).toBeUndefined();
    expect(addressedText(m('?休眠預金'), '?')).toBe('休眠預金');
    expect(addressedText(m('  ？休眠預金'), '?')).toBe('休眠預金');
    expect(addressedText(m('休眠預金 @bot', [{ type: 'user', index: 5, length: 4, isSelf: true }]), '?')).toBe('休眠預金');
    expect(addressedText(m('@bob 休眠預金', [{ type: 'user', index: 0, length: 4, userId: 'U2' }]), '?')).toBeUndefined();
    expect(addressedText(m('@All 休眠預金', [{ type: 'all', index: 0, length: 4 }]), '?')).toBeUndefined();
  });
});
