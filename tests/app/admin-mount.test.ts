/** The server thread mounts the admin page only with ADMIN_TOKEN: a 404 otherwise, then only with the token. */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { mountChannels } from '../../src/app/channels.js';
import type { AnswerPool } from '../../src/app/worker/answer-pool.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import { createHttpServer } from '../../src/server.js';
import { createMemoryState } from '../../src/state/short-lived-state.js';
import { testConversation, TEST_INFO } from '../helpers/conversation.js';
import { openCuratedStack, type CuratedStack } from '../helpers/curated-stack.js';

const TOKEN = 'a-long-enough-admin-token';

describe('the admin page in the app', () => {
  let stack: CuratedStack | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    await stack?.close();
  });

  async function serve(env: Record<string, string>): Promise<string> {
    stack = await openCuratedStack();
    const state = createMemoryState();
    const answers = createFixedAnswerService(() => ({ answer: '…', abstained: true, mode: 'extractive', language: 'ja', sources: [] }), TEST_INFO);
    const { conversation } = testConversation(answers, { state, curated: stack.matcher });
    // Neither LINE nor Slack is configured: nothing is handed to the answer workers.
    const pool = {} as AnswerPool;
    const mounted = mountChannels({ config: loadConfig(env), conversation, pool, state, store: stack.store, logger: silentLogger, ready: () => true });
    const server = createHttpServer({ routes: mounted.routes, logger: silentLogger });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
    expect(mounted.names.includes('admin')).toBe(Boolean(env.ADMIN_TOKEN));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('is not there without ADMIN_TOKEN', async () => {
    const base = await serve({});
    expect((await fetch(`${base}/admin`)).status).toBe(404);
    expect((await fetch(`${base}/admin/chart.umd.min.js`)).status).toBe(404);
  });

  it('needs the token when ADMIN_TOKEN is set, and an answer saved there answers /api/ask once the matcher reads the store', async () => {
    const base = await serve({ ADMIN_TOKEN: TOKEN });
    expect((await fetch(`${base}/admin`)).status).toBe(401);
    const authorization = `Bearer ${TOKEN}`;
    expect((await fetch(`${base}/admin`, { headers: { authorization } })).status).toBe(200);
    const saved = await fetch(`${base}/admin/curated`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization },
      body: new URLSearchParams({ action: 'save', phrasings: 'センターの開館時間は？', answer: '（テスト用）9時から17時です。' }),
    });
    expect(saved.status).toBe(303);
    // What each answer worker's matcher does every CURATED_RELOAD_SECONDS.
    await stack!.matcher.reload();
    const asked = await fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'センターの開館時間は？' }) });
    expect((await asked.json()).answer).toContain('（テスト用）9時から17時です。');
  });
});
