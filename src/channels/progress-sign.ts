/**
 * A "working on it" sign (LINE's loading animation, Slack's 👀 reaction) shown only when an
 * answer is slow. Offline answers take milliseconds and need none, and each sign is one more
 * Web API call on the thread that must acknowledge webhooks quickly.
 */

/** Default wait before a sign is shown. */
export const PROGRESS_SIGN_DELAY_MS = 1000;

export interface ProgressSign<T> {
  /** Cancels the sign if not shown yet; if it was, waits for it to land and gives its result. */
  stop(): Promise<T | undefined>;
}

/** Calls `show` after `delayMs` (at once when `delayMs` ≤ 0), unless stopped first. */
export function showProgressAfter<T>(delayMs: number, show: () => Promise<T>): ProgressSign<T> {
  let shown: Promise<T> | undefined;
  const timer = delayMs > 0 ? setTimeout(() => (shown = show()), delayMs) : undefined;
  if (!timer) shown = show();
  return {
    async stop() {
      clearTimeout(timer);
      return shown;
    },
  };
}
