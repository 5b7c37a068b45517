/**
 * Webhooks under load: the load client (its own process) sends signed LINE webhooks and Slack
 * events at a fixed offered rate to a server (the bot, or the do-nothing floor), and the fakes
 * count what comes back. Per run: acknowledgement latency, answered events per second, and
 * events lost (no answer by the end of the drain) or answered more than once.
 */
import type { AnswerRecord, AnswerTracker } from './answer-tracker.js';
import { runPrefix } from './events.js';
import type { LoadResult, LoadSpec, Sent } from './load-client.js';
import { runToEnd, spawnTs } from './processes.js';
import { epochMs, percentile, sleep } from './stats.js';

export interface LoadRunFigures {
  server: 'bot' | 'floor';
  rate: number;
  offered: number;
  /** 2xx acknowledgements. */
  acked: number;
  /** Non-2xx answers, timeouts (no response within 10 s) and connection errors. */
  failed: number;
  /** Over 2xx responses and requests that got none (counted with the time they waited). */
  ackP50Ms: number;
  ackP99Ms: number;
  answered: number;
  /** Of the answered, events whose message was the busy notice instead of an answer. */
  busy: number;
  /** Events with no answer at the end of the drain (acknowledged or not). */
  lost: number;
  /**
   * Of those, events the server acknowledged with a 2xx and then never answered: the platform
   * thinks they were delivered and will not retry. The others (no ack) LINE and Slack would redeliver.
   */
  lostAfterAck: number;
  /** Events answered more than once. */
  doubled: number;
  /** Answered events ÷ time from the first due event to the last first answer. */
  answeredPerSec: number;
  /** How late the load client itself sent (p99): above a few ms, the client was the bottleneck. */
  clientLagP99Ms: number;
  byKind: Record<'line' | 'slack', { ackP99Ms: number; lost: number; doubled: number }>;
}

export interface LoadRunOptions {
  server: 'bot' | 'floor';
  base: string;
  run: number;
  rate: number;
  durationMs: number;
  questions: string[];
  tracker: AnswerTracker;
  /** Longest wait for answers after the last event was due. */
  drainMs: number;
  /** Stop waiting once no new answer came for this long. */
  quietMs: number;
}

function kindFigures(sent: Sent[], answers: Map<string, AnswerRecord>, kind: Sent['kind']) {
  const mine = sent.filter((s) => s.kind === kind);
  return {
    ackP99Ms: percentile(mine.filter((s) => s.status === 0 || (s.status >= 200 && s.status < 300)).map((s) => s.ackMs), 99),
    lost: mine.filter((s) => !answers.has(s.id)).length,
    doubled: mine.filter((s) => (answers.get(s.id)?.count ?? 0) > 1).length,
  };
}

export async function runLoad(o: LoadRunOptions): Promise<LoadRunFigures> {
  const spec: LoadSpec = { target: o.base, run: o.run, rate: o.rate, durationMs: o.durationMs, questions: o.questions };
  // The spec goes on stdin: thousands of distinct questions are more than one argument may hold (E2BIG).
  const client = spawnTs('scripts/bench/load-client.ts', [], process.env, ['pipe', 'pipe', 'pipe']);
  client.stdin!.end(JSON.stringify(spec));
  const out = await runToEnd(client, o.durationMs + 30_000);
  if (out.code !== 0) throw new Error(`load client failed (exit ${out.code}${out.timedOut ? ', timed out' : ''}): ${out.stderr.slice(-500)}`);
  const result = JSON.parse(out.stdout.trim().split('\n').pop()!) as LoadResult;
  const offered = result.sent.length;
  const prefix = runPrefix(o.run);

  // Drain: wait for every event to be answered, bounded by time and by silence.
  const deadline = result.scheduleEndAt + o.drainMs;
  let lastCount = -1;
  let lastChange = epochMs();
  while (epochMs() < deadline) {
    const count = o.tracker.answersOf(prefix).size;
    if (count >= offered) break;
    if (count !== lastCount) [lastCount, lastChange] = [count, epochMs()];
    else if (epochMs() - lastChange > o.quietMs) break;
    await sleep(50);
  }
  const answers = o.tracker.answersOf(prefix);
  const ok = result.sent.filter((s) => s.status >= 200 && s.status < 300);
  // A request that got no response at all counts with the time it waited (a lower bound),
  // so that a server too slow to answer within the client's timeout does not look fast.
  const waited = result.sent.filter((s) => s.status === 0 || (s.status >= 200 && s.status < 300));
  const lastAnswerAt = Math.max(...[...answers.values()].map((a) => a.firstAt));
  const answered = answers.size;
  return {
    server: o.server,
    rate: o.rate,
    offered,
    acked: ok.length,
    failed: offered - ok.length,
    ackP50Ms: percentile(waited.map((s) => s.ackMs), 50),
    ackP99Ms: percentile(waited.map((s) => s.ackMs), 99),
    answered,
    busy: [...answers.values()].filter((a) => a.busy).length,
    lost: result.sent.filter((s) => !answers.has(s.id)).length,
    lostAfterAck: ok.filter((s) => !answers.has(s.id)).length,
    doubled: [...answers.values()].filter((a) => a.count > 1).length,
    answeredPerSec: answered ? answered / ((lastAnswerAt - result.startedAt) / 1000) : 0,
    clientLagP99Ms: percentile(result.sent.map((s) => s.lagMs), 99),
    byKind: {
      line: kindFigures(result.sent, answers, 'line'),
      slack: kindFigures(result.sent, answers, 'slack'),
    },
  };
}
