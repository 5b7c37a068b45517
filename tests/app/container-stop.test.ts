/**
 * A container stop (issue 13, defect 2): the command the Dockerfile's CMD runs — and `npm start`,
 * which must behave the same — gets SIGTERM in the middle of a burst of signed LINE webhooks and
 * Slack events, with the fake LINE and Slack APIs slow enough that answers are still on their
 * way. Once the process has exited, whatever is left in its process group is killed, as a
 * container runtime does. Every event the bot acknowledged with a 200 must have got its answer
 * at the fake API, and nothing may still listen on the port.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeLineApi, type FakeLineApi } from '../../src/testing/fake-line-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../src/testing/fake-slack-api.js';
import { dockerfileCommand, ensureDist, listening, startBotProcess, until, type BotProcess } from '../helpers/bot-process.js';
import { offlineBotEnv, tempIndex, type TempIndex } from '../helpers/temp-index.js';

const SECRET = 'container-stop-secret';
const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('base64');
const SLACK_SECRET = 'container-stop-slack-secret';
/** Slack's v0 signature: https://docs.slack.dev/authentication/verifying-requests-from-slack */
const slackHeaders = (body: string) => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SLACK_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
};

let live: TempIndex;
const apis: Array<FakeLineApi | FakeSlackApi> = [];
const bots: BotProcess[] = [];

beforeAll(async () => {
  ensureDist();
  live = await tempIndex();
}, 120_000);

afterAll(async () => {
  for (const bot of bots) bot.killGroup();
  for (const api of apis) await api.close();
  await live?.cleanup();
});

let seq = 0;
function lineEvent(n: number) {
  seq += 1;
  return {
    type: 'message',
    mode: 'active',
    timestamp: Date.now(),
    webhookEventId: `01STOP${process.pid}${seq}`,
    deliveryContext: { isRedelivery: false },
    replyToken: `stop-token-${seq}`,
    // One user each: the per-user limit stays out of the way, and the chats run side by side.
    source: { type: 'user', userId: `U-stop-${seq}` },
    message: { type: 'text', id: `m${seq}`, text: n % 2 ? '休眠預金とは何ですか' : '協働とは何ですか', quoteToken: 'q' },
  };
}

/** A signed Slack Events API delivery of a mention in a channel; its answer goes to the thread `ts`. */
function slackEvent(n: number) {
  seq += 1;
  const ts = `1700000000.${String(seq).padStart(6, '0')}`;
  const text = n % 2 ? '<@UBOT> 休眠預金とは何ですか' : '<@UBOT> 協働とは何ですか';
  return {
    ts,
    body: JSON.stringify({
      token: 'x',
      team_id: 'T0001',
      api_app_id: 'A1',
      type: 'event_callback',
      event_id: `EvStop${process.pid}${seq}`,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_mention', user: `U-stop-${seq}`, text, ts, channel: 'C-stop', event_ts: ts },
      authorizations: [{ team_id: 'T0001', user_id: 'UBOT', is_bot: true }],
    }),
  };
}

