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

describe('HTTP server settings', () => {
  it('default to no trusted proxy, 30 requests a client a minute, timeouts of seconds and 1000 connections', () => {
    expect(loadConfig({})).toMatchObject({
      trustProxy: undefined,
      apiRateLimitPerMinute: 30,
      http: { requestTimeoutMs: 15_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_000 },
    });
    expect(loadConfig({ API_RATE_LIMIT_PER_MINUTE: '0', HTTP_MAX_CONNECTIONS: '50', HTTP_REQUEST_TIMEOUT_MS: '30000' })).toMatchObject({
      apiRateLimitPerMinute: 0,
      http: { requestTimeoutMs: 30_000, maxConnections: 50 },
    });
  });

  it('reads TRUST_PROXY as off, a hop count, or addresses and CIDR ranges', () => {
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.1, 10.1.0.0/16 ,::1, fd00::/8' }).trustProxy).toEqual({ addresses: ['10.0.0.1', '10.1.0.0/16', '::1', 'fd00::/8'] });
  });

  it('refuses bad values, naming the variable', () => {
    for (const bad of ['true', 'proxy.example.org', '10.0.0.1/33', '10.0.0/8', '11', '10.0.0.1/8/2']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
    expect(() => loadConfig({ API_RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/API_RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '5000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS \(10000\) must not exceed HTTP_REQUEST_TIMEOUT_MS \(5000\)/);
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0' })).toThrow(/HTTP_MAX_CONNECTIONS/);
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
