/** GET /metrics on a real server: question counters, latency, LLM fallbacks, signature failures, index version. */
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createQuestionRecorder } from '../../src/app/question-recorder.js';
import { createAskRoute } from '../../src/channels/api/ask-route.js';
import { createLineRoutes } from '../../src/channels/line/index.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { createFixedAnswerService } from '../../src/qa/fixed-answer-service.js';
import type { IndexInfo } from '../../src/qa/types.js';
import { createHttpServer } from '../../src/server.js';
import { createMemoryState } from '../../src/state/short-lived-state.js';
import { answerFor, SECRET } from '../channels/line/harness.js';
import { testConversation, testHasher } from '../helpers/conversation.js';

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function start(llmConfigured: boolean) {
  let info: IndexInfo | undefined;
  const metrics = createMetrics({ indexInfo: () => info, processMetrics: false });
  const logger = createLogger('silent');
  // The question log of the app: every channel's questions counted under its name.
  const log = createQuestionRecorder({ metrics, logger, llmConfigured });
  const answers = createFixedAnswerService((q) => {
    if (q.includes('爆発')) throw new Error('boom');
    return answerFor(q);
  });
  const state = createMemoryState();
  const { conversation } = testConversation(answers, { log, state, logger, limits: { questionsPerMinute: 100 } });
  const line = createLineRoutes({
    conversation,
    config: { channelSecret: SECRET, channelAccessToken: 'test-token', apiBaseURL: 'http://127.0.0.1:9', groupPrefix: '?' },
    state,
    logger,
    hashUser: testHasher,
  });
  const askRoute = createAskRoute({ conversation, state, logger, ready: () => true, hashUser: testHasher, ratePerMinute: 100 });
  const routes = [askRoute, ...metrics.countSignatureFailures(line), metrics.route];
  server = createHttpServer({ routes, logger });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ask = (question: string) => fetch(`${base}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question }) });
  const scrape = async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };
  return { base, ask, scrape, setInfo: (i: IndexInfo) => void (info = i) };
}

describe('GET /metrics', () => {
  it('exposes question counters by channel and outcome, latency, fallbacks, signature failures and the index', async () => {
    const { base, ask, scrape, setInfo } = await start(true);
    expect(await scrape()).not.toContain('bot_index_info{');
    for (const q of ['休眠預金とは？', '認定NPO法人とは？', '明日の天気は？']) expect((await ask(q)).status).toBe(200);
    expect((await ask('爆発')).status).toBe(500);
    const body = JSON.stringify({ destination: 'U', events: [] });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/line/webhook`, { method: 'POST', headers: { 'x-line-signature': 'forged' }, body });
      expect(res.status).toBe(401);
    }
    setInfo({ planVersion: '3rd-2018', build: 'b42', chunkCount: 10, embedder: 'offline', plan: { title: '' } });

    const text = await scrape();
    expect(text).toContain('bot_questions_total{channel="api",outcome="answered"} 2');
    expect(text).toContain('bot_questions_total{channel="api",outcome="abstained"} 1');
    expect(text).toContain('bot_questions_total{channel="api",outcome="failed"} 1');
    expect(text).toContain('bot_answer_duration_seconds_count{channel="api"} 4');
    // A model is configured but these answers are extractive and not abstentions: fallbacks.
    expect(text).toContain('bot_llm_fallbacks_total{channel="api"} 2');
    expect(text).toContain('bot_webhook_signature_failures_total{path="/line/webhook"} 2');
    expect(text).toContain('bot_index_info{plan_version="3rd-2018",build="b42"} 1');

    setInfo({ planVersion: '3rd-2018', build: 'b43', chunkCount: 10, embedder: 'offline', plan: { title: '' } });
    const after = await scrape();
    expect(after).toContain('build="b43"} 1');
    expect(after).not.toContain('build="b42"');
  });

  it('counts no fallback when no model is configured', async () => {
    const { ask, scrape } = await start(false);
    await ask('休眠預金とは？');
    expect(await scrape()).not.toMatch(/bot_llm_fallbacks_total\{/);
  });
});
