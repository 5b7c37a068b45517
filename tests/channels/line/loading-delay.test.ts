/** The loading animation counts the time a question waited for a worker, and adds no call for one that already waited past it. */
import { describe, expect, it } from 'vitest';
import { loadingDelay } from '../../../src/channels/line/reply-to-question.js';

describe('loading animation delay', () => {
  it('counts the queue wait towards the delay', () => {
    expect(loadingDelay(1000, 0)).toBe(1000);
    expect(loadingDelay(1000, 400)).toBe(600);
  });

  it('waits the full delay again for a question that already waited past it: its answer comes now, the animation only for a slow answer', () => {
    expect(loadingDelay(1000, 1000)).toBe(1000);
    expect(loadingDelay(1000, 30_000)).toBe(1000);
  });
});
