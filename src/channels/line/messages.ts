/**
 * What the bot says on LINE, as Messaging API message objects. Pure functions: no I/O.
 * Limits: 5,000 characters a text, 5 messages a reply, 13 quick-reply buttons, 20-character
 * labels, 300-character postback data (https://developers.line.biz/en/reference/messaging-api/).
 */
import type { messagingApi } from '@line/bot-sdk';
import type { AskOutcome } from '../../conversation/types.js';
import { planName, type PlanIdentity } from '../../corpus/plan-identity.js';
import type { Answer, Source } from '../../qa/types.js';
import { headingTopic, LINE_LABEL_MAX, LINE_TEXT_MAX, shortenSection, toPlainText, truncate } from './plain-text.js';

type Message = messagingApi.Message;
type QuickReplyItem = messagingApi.QuickReplyItem;

/** A reply is read on a phone: past this the passage itself is one tap away (根拠を見る). */
const ANSWER_MAX_CHARS = 1_200;
const QUICK_REPLY_MAX = 13;
const POSTBACK_DATA_MAX = 300;
const EVIDENCE_SOURCES = 3;

export const EXAMPLE_QUESTIONS = ['休眠預金とは何ですか？', '認定NPO法人になるには？', 'あいかさねっとって何？'];

/** The plan is named as the live index names it: a new revision greets as itself. */
export const TEXT = {
  greeting: (plan: PlanIdentity) =>
    [
      'お友だち追加ありがとうございます。',
      `「${planName(plan)}」について、計画の本文をもとにお答えします。`,
      '',
      'たとえば次のように聞いてください。',
      ...EXAMPLE_QUESTIONS.map((q) => `・${q}`),
      '',
      '答えには出典（計画のどの節か）を添えます。「根拠を見る」で本文も確かめられます。',
    ].join('\n'),
  nonText: (plan: PlanIdentity) => `ありがとうございます。このボットは「${planName(plan)}」についての文字の質問にお答えします。知りたいことを文章で送ってください。`,
  apology: '申し訳ありません。いま回答を用意できませんでした。少し時間をおいて、もう一度お試しください。',
  evidenceGone: '根拠の表示期限が過ぎました。お手数ですが、もう一度ご質問ください。',
  noEvidence: 'この質問には、計画の中に根拠となる箇所が見つかりませんでした。',
};

export interface EvidencePostback {
  /** Id of the stored answer sources. */
  id: string;
  /** The question, so that the passage can be found again once the stored sources expire. */
  q: string;
}

/** JSON keeps Japanese as is (percent-encoding would triple it); the question is cut until the data fits. */
export function encodeEvidencePostback(data: EvidencePostback): string {
  let q = data.q;
  let encoded = JSON.stringify({ ev: data.id, q });
  while (encoded.length > POSTBACK_DATA_MAX && q.length > 0) {
    q = q.slice(0, Math.max(0, q.length - (encoded.length - POSTBACK_DATA_MAX) - 1));
    encoded = JSON.stringify({ ev: data.id, q });
  }
  return encoded;
}

export function decodeEvidencePostback(data: string): EvidencePostback | undefined {
  try {
    const parsed = JSON.parse(data) as { ev?: unknown; q?: unknown };
    if (typeof parsed.ev !== 'string') return undefined;
    return { id: parsed.ev, q: typeof parsed.q === 'string' ? parsed.q : '' };
  } catch {
    return undefined;
  }
}

const askButton = (label: string, text: string): QuickReplyItem => ({
  type: 'action',
  action: { type: 'message', label: truncate(label, LINE_LABEL_MAX), text: truncate(text, 300) },
});

/** Related questions from the other passages found, then the examples, never the question just asked. */
function relatedButtons(sources: Source[], asked: string): QuickReplyItem[] {
  const answered = sources[0] && headingTopic(sources[0].section);
  const topics = [...new Set(sources.slice(1).map((s) => headingTopic(s.section)))].filter((t) => t && t !== answered);
  const questions = [...topics.map((t) => `「${t}」について教えて`), ...EXAMPLE_QUESTIONS].filter((q) => q !== asked);
  return [...new Set(questions)].slice(0, 4).map((q) => askButton(q.replace(/^「(.*)」について教えて$/, '$1'), q));
}

export function exampleQuickReply(): messagingApi.QuickReply {
  return { items: EXAMPLE_QUESTIONS.map((q) => askButton(q, q)) };
}

export interface AnswerMessageOptions {
  question: string;
  /** Postback data for 根拠を見る; absent when the answer abstained. */
  evidenceData?: string;
}

/** The answer (its notices first: the question was cut, a follow-up was looked up as …) with its section and buttons. */
export function answerMessages(answer: Answer, options: AnswerMessageOptions): Message[] {
  const lines: string[] = [truncate(toPlainText(answer.answer), ANSWER_MAX_CHARS)];
  const section = answer.sources[0] && shortenSection(answer.sources[0].section);
  if (section && !answer.abstained) lines.push('', `${answer.language === 'en' ? 'Source' : '出典'}: ${section}`);

  const items: QuickReplyItem[] = [];
  if (options.evidenceData && !answer.abstained) {
    items.push({
      type: 'action',
      action: { type: 'postback', label: '根拠を見る', displayText: '根拠を見る', data: options.evidenceData },
    });
  }
  items.push(...relatedButtons(answer.abstained ? [] : answer.sources, options.question));
  return [{ type: 'text', text: truncate(lines.join('\n'), LINE_TEXT_MAX), quickReply: { items: items.slice(0, QUICK_REPLY_MAX) } }];
}

/** The passages themselves, one message each (a reply holds at most 5). */
export function evidenceMessages(sources: Source[]): Message[] {
  if (sources.length === 0) return [{ type: 'text', text: TEXT.noEvidence }];
  return sources.slice(0, EVIDENCE_SOURCES).map((s, i) => ({
    type: 'text',
    text: truncate(`【根拠${i + 1}】${shortenSection(s.section, 80)}\n\n${s.text.trim()}`, LINE_TEXT_MAX),
  }));
}

export const textMessage = (text: string, quickReply?: messagingApi.QuickReply): Message =>
  quickReply ? { type: 'text', text: truncate(text, LINE_TEXT_MAX), quickReply } : { type: 'text', text: truncate(text, LINE_TEXT_MAX) };

/** What to send for an outcome that is not an answer; nothing for a flood past the limit, which was told once. */
export function unansweredMessages(outcome: Exclude<AskOutcome, { kind: 'answered' | 'shortened' }>): Message[] {
  if (outcome.kind === 'rate-limited') return outcome.firstOver ? [textMessage(outcome.message)] : [];
  return [textMessage(outcome.message, outcome.kind === 'empty' ? exampleQuickReply() : undefined)];
}
