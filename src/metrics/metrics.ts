/**
 * Prometheus metrics on our own Registry (not prom-client's global one, so that two servers in
 * one test process do not share counters): questions by channel and outcome, answer latency,
 * LLM fallbacks, webhook signature failures and the live index version. Served at GET /metrics.
 */
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { AnswerOutcome, IndexInfo } from '../qa/types.js';
import type { HttpRoute } from '../server.js';

/** What the metrics hear about one question: how it ended and how long it took, by channel. */
export interface AnswerObserver {
  observeAnswer(channel: string, outcome: AnswerOutcome, seconds: number): void;
  /** A model is configured, yet the answer came from the extractive step: the model failed. */
  llmFallback(channel: string): void;
}

export interface BotMetrics extends AnswerObserver {
  registry: Registry;
  /** `GET /metrics` in the Prometheus text format. */
  route: HttpRoute;
  /** Wraps webhook routes so that their 401s (bad signatures) are counted per path. */
  countSignatureFailures(routes: HttpRoute[]): HttpRoute[];
}

export interface MetricsOptions {
  /** The live index, read at each scrape; undefined while it loads. */
  indexInfo: () => IndexInfo | undefined;
  /** Node's process metrics (memory, event-loop lag). @default true */
  processMetrics?: boolean;
  /**
   * The answer workers' registries (getMetricsAsJSON), summed with this one at each scrape: the
   * questions are counted where they are answered. @default none
   */
  workerMetrics?: () => Promise<unknown[][]>;
}

export function createMetrics(options: MetricsOptions): BotMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const questions = new Counter({
    name: 'bot_questions_total',
    help: 'Questions answered, by channel and outcome (answered, abstained, failed).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'bot_answer_duration_seconds',
    help: 'Time to make an answer, by channel.',
    labelNames: ['channel'] as const,
    // Extractive answers take milliseconds; LLM answers seconds, up to LLM_TIMEOUT_MS (15 s by default).
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30],
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'bot_llm_fallbacks_total',
    help: 'Answers made offline because the configured language model failed.',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const signatureFailures = new Counter({
    name: 'bot_webhook_signature_failures_total',
    help: 'Webhook requests refused with 401 (bad or missing signature), by path.',
    labelNames: ['path'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'bot_index_info',
    help: 'The live index: always 1, with its plan version and build as labels.',
    labelNames: ['plan_version', 'build'] as const,
    registers: [registry],
    collect() {
      // Reset first: after a swap the old build's series must disappear, not linger at 1.
      this.reset();
      const info = options.indexInfo();
      if (info) this.set({ plan_version: info.planVersion, build: info.build }, 1);
    },
  });

  return {
    registry,
    observeAnswer(channel: string, outcome: AnswerOutcome, seconds: number) {
      questions.inc({ channel, outcome });
      latency.observe({ channel }, seconds);
    },
    llmFallback: (channel) => fallbacks.inc({ channel }),
    route: {
      method: 'GET',
      path: '/metrics',
      async handle(_req, res) {
        const more = (await options.workerMetrics?.()) ?? [];
        const all = [await registry.getMetricsAsJSON(), ...more] as MetricObjectWithValues<MetricValue<string>>[][];
        const body = more.length ? await AggregatorRegistry.aggregate(all).metrics() : await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType });
        res.end(body);
      },
    },
    countSignatureFailures: (routes) =>
      routes.map((route) => ({
        method: route.method,
        path: route.path,
        handle(req, res) {
          res.once('finish', () => {
            if (res.statusCode === 401) signatureFailures.inc({ path: route.path });
          });
          return route.handle(req, res);
        },
      })),
  };
}
