/**
 * Rows written one by one, stored a batch at a time: the question log gets a row an answer,
 * and one INSERT of many rows costs little more than one of a single row (kysely builds and
 * compiles each query; SQLite commits each statement). Nothing waits for a batch to fill:
 * the rows of one turn of the event loop go together as soon as that turn ends, and the rows
 * that come while a batch is being written go in the next one. So an idle bot writes a row
 * at once, and a busy one writes fewer, larger batches. Each `write` resolves when its own
 * row is stored, and rejects with its batch's error.
 */

export interface CoalescedWrites<Row> {
  /** Queues one row; resolves once the batch holding it is stored. */
  write(row: Row): Promise<void>;
  /** Resolves once every row queued so far is stored (or failed). */
  flush(): Promise<void>;
}

interface Pending<Row> {
  row: Row;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** `store` writes one batch (a multi-row INSERT); `maxRows` bounds a batch (a statement's parameters are bounded). */
export function coalescedWrites<Row>(store: (rows: Row[]) => Promise<void>, { maxRows }: { maxRows: number }): CoalescedWrites<Row> {
  const queued: Array<Pending<Row>> = [];
  /** The batch being written and those queued behind it; settles when the queue is empty. */
  let draining: Promise<void> | undefined;

  async function drain(): Promise<void> {
    // The rows of this turn first: wait until it ends.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (queued.length) {
        const batch = queued.splice(0, maxRows);
        try {
          await store(batch.map((p) => p.row));
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      // In the same step as the last look at the queue: a row written after it starts a new drain.
      draining = undefined;
    }
  }

  return {
    write(row) {
      const written = new Promise<void>((resolve, reject) => queued.push({ row, resolve, reject }));
      draining ??= drain();
      return written;
    },
    flush: () => draining ?? Promise.resolve(),
  };
}
