/**
 * Webhooks under load: the load client (its own process) sends signed LINE webhooks and Slack
 * events at a fixed offered rate to a server (the bot, or the do-nothing floor), and the fakes
 * count what comes back. Per run: acknowledgement latency, answered events per second, and
 * events lost (no answer by the end of the drain) or answered more than once. One rate's
 * figures may pool several runs (`figuresOf`): a p99 of one 3-s run at 200/s is its 6th worst
 * acknowledgement, and on a shared 2-core machine that moves by half from run to run; the
 * bot's answered/s of one 3-s run at 800/s moved from 0.43× to 0.64× the floor's.
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
  /** Each pooled run's own ack p99, in the order run (one entry when the rate ran once). */
  ackP99ByRunMs: number[];
  /** Each pooled run's own answered/s, in the order run. */
  answeredPerSecByRun: number[];
}

/** What one run of the load client saw: every request it sent, and every answer the fakes counted. */
export interface LoadRun {
  server: 'bot' | 'floor';
  rate: number;
  startedAt: number;
  sent: Sent[];
  answers: Map<string, AnswerRecord>;
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

/**
 * The acknowledgement times to take percentiles of: every 2xx, and every request that got no
 * response at all with the time it waited (a lower bound), so that a server too slow to answer
 * within the client's timeout does not look fast.
 */
const waitedOf = (list: Sent[]) => list.filter((s) => s.status === 0 || (s.status >= 200 && s.status < 300)).map((s) => s.ackMs);

/** From a run's first due event to its last first answer, in seconds (0 when nothing was answered). */
function answeringSecondsOf(run: LoadRun): number {
  let last = -Infinity;
  for (const answer of run.answers.values()) last = Math.max(last, answer.firstAt);
  return Number.isFinite(last) ? (last - run.startedAt) / 1000 : 0;
}

const answeredPerSecOf = (answered: number, seconds: number) => (answered && seconds > 0 ? answered / seconds : 0);

function kindFigures(sent: Sent[], answers: Map<string, AnswerRecord>, kind: Sent['kind']) {
  const mine = sent.filter((s) => s.kind === kind);
  return {
    ackP99Ms: percentile(waitedOf(mine), 99),
    lost: mine.filter((s) => !answers.has(s.id)).length,
    doubled: mine.filter((s) => (answers.get(s.id)?.count ?? 0) > 1).length,
  };
}

export async function runLoad(o: LoadRunOptions): Promise<LoadRun> {
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
  return { server: o.server, rate: o.rate, startedAt: result.startedAt, sent: result.sent, answers: o.tracker.answersOf(prefix) };
}

/**
 * The figures of one server at one rate, over one run or several pooled: percentiles over all
 * their requests, counts summed, and answered/s as all answered events over the runs' summed
 * time from first due event to last first answer.
 */
export function figuresOf(runs: LoadRun[]): LoadRunFigures {
  if (!runs.length) throw new Error('figuresOf needs at least one run');
  const sent = runs.flatMap((r) => r.sent);
  const answers = new Map(runs.flatMap((r) => [...r.answers]));
  const ok = sent.filter((s) => s.status >= 200 && s.status < 300);
  const waited = waitedOf(sent);
  const secondsByRun = runs.map(answeringSecondsOf);
  const answeringSeconds = secondsByRun.reduce((sum, seconds) => sum + seconds, 0);
  const answered = answers.size;
  return {
    server: runs[0].server,
    rate: runs[0].rate,
    offered: sent.length,
    acked: ok.length,
    failed: sent.length - ok.length,
    ackP50Ms: percentile(waited, 50),
    ackP99Ms: percentile(waited, 99),
    answered,
    busy: [...answers.values()].filter((a) => a.busy).length,
    lost: sent.filter((s) => !answers.has(s.id)).length,
    lostAfterAck: ok.filter((s) => !answers.has(s.id)).length,
    doubled: [...answers.values()].filter((a) => a.count > 1).length,
    answeredPerSec: answeredPerSecOf(answered, answeringSeconds),
    clientLagP99Ms: percentile(sent.map((s) => s.lagMs), 99),
    byKind: {
      line: kindFigures(sent, answers, 'line'),
      slack: kindFigures(sent, answers, 'slack'),
    },
    ackP99ByRunMs: runs.map((r) => percentile(waitedOf(r.sent), 99)),
    answeredPerSecByRun: runs.map((r, i) => answeredPerSecOf(r.answers.size, secondsByRun[i])),
  };
}
