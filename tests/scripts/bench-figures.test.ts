/**
 * The bench's load figures over pooled runs (scripts/bench/webhook-load.ts): answered/s is all
 * answered events over the runs' summed answering time, not the mean of the runs' rates, and
 * each run's own figures are kept beside the pooled ones.
 */
import { describe, expect, it } from 'vitest';
import type { AnswerRecord } from '../../scripts/bench/answer-tracker.js';
import type { Sent } from '../../scripts/bench/load-client.js';
import { figuresOf, type LoadRun } from '../../scripts/bench/webhook-load.js';

/** A run of `events` events started at `startedAt`, the i-th answered at `answeredAt(i)` (undefined: never). */
function loadRun(run: number, startedAt: number, events: number, answeredAt: (i: number) => number | undefined, ackMs = 2): LoadRun {
  const sent: Sent[] = [];
  const answers = new Map<string, AnswerRecord>();
  for (let i = 0; i < events; i++) {
    const id = `r${run}-${i}`;
    sent.push({ id, kind: i % 2 ? 'slack' : 'line', status: 200, ackMs, lagMs: 0 });
    const at = answeredAt(i);
    if (at !== undefined) answers.set(id, { count: 1, firstAt: at, busy: false });
  }
  return { server: 'bot', rate: 800, startedAt, sent, answers };
}

describe('figuresOf', () => {
  it('gives one run its answered events over the time from its start to its last first answer', () => {
    // 100 events, the last answered 0.5 s after the start: 200/s.
    const figures = figuresOf([loadRun(1, 10_000, 100, (i) => 10_000 + 5 * (i + 1))]);
    expect(figures.answeredPerSec).toBeCloseTo(200);
    expect(figures.answeredPerSecByRun).toHaveLength(1);
    expect(figures.answeredPerSecByRun[0]).toBeCloseTo(200);
  });

  it('pools runs as all answered over their summed times, and keeps each run’s own rate', () => {
    // 100 events in 1 s (100/s), then 300 in 0.5 s (600/s): 400 in 1.5 s, 267/s (the mean of the two rates would be 350).
    const slow = loadRun(1, 0, 100, (i) => 10 * (i + 1));
    const fast = loadRun(2, 50_000, 300, (i) => 50_000 + (500 * (i + 1)) / 300);
    const figures = figuresOf([slow, fast]);
    expect(figures.offered).toBe(400);
    expect(figures.answered).toBe(400);
    expect(figures.answeredPerSec).toBeCloseTo(400 / 1.5);
    expect(figures.answeredPerSecByRun.map((x) => Math.round(x))).toEqual([100, 600]);
    expect(figures.ackP99ByRunMs).toEqual([2, 2]);
  });

  it('counts unanswered events as lost, and a run with no answer at all as 0/s', () => {
    const half = loadRun(1, 0, 10, (i) => (i < 5 ? 100 * (i + 1) : undefined));
    const none = loadRun(2, 10_000, 10, () => undefined);
    const figures = figuresOf([half, none]);
    expect(figures.lost).toBe(15);
    expect(figures.lostAfterAck).toBe(15);
    expect(figures.answeredPerSecByRun).toEqual([10, 0]);
    // 5 answered over 0.5 s; the run with none adds no time.
    expect(figures.answeredPerSec).toBeCloseTo(10);
  });
});
