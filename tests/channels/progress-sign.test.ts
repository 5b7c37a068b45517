import { describe, expect, it } from 'vitest';
import { showProgressAfter } from '../../src/channels/progress-sign.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('showProgressAfter', () => {
  it('shows nothing when the work ends before the delay', async () => {
    let shown = 0;
    const sign = showProgressAfter(200, async () => ++shown);
    await sleep(10);
    expect(await sign.stop()).toBeUndefined();
    await sleep(250);
    expect(shown).toBe(0);
  });

  it('shows the sign when the work is slow, and waits for it to land', async () => {
    let landed = false;
    const sign = showProgressAfter(20, async () => {
      await sleep(30);
      landed = true;
      return 'ok';
    });
    await sleep(40);
    expect(await sign.stop()).toBe('ok');
    expect(landed).toBe(true);
  });

  it('shows at once with no delay', async () => {
    let shown = 0;
    const sign = showProgressAfter(0, async () => ++shown);
    expect(shown).toBe(1);
    expect(await sign.stop()).toBe(1);
  });
});
