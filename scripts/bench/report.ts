/**
 * The bench's results: one object that is both printed as a table and written as JSON, and
 * the goals of issues 8 and 15 checked against it (PASS / MISS, or n/a when a figure was not measured).
 */
import os from 'node:os';
import type { LatencyFigures } from './answer-latency.js';
import type { ApiLatencyFigures } from './api-latency.js';
import type { BuildFigures } from './build-stage.js';
import type { BaselineFigures } from './retrieval-baselines.js';
import { round } from './stats.js';
import type { LoadRunFigures } from './webhook-load.js';

export interface BenchResults {
  generatedAt: string;
  quick: boolean;
  machine: ReturnType<typeof machine> & { loadAvgAtStart: number; loadAvgAtEnd: number };
  builds: BuildFigures[];
  coldStart: { runsMs: number[]; medianMs: number; floorRunsMs: number[]; floorMedianMs: number };
  /** `POST /api/ask` over HTTP, after the webhook load. */
  api: ApiLatencyFigures;
  answerLatency: LatencyFigures;
  retrieval: BaselineFigures;
  webhooks: { durationMs: number; drainMs: number; runs: LoadRunFigures[] };
  memory: { botRssMb?: number; botPeakRssMb?: number; floorRssMb?: number };
  goals: Goal[];
}

export interface Goal {
  goal: string;
  value: string;
  status: 'PASS' | 'MISS' | 'n/a';
}

export const machine = () => ({
  cpus: os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
  node: process.versions.node,
  platform: `${os.platform()} ${os.release()}`,
});

const ms = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? `${Math.round(x)} ms` : `${x.toFixed(2)} ms`);
const times = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : '—');

export function run(results: Pick<BenchResults, 'webhooks'>, server: 'bot' | 'floor', rate: number) {
  return results.webhooks.runs.find((r) => r.server === server && r.rate === rate);
}

export function checkGoals(r: Omit<BenchResults, 'goals'>): Goal[] {
  const goal = (name: string, value: string, pass: boolean | undefined): Goal => ({ goal: name, value, status: pass === undefined ? 'n/a' : pass ? 'PASS' : 'MISS' });
  const build = (label: string) => r.builds.find((b) => b.label === label);
  const bot200 = run(r, 'bot', 200);
  const floor200 = run(r, 'floor', 200);
  const bot800 = run(r, 'bot', 800);
  const floor800 = run(r, 'floor', 800);
  const botRuns = r.webhooks.runs.filter((x) => x.server === 'bot');
  const ackRatio = bot200 && floor200 ? bot200.ackP99Ms / floor200.ackP99Ms : NaN;
  const answeredRatio = bot800 && floor800 ? bot800.answeredPerSec / floor800.answeredPerSec : NaN;
  const lostOrDoubled = botRuns.reduce((n, x) => n + x.lost + x.doubled, 0);
  const plan = build('plan');
  const hundred = build('100x');
  const apiFailures = Object.values(r.api.failures).reduce((n, x) => n + x, 0);
  return [
    goal('offline answer p95 ≤ 5 ms (in-process)', ms(r.answerLatency.service.p95), r.answerLatency.service.p95 <= 5),
    goal('/api/ask p95 ≤ 10 ms over HTTP, no non-200', `${ms(r.api.p95Ms)}, ${apiFailures} non-200`, Number.isFinite(r.api.p95Ms) ? r.api.p95Ms <= 10 && apiFailures === 0 : false),
    goal('ack p99 at 200/s ≤ 2× floor', times(ackRatio), Number.isFinite(ackRatio) ? ackRatio <= 2 : undefined),
    goal(
      'answered/s at 800/s ≥ 0.5× floor, none lost or doubled',
      `${times(answeredRatio)}, ${lostOrDoubled} lost or doubled`,
      Number.isFinite(answeredRatio) ? answeredRatio >= 0.5 && lostOrDoubled === 0 : undefined,
    ),
    goal('cold start ≤ 2.0 s', `${ms(r.coldStart.medianMs)} (floor ${ms(r.coldStart.floorMedianMs)})`, r.coldStart.medianMs <= 2000),
    goal('plan build ≤ 5 s', ms(plan?.wallMs), plan?.finished ? plan.wallMs! <= 5000 : false),
    goal('100× build ≤ 120 s', hundred ? (hundred.finished ? ms(hundred.wallMs) : hundred.error!) : 'skipped', hundred ? Boolean(hundred.finished && hundred.wallMs! <= 120_000) : undefined),
    goal('bot RSS after load ≤ 450 MB', r.memory.botRssMb === undefined ? '—' : `${Math.round(r.memory.botRssMb)} MB`, r.memory.botRssMb === undefined ? undefined : r.memory.botRssMb <= 450),
  ];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => [...(row[c] ?? '')].length)));
  return rows.map((row) => row.map((cell, c) => cell + ' '.repeat(widths[c] - [...cell].length)).join('  ').trimEnd()).join('\n');
}

