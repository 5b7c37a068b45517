/**
 * The one count of work in flight, for a graceful shutdown and for tests: HTTP requests still
 * being read or answered, questions being answered, and what channels do after acknowledging
 * (a LINE batch answered after the webhook's 200, a Slack event after its ack). Each piece is
 * counted under its kind, so that the shutdown log says what it is waiting for; shutdown waits
 * for all of it, bounded.
 */
export interface InFlight {
  /** Counts `work` under `kind` until it settles (either way); returns it unchanged. @default kind 'work' */
  track<T>(work: Promise<T>, kind?: string): Promise<T>;
  /** Everything in flight now. */
  count(): number;
  /** The same, by kind (kinds with nothing in flight are left out). */
  pending(): Record<string, number>;
  /** Resolves true once nothing is in flight, or false after `timeoutMs` (no bound when left out). */
  whenIdle(timeoutMs?: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  const byKind = new Map<string, number>();
  let count = 0;
  let waiters: Array<() => void> = [];
  const settle = (kind: string) => () => {
    count -= 1;
    const left = (byKind.get(kind) ?? 1) - 1;
    if (left > 0) byKind.set(kind, left);
    else byKind.delete(kind);
    if (count > 0) return;
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  return {
    track(work, kind = 'work') {
      count += 1;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      const done = settle(kind);
      work.then(done, done);
      return work;
    },
    count: () => count,
    pending: () => Object.fromEntries(byKind),
    whenIdle(timeoutMs) {
      if (count === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = timeoutMs === undefined ? undefined : setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
