/**
 * The load generator, in its own process so that it does not share an event loop with the
 * server or the fakes. Open loop: event i is due at start + i/rate whatever happened to the
 * earlier ones, and its acknowledgement latency counts from when it was due, so a server that
 * falls behind is not hidden by a client that waits for it (coordinated omission).
 * Usage: node --import tsx scripts/bench/load-client.ts < spec.json; prints one JSON line.
 */
import http from 'node:http';
import { kindOf, lineRequest, slackRequest, type SignedRequest } from './events.js';
import { epochMs } from './stats.js';

export interface LoadSpec {
  target: string;
  run: number;
  rate: number;
  durationMs: number;
  questions: string[];
  /** Per request. @default 10000 */
  timeoutMs?: number;
}

export interface Sent {
  id: string;
  kind: 'line' | 'slack';
  /** HTTP status, or 0 when no response came (timeout, connection error). */
  status: number;
  /** From the time the event was due to the response headers. */
  ackMs: number;
  /** How late the client itself was in sending. */
  lagMs: number;
}

export interface LoadResult {
  startedAt: number;
  scheduleEndAt: number;
  sent: Sent[];
}

// Read from stdin rather than argv: the spec carries thousands of questions.
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const spec = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as LoadSpec;
const count = Math.max(1, Math.round((spec.rate * spec.durationMs) / 1000));
const interval = 1000 / spec.rate;
const timeoutMs = spec.timeoutMs ?? 10_000;

// node:http with a keep-alive pool rather than fetch: on this machine fetch costs the client
// about a millisecond of CPU a request, which would make the client the bottleneck at 800/s.
const target = new URL(spec.target);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

// Signed in advance, so that signing costs no time on the schedule.
const now = Date.now();
const requests: SignedRequest[] = Array.from({ length: count }, (_, i) => {
  const question = spec.questions[i % spec.questions.length];
  return kindOf(i) === 'line' ? lineRequest(spec.run, i, question, now) : slackRequest(spec.run, i, question, now);
});

// Open some connections and warm the client before the clock starts: not part of any event's latency.
await Promise.all(
  Array.from({ length: 16 }, () =>
    new Promise<void>((resolve) => {
      http.get({ host: target.hostname, port: target.port, path: '/readyz', agent }, (res) => res.resume().on('end', resolve)).on('error', () => resolve());
    }),
  ),
);

const sent: Sent[] = [];
const inflight: Promise<void>[] = [];
const startedAt = epochMs() + 20;

/** Resolves with the status and the time the response headers came; rejects on error or after `timeoutMs` in all. */
function post(req: SignedRequest): Promise<{ status: number; at: number }> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      { host: target.hostname, port: target.port, path: req.path, method: 'POST', agent, headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) } },
      (res) => {
        const answered = { status: res.statusCode ?? 0, at: epochMs() };
        res.resume();
        res.on('end', () => resolve(answered));
        res.on('error', reject);
      },
    );
    // A total bound (waiting for a pooled socket included), not the socket's idle timeout.
    const timer = setTimeout(() => r.destroy(new Error('timeout')), timeoutMs);
    r.on('close', () => clearTimeout(timer));
    r.on('error', reject);
    r.end(req.body);
  });
}

function fire(i: number) {
  const req = requests[i];
  const due = startedAt + i * interval;
  const lagMs = epochMs() - due;
  inflight.push(
    post(req)
      .then(({ status, at }) => void sent.push({ id: req.id, kind: req.kind, status, ackMs: at - due, lagMs }))
      .catch(() => void sent.push({ id: req.id, kind: req.kind, status: 0, ackMs: epochMs() - due, lagMs })),
  );
}

await new Promise<void>((resolve) => {
  let next = 0;
  const tick = () => {
    const t = epochMs();
    while (next < count && startedAt + next * interval <= t) fire(next++);
    if (next >= count) return resolve();
    setTimeout(tick, Math.max(0, Math.min(startedAt + next * interval - t, 5)));
  };
  setTimeout(tick, Math.max(0, startedAt - epochMs()));
});
await Promise.all(inflight);
agent.destroy();
const result: LoadResult = { startedAt, scheduleEndAt: startedAt + count * interval, sent };
process.stdout.write(JSON.stringify(result) + '\n');
