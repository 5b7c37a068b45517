/**
 * `POST /api/ask` over HTTP, one request after another on a keep-alive connection: what a
 * client waits for an answer, server and network included. Each request asks a distinct
 * question; any status but 200 is counted as a failure, never as a latency.
 */
import http from 'node:http';
import { percentile } from './stats.js';

export interface ApiLatencyFigures {
  requests: number;
  ok: number;
  /** Non-200 answers by status (0: no answer at all). */
  failures: Record<string, number>;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

function ask(agent: http.Agent, base: string, question: string): Promise<{ status: number; ms: number }> {
  const payload = JSON.stringify({ question });
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(`${base}/api/ask`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }, timeout: 10_000 });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, ms: performance.now() - started }));
    req.end(payload);
  });
}

export async function measureApiLatency(base: string, questions: string[], options: { warmup: number; requests: number }): Promise<ApiLatencyFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < options.warmup; i++) await ask(agent, base, questions[i % questions.length]);
    const times: number[] = [];
    const failures: Record<string, number> = {};
    for (let i = 0; i < options.requests; i++) {
      const { status, ms } = await ask(agent, base, questions[(options.warmup + i) % questions.length]);
      if (status === 200) times.push(ms);
      else failures[String(status)] = (failures[String(status)] ?? 0) + 1;
    }
    return { requests: options.requests, ok: times.length, failures, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95), p99Ms: percentile(times, 99) };
  } finally {
    agent.destroy();
  }
}
