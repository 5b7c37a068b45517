/** The conversation settings enter through src/config.ts like the rest: defaults, and a clear refusal of bad values. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

describe('conversation settings', () => {
  it('default to 10 questions a user a minute and 4 turns of history', () => {
    expect(loadConfig({})).toMatchObject({ userRateLimitPerMinute: 10, historyTurns: 4, maxQuestionChars: 500 });
    expect(loadConfig({ USER_RATE_LIMIT_PER_MINUTE: '30', HISTORY_TURNS: '0' })).toMatchObject({ userRateLimitPerMinute: 30, historyTurns: 0 });
  });

  it('refuse bad values, naming the variable', () => {
    expect(() => loadConfig({ USER_RATE_LIMIT_PER_MINUTE: '0' })).toThrow(/USER_RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ HISTORY_TURNS: 'many' })).toThrow(/HISTORY_TURNS/);
  });
});
