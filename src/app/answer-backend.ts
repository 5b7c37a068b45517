/**
 * Everything behind the acknowledgement, composed in one answer worker: the answer service
 * and its dictionary, the stores, the conversation with its question log and metrics, and the
 * LINE and Slack clients that send the answers. The server's thread hands it jobs that are
 * already verified and acknowledged (src/app/worker/messages.ts); the worker thread around it
 * (answer-worker.ts) only carries messages.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import v8 from 'node:v8';
import { threadId } from 'node:worker_threads';
import { Gauge } from 'prom-client';
import type { LineChannel } from '../channels/line/index.js';
import type { SlackChannel } from '../channels/slack/index.js';
import type { Config } from '../config.js';
import { createConversation } from '../conversation/conversation.js';
import { MESSAGES } from '../conversation/notices.js';
import type { AskOutcome, Conversation } from '../conversation/types.js';
import { readSupportContact } from '../corpus/contacts.js';
import type { Logger } from '../logger.js';
import { createMetrics } from '../metrics/metrics.js';
import { createPassageLookup } from '../qa/passage-lookup.js';
import { createLiveCuratedMatcher } from './live-curated.js';
import type { Engine } from '../qa/engine.js';
import type { IndexInfo } from '../qa/types.js';
import { watchIndexSwaps } from './index-swaps.js';
import { createDefaultAnswerService } from './local-answers.js';
import { openStores } from './open-stores.js';
import { createQuestionRecorder } from './question-recorder.js';
import type { Job, JobResult } from './worker/messages.js';

export interface BackendOptions {
  config: Config;
  logger: Logger;
  /** This worker keeps the Slack Socket Mode connection (one worker only does). */
  slackSocket: boolean;
  /** A new index build went live (issue 6). */
  onSwap: (info: IndexInfo) => void;
}

export interface JobContext {
  busy: boolean;
  waitedMs: number;
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
}

export interface AnswerBackend {
  info(): IndexInfo;
  run(job: Job, context: JobContext): Promise<JobResult>;
  /** Looks for a new index build now (SIGHUP on the server). */
  checkIndex(): void;
  metricsJson(): Promise<unknown[]>;
  close(): Promise<void>;
}

const BUSY: AskOutcome = { kind: 'busy', message: MESSAGES.busy };

export async function createAnswerBackend({ config, logger, slackSocket, onSwap }: BackendOptions): Promise<AnswerBackend> {
  // The channels' SDKs (bolt alone is a few hundred ms of module loading) load while the
  // dictionary inflates on libuv's threads, instead of after the index.
  const wantSlack = Boolean(config.slack && (slackSocket || !config.slack.appToken));
  const lineModule = config.line ? import('../channels/line/index.js') : undefined;
  const slackModule = wantSlack ? import('../channels/slack/index.js') : undefined;
  lineModule?.catch(() => undefined);
  slackModule?.catch(() => undefined);
  const loaded = await createDefaultAnswerService(config, logger);
  const swap = (next: Engine) => {
    loaded.swap(next);
    onSwap(next.info);
  };
  const watcher = watchIndexSwaps(config, { ...loaded, swap }, logger, { sighup: false });
  const { store, state, close: closeStores } = await openStores(config, logger);
  // The answers' counters; the server's thread adds its own (process, signatures, index) at /metrics.
  const metrics = config.metricsEnabled ? createMetrics({ indexInfo: () => undefined, processMetrics: false }) : undefined;
  if (metrics) {
    // The process's RSS is one figure for all threads: each worker says what its own V8 heap holds.
    new Gauge({
      name: 'bot_worker_heap_bytes',
      help: "An answer worker's V8 heap (used and total) and the memory outside it (external: array buffers such as the dictionary).",
      labelNames: ['thread', 'kind'] as const,
      registers: [metrics.registry],
      collect() {
        const heap = v8.getHeapStatistics();
        const thread = String(threadId);
        this.set({ thread, kind: 'used' }, heap.used_heap_size);
        this.set({ thread, kind: 'total' }, heap.total_heap_size);
        this.set({ thread, kind: 'external' }, heap.external_memory);
      },
    });
  }
  // Curated answers are matched here, with this worker's analyzer: one dictionary per thread that answers.
  const curated = createLiveCuratedMatcher({ curated: store.curated, loadAnalyzer: async () => loaded.stack.analyzer, reloadMs: config.curatedReloadMs, logger });
  const conversation = createConversation({
    answers: loaded.answers,
    followUps: loaded.followUps,
    state,
    limits: { maxQuestionChars: config.maxQuestionChars, questionsPerMinute: config.userRateLimitPerMinute, historyTurns: config.historyTurns },
    // Every channel's questions are logged and counted under its name; the channels do not know.
    log: createQuestionRecorder({ store, metrics, logger, llmConfigured: Boolean(config.llm) }),
    logger,
    hashUser: store.hashUser,
    contact: await readSupportContact(config.corpusDir),
    curated,
    passage: createPassageLookup(config.indexDir),
  });

  // A job over the queue's bound is told "busy" by the conversation it asks, wherever in a
  // channel's handler that happens: the channels stay unaware of queues.
  const jobs = new AsyncLocalStorage<JobContext>();
  const channelConversation: Conversation = {
    ...conversation,
    ask: (request) => (jobs.getStore()?.busy ? Promise.resolve(BUSY) : conversation.ask(request)),
  };

  let line: LineChannel | undefined;
  if (config.line && lineModule) {
    const { createLineChannel } = await lineModule;
    line = createLineChannel({ conversation: channelConversation, config: config.line, state, logger, hashUser: store.hashUser });
  }
  let slack: SlackChannel | undefined;
  if (config.slack && slackModule) {
    const { createSlackChannel } = await slackModule;
    slack = await createSlackChannel({ conversation: channelConversation, config: config.slack, state, logger, feedback: store, hashUser: store.hashUser });
    // Socket Mode keeps retrying while Slack is unreachable: it must not hold up the rest.
    if (config.slack.appToken) slack.start().catch((error: unknown) => logger.error('slack did not start', { error }));
  }

  async function run(job: Job, context: JobContext): Promise<JobResult> {
    switch (job.kind) {
      case 'ask': {
        if (context.busy) return { kind: 'outcome', outcome: BUSY };
        const outcome = await conversation.ask({ ...job.request, signal: context.signal, onDelta: job.stream ? context.onDelta : undefined });
        return { kind: 'outcome', outcome };
      }
      case 'sources':
        return { kind: 'sources', sources: await conversation.sources(job.question) };
      case 'line':
        if (!line) throw new Error('LINE is not configured in this worker');
        await line.handleEvents(job.events, { waitedMs: context.waitedMs });
        return { kind: 'done' };
      case 'slack':
        if (!slack) throw new Error('Slack over HTTP is not configured in this worker');
        await slack.deliver(job.delivery);
        return { kind: 'done' };
    }
  }

  return {
    info: () => loaded.answers.info(),
    run: (job, context) => jobs.run(context, () => conversation.track(run(job, context))),
    checkIndex: () => void watcher.check({ retry: true }),
    metricsJson: async () => (metrics ? metrics.registry.getMetricsAsJSON() : []),
    async close() {
      await slack?.stop().catch((error: unknown) => logger.error('slack did not stop', { error }));
      await conversation.whenIdle(5_000);
      watcher.close();
      curated.close();
      await closeStores().catch((error: unknown) => logger.error('closing the store failed', { error }));
    },
  };
}
