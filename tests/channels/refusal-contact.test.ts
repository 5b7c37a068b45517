/**
 * A refusal shows the support center's contact (corpus/contacts.json) on LINE, Slack and the
 * web when one is configured; without one, it shows nothing invented. An answer never shows it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SupportContact } from '../../src/corpus/contacts.js';
import type { Answer } from '../../src/qa/types.js';
import { startHarness as startLine, textEvent } from './line/harness.js';
import { eventEnvelope, sendEvent, startHarness as startSlack } from './slack/harness.js';
import { parseEvents, sampleAnswer, startWebServer } from './web/harness.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import { TEST_INFO } from '../helpers/conversation.js';

// Made-up values (a reserved-looking number and an .invalid domain): tests ship no real contact.
const CONTACT: SupportContact = { name: 'テスト支援センター', phone: '000-0000-0000', url: 'https://center.example.invalid/', hours: '平日 9:00〜17:00' };
const SHOWN = 'お問い合わせ先: テスト支援センター（電話 000-0000-0000、受付 平日 9:00〜17:00、https://center.example.invalid/）';
const REFUSAL = '「山口県県民活動促進基本計画（第3次改定）」には連絡先（電話番号など）は書かれていません。計画以外のご相談は、やまぐち県民活動支援センターへお問い合わせください。';
const respond = (question: string): Answer =>
  question.includes('電話') ? { answer: REFUSAL, abstained: true, mode: 'extractive', language: 'ja', sources: [] } : sampleAnswer(question);

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function onLine(contact?: SupportContact) {
  const h = await startLine({ respond, contact });
  closers.push(h.close);
  const reply = async (text: string) => {
    await h.deliver(textEvent(text));
    return (h.replies().at(-1)!.body as { messages: Array<{ text: string }> }).messages.map((m) => m.text).join('\n');
  };
  return { refusal: await reply('センターの電話番号は？'), answer: await reply('休眠預金とは何ですか') };
}

async function onSlack(contact?: SupportContact) {
  const h = await startSlack(respond, { contact });
  closers.push(h.close);
  let n = 0;
  const post = async (text: string) => {
    n++;
    const envelope = eventEnvelope({ type: 'app_mention', user: 'U1', text: `<@UBOT> ${text}`, ts: `17000000${n}0.000100`, channel: 'C1', event_ts: `17000000${n}0.000100` });
    expect((await sendEvent(h, envelope)).status).toBe(200);
    const calls = await h.fake.waitForCalls('chat.postMessage', n);
    return JSON.stringify(calls[n - 1].args);
  };
  return { refusal: await post('センターの電話番号は？'), answer: await post('休眠預金とは何ですか') };
}

async function onWeb(contact?: SupportContact) {
  const web = await startWebServer({ answers: createFixedAnswerService(respond, TEST_INFO), contact });
  closers.push(web.close);
  const ask = async (question: string) => {
    const res = await fetch(`${web.baseUrl}/api/ask/stream`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
    const done = parseEvents(await res.text()).find((e) => e.event === 'done')!.data as { answer: string };
    return done.answer;
  };
  return { refusal: await ask('センターの電話番号は？'), answer: await ask('休眠預金とは何ですか') };
}

describe.each([
  ['LINE', onLine],
  ['Slack', onSlack],
  ['the web page', onWeb],
] as const)('a refusal on %s', (_name, run) => {
  it('shows the configured contact, and an answer does not', async () => {
    const { refusal, answer } = await run(CONTACT);
    expect(refusal).toContain('やまぐち県民活動支援センターへお問い合わせください');
    expect(refusal).toContain(SHOWN);
    expect(answer).not.toContain('お問い合わせ先');
  });

  it('shows no contact when none is configured', async () => {
    const { refusal } = await run(undefined);
    expect(refusal).toContain('やまぐち県民活動支援センターへお問い合わせください');
    expect(refusal).not.toContain('お問い合わせ先');
    expect(refusal).not.toMatch(/電話 |https?:\/\//);
  });
});