export function formatReport(r: BenchResults): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`Benchmark ${r.generatedAt}${r.quick ? ' (--quick)' : ''}: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}`);
  // Other work on a shared machine moves every figure: the load average says how much there was.
  out.push(`load average (1 min) at start ${m.loadAvgAtStart.toFixed(2)}, at end ${m.loadAvgAtEnd.toFixed(2)}`);

  out.push('', 'Index build (each in its own process)');
  out.push(table([
    ['corpus', 'bytes', 'chunks', 'wall', 'buildIndex', 'peak RSS'],
    ...r.builds.map((b) => [b.label, String(b.sourceBytes), String(b.chunks ?? '—'), b.finished ? ms(b.wallMs) : b.error ?? '—', ms(b.buildMs), b.maxRssMb ? `${Math.round(b.maxRssMb)} MB` : '—']),
  ]));

  const c = r.coldStart;
  out.push('', `Cold start (node dist/main.js → /readyz 200): median ${ms(c.medianMs)} of ${c.runsMs.map((x) => ms(x)).join(', ')}; floor median ${ms(c.floorMedianMs)} of ${c.floorRunsMs.map((x) => ms(x)).join(', ')}`);

  const l = r.answerLatency;
  out.push('', `Offline answer latency, in-process (${l.questions} questions × ${l.rounds} rounds)`);
  out.push(table([
    ['step', 'p50', 'p95', 'p99', 'mean'],
    ...(['tokenize', 'retrieve', 'compose', 'steps', 'service'] as const).map((k) => [k === 'service' ? 'answer service' : k === 'steps' ? 'sum of steps' : k, ms(l[k].p50), ms(l[k].p95), ms(l[k].p99), ms(l[k].mean)]),
  ]));

  const b = r.retrieval;
  out.push('', `Retrieval vs baselines (${b.questions} in-scope questions with evidence, ${b.rounds} rounds)`);
  out.push(table([
    ['method', 'hit@3', 'mean latency', 'hit@3 ÷ ours', 'latency ÷ ours'],
    ['ours (hybrid)', b.ours.hit3.toFixed(2), ms(b.ours.meanMs), '1.00×', '1.00×'],
    ['bigram BM25', b.bigramBm25.hit3.toFixed(2), ms(b.bigramBm25.meanMs), times(b.bigramBm25.hit3Ratio), times(b.bigramBm25.latencyRatio)],
    ['brute cosine', b.bruteCosine.hit3.toFixed(2), ms(b.bruteCosine.meanMs), times(b.bruteCosine.hit3Ratio), times(b.bruteCosine.latencyRatio)],
  ]));

  out.push('', `Webhooks under load (LINE + Slack alternating, open loop, ${r.webhooks.durationMs / 1000} s a run; lost = no answer ${r.webhooks.drainMs / 1000} s after the last event was due; answered = any first message, busy notices included)`);
  const rates = [...new Set(r.webhooks.runs.map((x) => x.rate))];
  out.push(table([
    ['offered/s', 'server', 'events', 'acked', 'ack p50', 'ack p99', 'client lag p99', 'answered/s', 'busy notices', 'lost', 'of them acked', 'doubled', 'p99 ÷ floor', 'answered ÷ floor'],
    ...rates.flatMap((rate) =>
      (['floor', 'bot'] as const).map((server) => {
        const x = run(r, server, rate)!;
        const f = run(r, 'floor', rate);
        const ratio = (a: number, c: number | undefined) => (server === 'bot' && c ? times(a / c) : '');
        return [String(rate), server, String(x.offered), String(x.acked), ms(x.ackP50Ms), ms(x.ackP99Ms), ms(x.clientLagP99Ms), x.answeredPerSec.toFixed(1), String(x.busy), String(x.lost), String(x.lostAfterAck), String(x.doubled), ratio(x.ackP99Ms, f?.ackP99Ms), ratio(x.answeredPerSec, f?.answeredPerSec)];
      }),
    ),
  ]));
  // The ack is timed from when the event was due, so the client's own lateness is part of it:
  // on a machine the server shares with the load client, a busy server delays the sending too.
  out.push('client lag p99: how late the load client itself sent (p99), part of the ack times, which count from when each event was due');
  // A rate that ran several times shows each run's own figures too: the spread the pooled ones smooth.
  for (const x of r.webhooks.runs.filter((x) => x.ackP99ByRunMs.length > 1)) {
    const each = `ack p99 ${x.ackP99ByRunMs.map((v) => ms(v)).join(', ')}; answered/s ${x.answeredPerSecByRun.map((v) => v.toFixed(1)).join(', ')}`;
    out.push(`at ${x.rate}/s the ${x.server} ran ${x.ackP99ByRunMs.length} times (alternating with the ${x.server === 'bot' ? 'floor' : 'bot'}), figures over all of them; each run's: ${each}`);
  }
  for (const x of r.webhooks.runs.filter((x) => x.clientLagP99Ms > 50)) {
    out.push(`note: at ${x.rate}/s (${x.server}) the load client itself sent up to ${ms(x.clientLagP99Ms)} late (p99): the machine, not only the server, was saturated`);
  }
  const a = r.api;
  const failures = Object.entries(a.failures).map(([status, n]) => `${n} × ${status === '0' ? 'no answer' : status}`);
  out.push('', `POST /api/ask over HTTP (one keep-alive client, ${a.requests} distinct questions): p50 ${ms(a.p50Ms)}, p95 ${ms(a.p95Ms)}, p99 ${ms(a.p99Ms)} over ${a.ok} 200s; non-200: ${failures.length ? failures.join(', ') : 'none'}`);
  const mem = r.memory;
  out.push('', `Memory after the load: bot RSS ${Math.round(mem.botRssMb ?? NaN)} MB (peak ${Math.round(mem.botPeakRssMb ?? NaN)} MB), floor RSS ${Math.round(mem.floorRssMb ?? NaN)} MB`);

  out.push('', 'Goals');
  out.push(table([['goal', 'measured', ''], ...r.goals.map((g) => [g.goal, g.value, g.status])]));
  return out.join('\n');
}

/** Rounds every number for the JSON file. */
export function forJson(value: unknown): unknown {
  if (typeof value === 'number') return round(value);
  if (Array.isArray(value)) return value.map(forJson);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forJson(v)]));
  return value;
}
