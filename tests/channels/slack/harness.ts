/**
 * Starts the real bolt app behind our HTTP server, its WebClient pointed at the fake Slack
 * API, and sends it correctly signed requests the way Slack does.
 */
import type { SupportContact } from '../../../src/corpus/contacts.js';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createSlackChannel, type FeedbackRecord, type SlackChannel, type SlackChannelOptions } from '../../../src/channels/slack/index.js';
import type { SlackConfig } from '../../../src/config.js';
import type { ConversationLimits } from '../../../src/conversation/types.js';
import type { Logger } from '../../../src/logger.js';
import { createFixedAnswerService } from '../../../src/qa/fixed-answer-service.js';
import type { Answer, AnswerContext, IndexInfo, Turn } from '../../../src/qa/types.js';
import { createHttpServer } from '../../../src/server.js';
import { createMemoryState } from '../../../src/state/short-lived-state.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/fake-slack-api.js';
import { testConversation, testHasher, TEST_INFO } from '../../helpers/conversation.js';

export const SIGNING_SECRET = 'test-signing-secret';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string;
  fields?: Record<string, unknown>;
}

export function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (msg: string, fields?: Record<string, unknown>) => void lines.push({ level, msg, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function sampleAnswer(question: string, overrides: Partial<Answer> = {}): Answer {
  return {
    answer: `「${question}」への答え: 県は NPO と協働します。`,
    abstained: false,
    mode: 'extractive',
    language: 'ja',
    sources: [
      { rank: 1, score: 0.9, section: '本文 > 第5章 施策の展開方向 > (1) 協働の推進', text: '県民活動団体と行政の協働を進めます。\n中間支援組織を支えます。', chunkId: 'c1' },
      { rank: 2, score: 0.5, section: '本文 > 第4章 > 2 <基本方針>', text: 'A & B <重要>', chunkId: 'c2' },
    ],
    ...overrides,
  };
}

export interface Harness {
  baseUrl: string;
  fake: FakeSlackApi;
  channel: SlackChannel;
  logger: ReturnType<typeof recordingLogger>;
  feedback: FeedbackRecord[];
  /** Every call the answer service received. */
  asked: { question: string; context?: AnswerContext }[];
  /** What the follow-up step was asked, with the history it saw. */
  followUpCalls: Array<{ question: string; history: Turn[] }>;
  close(): Promise<void>;
}

type Respond = (question: string, context?: AnswerContext) => Answer | Promise<Answer>;

export interface HarnessOptions {
  /** The conversation layer's limits. @default 500 characters, 10 questions a minute, 4 turns */
  limits?: Partial<ConversationLimits>;
  /** What the answer service says of its index (the plan's name, say). */
  info?: IndexInfo;
  /** The support center's contact that refusals add. */
  contact?: SupportContact;
  /** Curated answers staff may write from Slack (「回答を登録・修正」). @default none */
  curated?: SlackChannelOptions['curated'];
  /** SLACK_CURATORS. @default everyone */
  curators?: string[];
}

export async function startHarness(respond: Respond = (q) => sampleAnswer(q), options: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeSlackApi();
  const logger = recordingLogger();
  const feedback: FeedbackRecord[] = [];
  const asked: Harness['asked'] = [];
  const config: SlackConfig = { botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, apiURL: fake.apiUrl, slashCommand: '/kenmin', curators: options.curators };
  const answers = createFixedAnswerService((question, context) => {
    asked.push({ question, context });
    return respond(question, context);
  }, options.info ?? TEST_INFO);
  const state = createMemoryState();
  // A curated question is answered by the conversation layer with its text, as in the bot.
  const { conversation, followUpCalls } = testConversation(answers, { limits: options.limits, state, logger, contact: options.contact, curated: options.curated?.matcher });
  const channel = await createSlackChannel({
    conversation,
    config,
    state,
    logger,
    hashUser: testHasher,
    feedback: { record: async (f) => void feedback.push(f) },
    // Signs at once, so that the tests see them; the bot waits a second (fast answers need none).
    progressDelayMs: 0,
    curated: options.curated,
  });
  const server = createHttpServer({ routes: channel.routes, logger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await channel.start();
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fake,
    channel,
    logger,
    feedback,
    asked,
    followUpCalls,
    async close() {
      await channel.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
    },
  };
}

export interface SendOptions {
  secret?: string;
  /** Unix seconds. @default now */
  timestamp?: number;
  headers?: Record<string, string>;
}

/** Signs `v0:${ts}:${body}` with HMAC-SHA256, as Slack does. */
export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
}

export async function sendRaw(h: Harness, body: string, contentType: string, options: SendOptions = {}): Promise<Response> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return fetch(`${h.baseUrl}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(body, timestamp, options.secret),
      ...options.headers,
    },
    body,
  });
}

let eventIds = 0;

/** An Events API callback around `event`, with a fresh event_id unless one is given. */
export function eventEnvelope(event: Record<string, unknown>, eventId = `Ev${++eventIds}`) {
  return { token: 'x', team_id: 'T0001', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: 1, event, authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true }] };
}

export const sendEvent = (h: Harness, envelope: object, options?: SendOptions) => sendRaw(h, JSON.stringify(envelope), 'application/json', options);

/** Slash commands come as a form; Slack sends exactly this content type. */
export const sendForm = (h: Harness, fields: Record<string, string>, options?: SendOptions) =>
  sendRaw(h, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);

/** Interactivity: the JSON payload in a `payload` form field. */
export const sendInteraction = (h: Harness, payload: object, options?: SendOptions) => sendForm(h, { payload: JSON.stringify(payload) }, options);
