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

describe('staff settings', () => {
  const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'secret' };

  it('reads SLACK_CURATORS as user and usergroup ids, everyone when unset', () => {
    expect(loadConfig(slack).slack?.curators).toEqual([]);
    expect(loadConfig({ ...slack, SLACK_CURATORS: ' U012AB3CD, S0614TZR7 ,W0ABC ' }).slack?.curators).toEqual(['U012AB3CD', 'S0614TZR7', 'W0ABC']);
    expect(() => loadConfig({ ...slack, SLACK_CURATORS: 'U012AB3CD,@taro' })).toThrow(/SLACK_CURATORS must list Slack user ids.*"@taro"/);
  });

  it('switches the admin page on only with an ADMIN_TOKEN of 16 characters or more', () => {
    expect(loadConfig({}).adminToken).toBeUndefined();
    expect(loadConfig({ ADMIN_TOKEN: '0123456789abcdef' }).adminToken).toBe('0123456789abcdef');
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/ADMIN_TOKEN must be at least 16 characters/);
  });
});
