import { expect, it } from 'vitest';
import { createSlackChannel } from '../../../src/channels/slack/index.js';
import { createFixedAnswerService } from '../../../src/qa/fixed-answer-service.js';
import { createMemoryState } from '../../../src/state/short-lived-state.js';
import { startFakeSlackApi } from '../../fakes/fake-slack-api.js';
import { testConversation, testHasher } from '../../helpers/conversation.js';
import { recordingLogger, sampleAnswer } from './harness.js';

it('uses Socket Mode when an app token is set: no HTTP route, connection opened at the configured API URL', async () => {
  const fake = await startFakeSlackApi();
  try {
    const channel = await createSlackChannel({
      conversation: testConversation(createFixedAnswerService((q) => sampleAnswer(q))).conversation,
      config: { botToken: 'xoxb-test', signingSecret: 's', appToken: 'xapp-test', apiURL: fake.apiUrl, slashCommand: '/kenmin' },
      state: createMemoryState(),
      logger: recordingLogger(),
      hashUser: testHasher,
    });
    expect(channel.routes).toEqual([]);
    // The fake speaks no WebSocket, so bolt keeps retrying; seeing the request is enough here.
    void channel.start().catch(() => {});
    const [open] = await fake.waitForCalls('apps.connections.open', 1);
    expect(open.token).toBe('xapp-test');
    await channel.stop();
  } finally {
    await fake.close();
  }
});

it('fails at start-up, naming the variables, when auth.test rejects the bot token', async () => {
  const fake = await startFakeSlackApi();
  fake.failNext('auth.test', 'invalid_auth');
  try {
    await expect(
      createSlackChannel({
        conversation: testConversation(createFixedAnswerService((q) => sampleAnswer(q))).conversation,
        config: { botToken: 'xoxb-bad', signingSecret: 's', apiURL: fake.apiUrl, slashCommand: '/kenmin' },
        state: createMemoryState(),
        logger: recordingLogger(),
        hashUser: testHasher,
      }),
    ).rejects.toMatchObject({ code: 'channel_api_failed', status: 'invalid_auth', message: expect.stringContaining('SLACK_BOT_TOKEN') });
  } finally {
    await fake.close();
  }
});
