/** The admin routes on our real HTTP server on 127.0.0.1, over curated answers and a report. */
import type { AddressInfo } from 'node:net';
import { createAdminRoutes } from '../../../src/channels/admin/admin-routes.js';
import type { AdminReport } from '../../../src/channels/admin/admin-page.js';
import { silentLogger } from '../../../src/logger.js';
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
  /** Routes served beside the admin page (/api/ask, say). */
  routes?: HttpRoute[];
}): Promise<AdminServer> {
  const admin = createAdminRoutes({ token: ADMIN_TOKEN, report: options.report, curated: options.curated, logger: silentLogger });
  const server = createHttpServer({ routes: [...admin, ...(options.routes ?? [])], logger: silentLogger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
