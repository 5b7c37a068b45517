/**
 * The admin routes on our real HTTP server on 127.0.0.1, over a real store (its report and its
 * curated answers) and the live matcher, with `POST /api/ask` beside them through a
 * conversation that answers curated questions, as the bot does.
 */
import type { AddressInfo } from 'node:net';
import { createAdminRoutes } from '../../../src/channels/admin/admin-routes.js';
import { createAskRoute } from '../../../src/channels/api/ask-route.js';
import { silentLogger } from '../../../src/logger.js';
import { createFixedAnswerService } from '../../../src/qa/fixed-answer-service.js';
import { createMemoryState } from '../../../src/state/short-lived-state.js';
import { testConversation, testHasher, TEST_INFO } from '../../helpers/conversation.js';
import { createHttpServer, type HttpRoute } from '../../../src/server.js';
import type { BotStore } from '../../../src/store/store.js';
import type { CuratedStack } from '../../helpers/curated-stack.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface AdminServer {
  baseUrl: string;
  close(): Promise<void>;
}

/** The plan answers nothing in these tests: every question it is asked is refused. */
const REFUSING = createFixedAnswerService(() => ({ answer: '計画書には記述が見つかりませんでした。', abstained: true, mode: 'extractive', language: 'ja', sources: [] }), TEST_INFO);

export async function startAdminServer(options: {
  curated: CuratedStack;
  /** Counts the saves the page reports to the matcher. */
  saved?: () => void;
}): Promise<AdminServer> {
  const { store, matcher } = options.curated;
  const saved = async () => {
    options.saved?.();
    await matcher.reload();
  };
  const admin = createAdminRoutes({ token: ADMIN_TOKEN, report: (o) => store.report(o), curated: store.curated, saved, logger: silentLogger });
  const state = createMemoryState();
  const { conversation } = testConversation(REFUSING, { state, curated: matcher });
  const routes: HttpRoute[] = [...admin, createAskRoute({ conversation, state, logger: silentLogger, ready: () => true, hashUser: testHasher })];
  const server = createHttpServer({ routes, logger: silentLogger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const DAY = 86_400_000;

/**
 * What the report then shows: 'センターの電話番号は？' refused 3 times over two days, one
 * answered question, one refused 駐車場 question, and a 👎 on an answer whose question has markup.
 */
export async function seedStore(store: BotStore, now = Date.now()): Promise<void> {
  const asked = (question: string, outcome: 'answered' | 'abstained', daysAgo: number) =>
    store.logQuestion({ channel: 'web', question, outcome, mode: 'extractive', latencyMs: 5, at: new Date(now - daysAgo * DAY) });
  await asked('センターの電話番号は？', 'abstained', 2);
  await asked('センターの電話番号は？', 'abstained', 1);
  await asked('センターの電話番号は', 'abstained', 1);
  await asked('駐車場はありますか', 'abstained', 1);
  await asked('協働とは', 'answered', 1);
  await store.record({ channel: 'web', vote: 'down', question: 'NPO<script>とは', answer: '計画書の第5章によると…', sources: [], userHash: 'h1', at: new Date(now - DAY) });
}
