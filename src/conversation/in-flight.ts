/**
 * The one count of work in flight, for a graceful shutdown and for tests: questions being
 * answered, and what channels do after acknowledging (a LINE reply sent after the webhook's 200,
 * a Slack post after the ack). Shutdown waits for it, bounded.
 */
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  count(): number;
  whenIdle(timeoutMs?: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  let count = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    count -= 1;
    if (count > 0) return;
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  return {
    track(work) {
      count += 1;
      work.then(settle, settle);
      return work;
    },
    count: () => count,
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
