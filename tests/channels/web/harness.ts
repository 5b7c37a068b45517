/** Starts our real HTTP server with the JSON API, the web routes and the health routes on 127.0.0.1, port 0. */
import type { SupportContact } from '../../../src/corpus/contacts.js';
import type { AddressInfo } from 'node:net';
import { createHealthRoutes } from '../../../src/app/health-routes.js';
import { createAskRoute } from '../../../src/channels/api/ask-route.js';
import { createClientAddress } from '../../../src/channels/client-address.js';
import type { HttpServerLimits, TrustProxy } from '../../../src/config.js';
import { createWebRoutes } from '../../../src/channels/web/web-routes.js';
import type { ConversationLimits, FollowUps } from '../../../src/conversation/types.js';
import { silentLogger, type Logger } from '../../../src/logger.js';
import { createFixedAnswerService } from '../../../src/qa/fixed-answer-service.js';
import type { Answer, AnswerService } from '../../../src/qa/types.js';
import { createHttpServer } from '../../../src/server.js';
import { createMemoryState } from '../../../src/state/short-lived-state.js';
import type { CuratedMatcher } from '../../../src/store/curated.js';
import { testConversation, testHasher, TEST_INFO } from '../../helpers/conversation.js';

export interface WebServer {
  baseUrl: string;
  close(): Promise<void>;
}

const NOT_LOADED = createFixedAnswerService(() => {
  throw new Error('the index has not loaded');
}, TEST_INFO);

export async function startWebServer(options: {
  /** Undefined: the index is still loading. */
  answers: AnswerService | undefined;
  token?: string;
  /** The per-client request limit of the HTTP endpoints. */
  ratePerMinute?: number;
  /** Whose X-Forwarded-For counts (TRUST_PROXY). @default nobody's */
  trustProxy?: TrustProxy;
  /** The HTTP server's timeouts and connection cap. */
  httpLimits?: Partial<HttpServerLimits>;
  /** The conversation layer's limits. */
  limits?: Partial<ConversationLimits>;
  followUps?: FollowUps;
  logger?: Logger;
  /** The support center's contact that refusals add. */
  contact?: SupportContact;
  /** Curated answers asked before the answer service. */
  curated?: CuratedMatcher;
}): Promise<WebServer> {
  const logger = options.logger ?? silentLogger;
  const state = createMemoryState();
  const answers = options.answers ?? NOT_LOADED;
  const { conversation } = testConversation(answers, { limits: options.limits, followUps: options.followUps, state, logger, contact: options.contact, curated: options.curated });
  const ready = () => options.answers !== undefined;
  const clientAddress = createClientAddress(options.trustProxy);
  const shared = { conversation, state, logger, ready, hashUser: testHasher, token: options.token, ratePerMinute: options.ratePerMinute, clientAddress };
  const health = createHealthRoutes({ isReady: ready, info: () => answers.info() });
  const server = createHttpServer({ routes: [...health, createAskRoute(shared), ...createWebRoutes(shared)], logger, limits: options.httpLimits });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sampleAnswer(question: string, overrides: Partial<Answer> = {}): Answer {
  return {
    answer: `「${question}」への答え: 休眠預金は民間公益活動に活用されます。`,
    abstained: false,
    mode: 'llm',
    language: 'ja',
    sources: [
      {
        rank: 1,
        score: 0.9,
        section: '本文 > 第5章 施策の展開方向 > (5) 休眠預金の活用等による民間公益活動の促進',
        text: '休眠預金等活用法に基づき、\n民間公益活動を促進します。',
        chunkId: 'c1',
      },
    ],
    ...overrides,
  };
}

/** Parses a text/event-stream body into its events (data is JSON in our protocol). */
export function parseEvents(body: string): Array<{ event: string; data: unknown }> {
  return body
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
      return { event, data: JSON.parse(data) };
    });
}