async function stopDuringBurst(command: string[], extraEnv: Record<string, string> = {}) {
  // Each reply and post takes 1.5 s to land: when the signal comes, acknowledged answers are still unsent.
  const api = await startFakeLineApi({ messageDelayMs: 1500 });
  const slack = await startFakeSlackApi({ postDelayMs: 1500 });
  apis.push(api, slack);
  const bot = await startBotProcess(
    command,
    offlineBotEnv(live.dir, {
      LOG_LEVEL: 'info',
      LINE_CHANNEL_SECRET: SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: 'test-token',
      LINE_API_BASE_URL: api.baseURL,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slack.apiUrl,
      // Draining takes about as long as the default grace (10 s): some 25 acknowledged events,
      // 4 at a time, each reply held 1.5 s by the fake. Here the drain is under test, so the
      // grace is wider than it, and a loaded machine cannot turn a full drain into an exit at
      // the grace's end; that exit is the next test's, at SHUTDOWN_GRACE_MS.
      SHUTDOWN_GRACE_MS: '30000',
      ...extraEnv,
    }),
  );
  bots.push(bot);
  const acknowledged: string[] = [];
  const acknowledgedSlack: string[] = [];
  const refused: string[] = [];
  const sendLine = async (n: number) => {
    const event = lineEvent(n);
    const body = JSON.stringify({ destination: 'Ubot', events: [event] });
    try {
      const res = await fetch(`${bot.url}/line/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': sign(body) }, body });
      (res.status === 200 ? acknowledged : refused).push(event.replyToken);
    } catch {
      refused.push(event.replyToken); // connection refused or closed: LINE would redeliver it
    }
  };
  const sendSlack = async (n: number) => {
    const { ts, body } = slackEvent(n);
    try {
      const res = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers: slackHeaders(body), body });
      (res.status === 200 ? acknowledgedSlack : refused).push(ts);
    } catch {
      refused.push(ts); // Slack would retry it
    }
  };
  const send = (n: number) => (n % 3 === 2 ? sendSlack(n) : sendLine(n));

  const burst: Promise<void>[] = [];
  for (let n = 0; n < 20; n++) {
    burst.push(send(n));
    await new Promise((r) => setTimeout(r, 20));
  }
  await until(() => acknowledged.length + acknowledgedSlack.length >= 10, '10 acknowledged events', 30_000, bot.stderr);
  const answeredBeforeStop = api.ok('/v2/bot/message/reply').length + slack.callsTo('chat.postMessage').length;
  const acknowledgedBeforeStop = acknowledged.length + acknowledgedSlack.length;
  // To the process the command started: node itself, or npm for `npm start`.
  bot.child.kill('SIGTERM');
  // The burst goes on after the signal: these must be refused or answered, never dropped.
  for (let n = 20; n < 40; n++) {
    burst.push(send(n));
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all(burst);
  const exit = await bot.exited;
  // The runtime removes the rest of the container once its main process has gone.
  const leftOver = bot.killGroup();
  return { api, slack, bot, acknowledged, acknowledgedSlack, refused, answeredBeforeStop, acknowledgedBeforeStop, exit, leftOver };
}

function expectDrained(run: Awaited<ReturnType<typeof stopDuringBurst>>) {
  const { api, slack, bot, acknowledged, acknowledgedSlack, answeredBeforeStop, acknowledgedBeforeStop, exit, leftOver } = run;
  const answered = new Set(api.ok('/v2/bot/message/reply').map((c) => c.body.replyToken as string));
  const posted = new Set(slack.callsTo('chat.postMessage').map((c) => c.args.thread_ts as string));
  // The stop came while answers were still on their way (else this test would prove nothing).
  const log = bot.stderr().slice(-3000);
  expect(answeredBeforeStop, log).toBeLessThan(acknowledgedBeforeStop);
  expect(acknowledged.length).toBeGreaterThan(0);
  expect(acknowledgedSlack.length).toBeGreaterThan(0);
  expect(acknowledged.filter((token) => !answered.has(token)), log).toEqual([]);
  expect(acknowledgedSlack.filter((ts) => !posted.has(ts)), log).toEqual([]);
  expect(exit, log).toEqual({ code: 0, signal: null });
  expect(leftOver).toBe(0);
  const logs = bot.logs();
  const stopping = logs.find((l) => l.msg.startsWith('shutting down'));
  expect(stopping).toMatchObject({ signal: 'SIGTERM' });
  // The count at the signal is the truth: answers were pending, so it is not 0.
  expect(stopping?.inFlight).toBeGreaterThan(0);
  expect(logs.at(-1)).toMatchObject({ msg: 'stopped', inFlight: 0 });
}

describe('a container stop during a burst of LINE and Slack events', () => {
  it("the Dockerfile's CMD drains: every acknowledged event is answered, then it exits and frees the port", async () => {
    const command = dockerfileCommand();
    expect(command).toEqual(['node', 'dist/main.js']);
    const run = await stopDuringBurst(command);
    expectDrained(run);
    expect(await listening(run.bot.port)).toBe(false);
  }, 120_000);

  it('`npm start` passes SIGTERM to node (exec) and drains the same way', async () => {
    const run = await stopDuringBurst(['npm', 'start', '--silent']);
    expectDrained(run);
    expect(await listening(run.bot.port)).toBe(false);
  }, 120_000);

  it('exits with 1 at SHUTDOWN_GRACE_MS, logging what was still in flight', async () => {
    const api = await startFakeLineApi({ messageDelayMs: 20_000 });
    apis.push(api);
    const bot = await startBotProcess(
      dockerfileCommand(),
      offlineBotEnv(live.dir, { LOG_LEVEL: 'info', LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 'test-token', LINE_API_BASE_URL: api.baseURL, SHUTDOWN_GRACE_MS: '1000' }),
    );
    bots.push(bot);
    for (let n = 0; n < 3; n++) {
      const body = JSON.stringify({ destination: 'Ubot', events: [lineEvent(n)] });
      const res = await fetch(`${bot.url}/line/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': sign(body) }, body });
      expect(res.status).toBe(200);
    }
    const started = Date.now();
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toEqual({ code: 1, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    const over = bot.logs().find((l) => l.msg.startsWith('shutdown: grace period over'));
    // The three acknowledged webhooks wait on their replies; questions may still be in flight too
    // (a chat's turns are answered in order). The count is the sum of what it names.
    expect(over).toMatchObject({ pending: { 'line webhook': 3 } });
    expect(over!.inFlight).toBe(Object.values(over!.pending as Record<string, number>).reduce((a, b) => a + b, 0));
  }, 60_000);

  it('a second signal exits at once', async () => {
    const api = await startFakeLineApi({ messageDelayMs: 20_000 });
    apis.push(api);
    const bot = await startBotProcess(
      dockerfileCommand(),
      offlineBotEnv(live.dir, { LOG_LEVEL: 'info', LINE_CHANNEL_SECRET: SECRET, LINE_CHANNEL_ACCESS_TOKEN: 'test-token', LINE_API_BASE_URL: api.baseURL }),
    );
    bots.push(bot);
    const body = JSON.stringify({ destination: 'Ubot', events: [lineEvent(0)] });
    await fetch(`${bot.url}/line/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': sign(body) }, body });
    bot.child.kill('SIGTERM');
    await until(() => bot.logs().some((l) => l.msg.startsWith('shutting down')), 'the shutdown line', 5000);
    bot.child.kill('SIGINT');
    expect(await bot.exited).toEqual({ code: 1, signal: null });
    expect(bot.logs().find((l) => l.msg.startsWith('shutdown: second signal'))).toMatchObject({ signal: 'SIGINT', pending: { 'line webhook': 1 } });
  }, 60_000);
});
