import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCuratorCheck } from '../../../src/channels/slack/curators.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/fake-slack-api.js';
import { recordingLogger } from './harness.js';

describe('SLACK_CURATORS', () => {
  let fake: FakeSlackApi;
  let client: webApi.WebClient;
  beforeEach(async () => {
    fake = await startFakeSlackApi();
    client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('lets everyone curate when unset, and asks Slack nothing', async () => {
    const isCurator = createCuratorCheck({ curators: [], logger: recordingLogger() });
    expect(await isCurator('U1', client)).toBe(true);
    expect(fake.calls).toHaveLength(0);
  });

  it('admits listed users at once and usergroup members as Slack lists them, asking again once the cache expires', async () => {
    const isCurator = createCuratorCheck({ curators: ['U9', 'S0STAFF'], logger: recordingLogger(), cacheMs: 50 });
    fake.setUsergroup('S0STAFF', ['U2']);
    expect(await isCurator('U9', client)).toBe(true);
    expect(fake.callsTo('usergroups.users.list')).toHaveLength(0);
    // Two clicks at once share one call.
    expect(await Promise.all([isCurator('U2', client), isCurator('U3', client)])).toEqual([true, false]);
    expect(fake.callsTo('usergroups.users.list')).toHaveLength(1);
    expect(fake.callsTo('usergroups.users.list')[0].args.usergroup).toBe('S0STAFF');

    fake.setUsergroup('S0STAFF', ['U3']);
    expect(await isCurator('U3', client)).toBe(false); // still the kept list
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await isCurator('U3', client)).toBe(true);
    expect(await isCurator('U2', client)).toBe(false);
  });

  it('admits no one through a group Slack will not list (missing usergroups:read), and logs why', async () => {
    const logger = recordingLogger();
    const isCurator = createCuratorCheck({ curators: ['S0STAFF'], logger });
    fake.failNext('usergroups.users.list', 'missing_scope');
    expect(await isCurator('U2', client)).toBe(false);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', fields: expect.objectContaining({ slackError: 'missing_scope' }) }));
  });
});
