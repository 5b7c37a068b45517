/** The admin routes on our real HTTP server on 127.0.0.1, over curated answers and a report. */
import type { AddressInfo } from 'node:net';
import { createAdminRoutes } from '../../../src/channels/admin/admin-routes.js';
import type { AdminReport } from '../../../src/channels/admin/admin-page.js';
import { createAskRoute } from '../../../src/channels/api/ask-route.js';
import { silentLogger } from '../../../src/logger.js';
import type { AnswerService } from '../../../src/qa/types.js';
import { createMemoryState } from '../../../src/state/short-lived-state.js';
import { testConversation, testHasher } from '../../helpers/conversation.js';
import { createHttpServer, type HttpRoute } from '../../../src/server.js';
import type { CuratedAnswers } from '../../../src/store/curated.js';
import type { ReportOptions } from '../../../src/store/store.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface AdminServer {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startAdminServer(options: {
  curated: CuratedAnswers;
  report: (options: ReportOptions) => Promise<AdminReport>;
  saved?: () => void;
  /** Serves `POST /api/ask` beside the admin page, over this answer service. */
  answers?: AnswerService;
}): Promise<AdminServer> {
  const admin = createAdminRoutes({ token: ADMIN_TOKEN, report: options.report, curated: options.curated, saved: options.saved, logger: silentLogger });
  const routes: HttpRoute[] = [...admin];
  if (options.answers) {
    const state = createMemoryState();
    const { conversation } = testConversation(options.answers, { state });
    routes.push(createAskRoute({ conversation, state, logger: silentLogger, ready: () => true, hashUser: testHasher }));
  }
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
