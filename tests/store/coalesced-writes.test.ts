/** The question log's batching (src/store/coalesced-writes.ts): rows of a turn together, none lost, errors to their own writers. */
import { describe, expect, it } from 'vitest';
import { coalescedWrites } from '../../src/store/coalesced-writes.js';

function recorder(options: { failBatch?: number; slowMs?: number } = {}) {
  const batches: number[][] = [];
  const store = async (rows: number[]) => {
    if (options.slowMs) await new Promise((resolve) => setTimeout(resolve, options.slowMs));
    batches.push(rows);
    if (batches.length === options.failBatch) throw new Error('disk full');
  };
  return { batches, store };
}

describe('coalescedWrites', () => {
  it('stores a lone row at once, and the rows of one turn in one batch', async () => {
    const { batches, store } = recorder();
    const writes = coalescedWrites(store, { maxRows: 100 });
    await writes.write(1);
    expect(batches).toEqual([[1]]);
    await Promise.all([writes.write(2), writes.write(3), writes.write(4)]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('queues the rows that come while a batch is written for the next one, and bounds a batch', async () => {
    const { batches, store } = recorder({ slowMs: 20 });
    const writes = coalescedWrites(store, { maxRows: 2 });
    const first = [writes.write(1), writes.write(2), writes.write(3)];
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = [writes.write(4), writes.write(5)];
    await Promise.all([...first, ...later]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('rejects only the writes of a failed batch; the next batch is stored', async () => {
    const { batches, store } = recorder({ failBatch: 1, slowMs: 5 });
    const writes = coalescedWrites(store, { maxRows: 10 });
    const failed = [writes.write(1), writes.write(2)];
    await new Promise((resolve) => setTimeout(resolve, 1));
    const next = writes.write(3);
    await expect(failed[0]).rejects.toThrow('disk full');
    await expect(failed[1]).rejects.toThrow('disk full');
    await expect(next).resolves.toBeUndefined();
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('stores a row written the moment the previous one is stored (nothing is left in the queue)', async () => {
    const { batches, store } = recorder();
    const writes = coalescedWrites(store, { maxRows: 10 });
    await writes.write(1).then(() => writes.write(2));
    await writes.write(3);
    expect(batches.flat()).toEqual([1, 2, 3]);
  });

  it('flush waits for every row queued so far', async () => {
    const { batches, store } = recorder({ slowMs: 10 });
    const writes = coalescedWrites(store, { maxRows: 10 });
    await writes.flush();
    void writes.write(1);
    void writes.write(2);
    await writes.flush();
    expect(batches).toEqual([[1, 2]]);
  });
});
