import { describe, expect, it } from 'vitest';
import { createMemoryState } from '../../src/state/short-lived-state.js';
import type { Turn } from '../../src/qa/types.js';

/** A clock the test moves. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const turn = (question: string): Turn => ({ question, answer: `answer to ${question}` });

describe('memory state', () => {
  it('claims a key once while its time lasts, and again once it is past', async () => {
    const c = clock();
    const state = createMemoryState(c.now);
    expect(await state.claimOnce('line:event:1', 1000)).toBe(true);
    expect(await state.claimOnce('line:event:1', 1000)).toBe(false);
    c.advance(1000);
    expect(await state.claimOnce('line:event:1', 1000)).toBe(false);
    c.advance(1);
    expect(await state.claimOnce('line:event:1', 1000)).toBe(true);
  });

  it('counts hits in a window that starts at the first hit and is not stretched by later ones', async () => {
    const c = clock();
    const state = createMemoryState(c.now);
    expect(await state.hit('u', 60_000)).toBe(1);
    c.advance(30_000);
    expect(await state.hit('u', 60_000)).toBe(2);
    c.advance(30_000);
    expect(await state.hit('u', 60_000)).toBe(3);
    c.advance(1);
    expect(await state.hit('u', 60_000)).toBe(1);
  });

  it('keeps the last turns of a conversation, forgets them after a silence, and a new turn restarts the silence', async () => {
    const c = clock();
    const state = createMemoryState(c.now);
    for (const q of ['a', 'b', 'c']) await state.addTurn('chat', turn(q), 2, 10_000);
    expect((await state.getTurns('chat')).map((t) => t.question)).toEqual(['b', 'c']);
    c.advance(9_000);
    await state.addTurn('chat', turn('d'), 2, 10_000);
    c.advance(9_000);
    expect((await state.getTurns('chat')).map((t) => t.question)).toEqual(['c', 'd']);
    c.advance(1_001);
    expect(await state.getTurns('chat')).toEqual([]);
  });

  it('hands out copies: a caller that changes the turns it got changes nothing kept', async () => {
    const state = createMemoryState();
    await state.addTurn('chat', turn('a'), 3, 60_000);
    (await state.getTurns('chat')).push(turn('not kept'));
    expect((await state.getTurns('chat')).map((t) => t.question)).toEqual(['a']);
  });

  it('holds at most its caps, forgetting the least recently used first', async () => {
    const state = createMemoryState(Date.now, { claims: 2, counters: 2, conversations: 2 });
    for (const key of ['e1', 'e2', 'e3']) expect(await state.claimOnce(key, 86_400_000)).toBe(true);
    // e1 was pushed out by e3: its redelivery would be taken as new; e2 and e3 are still known.
    expect(await state.claimOnce('e3', 86_400_000)).toBe(false);
    expect(await state.claimOnce('e2', 86_400_000)).toBe(false);
    expect(await state.claimOnce('e1', 86_400_000)).toBe(true);

    await state.addTurn('old', turn('a'), 3, 60_000);
    await state.addTurn('recent', turn('b'), 3, 60_000);
    await state.getTurns('old'); // read: now the more recently used of the two
    await state.addTurn('new', turn('c'), 3, 60_000);
    expect(await state.getTurns('recent')).toEqual([]);
    expect((await state.getTurns('old')).map((t) => t.question)).toEqual(['a']);
    expect((await state.getTurns('new')).map((t) => t.question)).toEqual(['c']);

    for (const u of ['u1', 'u2', 'u3']) await state.hit(u, 60_000);
    expect(await state.hit('u1', 60_000)).toBe(1);
    expect(await state.hit('u3', 60_000)).toBe(2);
  });

  it('stays within its caps under a flood of distinct events and users', async () => {
    const state = createMemoryState(Date.now, { claims: 1000, counters: 1000, conversations: 100 });
    for (let i = 0; i < 20_000; i++) {
      await state.claimOnce(`line:event:${i}`, 86_400_000);
      await state.hit(`user:${i}`, 60_000);
      await state.addTurn(`chat:${i}`, turn(String(i)), 3, 30 * 60_000);
    }
    // The last ones are all still there; the first were let go.
    expect(await state.claimOnce('line:event:19999', 86_400_000)).toBe(false);
    expect(await state.claimOnce('line:event:0', 86_400_000)).toBe(true);
    expect((await state.getTurns('chat:19999')).length).toBe(1);
    expect(await state.getTurns('chat:0')).toEqual([]);
  });
});
