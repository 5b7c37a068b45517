/** Small numeric helpers shared by the bench stages. */

/** Nearest-rank percentile (p in 0–100) of unsorted samples; NaN when there are none. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const mean = (samples: number[]) => (samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : NaN);

export interface Spread {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  n: number;
}

export const spread = (samples: number[]): Spread => ({
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  p99: percentile(samples, 99),
  mean: mean(samples),
  n: samples.length,
});

/** Rounds for the JSON file: three significant decimals are plenty for milliseconds. */
export const round = (x: number, digits = 3) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

/** Wall-clock milliseconds comparable across processes (performance.now() is per process). */
export const epochMs = () => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
