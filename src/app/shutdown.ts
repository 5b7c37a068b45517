/**
 * A graceful stop on SIGTERM or SIGINT (a container runtime's stop, Ctrl-C): stop accepting
 * connections, let every request already received finish and every acknowledged event be
 * answered (LINE replies and pushes, Slack posts: the one in-flight count covers them), then
 * close the stores and the answer worker and exit 0. A second signal, or the grace period
 * running out, exits at once with 1 and logs what was still in flight. The container runtime's
 * own grace period must be longer (Dockerfile, README "Shutdown").
 */
import type http from 'node:http';
import type { InFlight } from '../conversation/in-flight.js';
import type { Logger } from '../logger.js';

export interface GracefulShutdownOptions {
  server: http.Server;
  inFlight: InFlight;
  logger: Logger;
  /** How long the drain may take before exiting anyway. Config: SHUTDOWN_GRACE_MS. */
  graceMs: number;
  /** Stops what takes work besides the HTTP server (Slack's Socket Mode connection). */
  stopReceiving?: () => Promise<void>;
  /** Runs once the drain is over (closes the stores and the worker); bounded by `closeMs`. */
  close: () => Promise<void>;
  /** @default 5000 */
  closeMs?: number;
  /** @default process.exit */
  exit?: (code: number) => void;
}

export interface GracefulShutdown {
  /** What a signal does: the first drains, a second one exits at once. */
  onSignal(signal: string): void;
  /** Resolves when the drain has finished (whether it exited cleanly or not). */
  done: Promise<void>;
}

export function createGracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const { server, inFlight, logger, graceMs } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const closeMs = options.closeMs ?? 5000;
  let started = false;
  let exited = false;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const exitOnce = (code: number) => {
    if (exited) return;
    exited = true;
    finish();
    exit(code);
  };
  const counts = () => ({ inFlight: inFlight.count(), pending: inFlight.pending() });

  async function drain(signal: string) {
    logger.info('shutting down: no new connections, finishing what was received', { signal, graceMs, ...counts() });
    // Stop listening; connections with no request on them go now, the others after their response.
    server.close();
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<false>((resolve) => (timer = setTimeout(resolve, graceMs, false)));
    const drained = (async () => {
      await options.stopReceiving?.().catch((error: unknown) => logger.warn('stopping a receiver failed', { error }));
      return inFlight.whenIdle();
    })();
    const idle = await Promise.race([drained, graceOver]);
    clearTimeout(timer);
    if (!idle) logger.warn('shutdown: grace period over, exiting with work still in flight', { graceMs, ...counts() });
    // Every request has been answered: what is left open is idle keep-alive connections.
    server.closeAllConnections();
    // Exit even if a store will not close.
    const closing = setTimeout(() => {
      logger.warn('shutdown: closing the stores took too long, exiting');
      exitOnce(1);
    }, closeMs);
    closing.unref();
    await options.close().catch((error: unknown) => logger.error('closing the stores failed', { error }));
    clearTimeout(closing);
    logger.info('stopped', counts());
    exitOnce(idle ? 0 : 1);
  }

  return {
    done,
    onSignal(signal) {
      if (started) {
        logger.warn('shutdown: second signal, exiting now', { signal, ...counts() });
        exitOnce(1);
        return;
      }
      started = true;
      void drain(signal);
    },
  };
}
