/**
 * Every thread but the server's yields the CPU to it. On Linux each thread has a nice value of
 * its own, and setpriority(2) (os.setPriority) takes a thread's id where it takes a process id;
 * /proc/self/task lists them. On two cores the answer worker and V8's compiler and collector
 * threads otherwise take the CPU just when an acknowledgement is due: measured at 200 events/s,
 * ack p99 7–8 ms at equal priority, 5 ms with the others at nice 10; at 800/s 23–25 ms against
 * 8–9 ms, for the same throughput (README, Benchmark).
 * libuv's thread pool is the process's, so it is lowered too: the server thread acknowledges
 * without it (signatures are checked synchronously). Threads the answer workers start later
 * inherit their priority. Elsewhere (no /proc) nothing changes.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Logger } from '../logger.js';

/** The ids of this process's threads other than the main thread (whose id is the pid), or [] where /proc does not list them. */
export function otherThreadIds(): number[] {
  try {
    return fs
      .readdirSync('/proc/self/task')
      .map(Number)
      .filter((id) => Number.isInteger(id) && id !== process.pid);
  } catch {
    return [];
  }
}

/** Lowers every other thread to at least `nice` (0: leaves them); returns how many are there now. */
export function yieldToServerThread(nice: number, logger: Logger): number {
  if (nice === 0) return 0;
  let lowered = 0;
  for (const thread of otherThreadIds()) {
    try {
      if (os.getPriority(thread) < nice) os.setPriority(thread, nice);
      lowered++;
    } catch (error) {
      // A thread that ended meanwhile is gone (ESRCH); anything else is worth one line.
      if ((error as { info?: { code?: string } }).info?.code === 'ESRCH') continue;
      logger.warn('the answer workers keep the server thread’s CPU priority', { nice, error });
      return lowered;
    }
  }
  return lowered;
}
