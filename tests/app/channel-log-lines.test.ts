/**
 * The log lines that docs/line.md and docs/slack.md tell an operator to look for, from the real
 * server (`src/main.ts` as a child process) with LINE and Slack switched on against the fake
 * platform APIs: what LINE's Verify, a bad channel secret and an answer log; what Slack's URL
 * check, a bad signing secret, a channel the bot is not in and a bad bot token log. Each line
 * asserted here is also checked to be the one the guide quotes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { startFakeLineApi, type FakeLineApi } from '../fakes/fake-line-api.js';
import { startFakeSlackApi, type FakeSlackApi } from '../fakes/fake-slack-api.js';
import { offlineBotEnv, tempIndex, type TempIndex } from '../helpers/temp-index.js';
import { NODE_TSX } from '../index/run-cli.js';

const LINE_SECRET = 'line-channel-secret';
const SLACK_SECRET = 'slack-signing-secret';

interface Server {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<number | null>;
}

function startBot(env: NodeJS.ProcessEnv): Server {
  const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), 'src/main.ts'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const server: Server = { child, stdout: '', stderr: '', exit: new Promise((resolve) => child.on('close', resolve)) };
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (server.stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (server.stderr += d));
  return server;
}

async function until<T>(find: () => T | undefined, what: string, server: Server, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stderr:\n${server.stderr.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One JSON log line, with its text as written. */
type LogLine = Record<string, unknown> & { raw: string; msg?: string };

/** The server's log lines as objects. */
const logLines = (server: Server): LogLine[] =>
  server.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => ({ ...(JSON.parse(l) as Record<string, unknown>), raw: l }));

let live: TempIndex;
let lineApi: FakeLineApi;
let slackApi: FakeSlackApi;
let bot: Server;
let baseUrl: string;
let lineGuide: string;
let slackGuide: string;

const botEnv = (extra: Record<string, string>) =>
  offlineBotEnv(live.dir, {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    LINE_CHANNEL_SECRET: LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: 'test-token',
    LINE_API_BASE_URL: lineApi.baseURL,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_API_URL: slackApi.apiUrl,
    ...extra,
  });

beforeAll(async () => {
  [live, lineApi, slackApi, lineGuide, slackGuide] = await Promise.all([
    tempIndex(),
    startFakeLineApi(),
    startFakeSlackApi(),
    fs.readFile(path.join(PROJECT_ROOT, 'docs/line.md'), 'utf8'),
    fs.readFile(path.join(PROJECT_ROOT, 'docs/slack.md'), 'utf8'),
  ]);
  bot = startBot(botEnv({}));
  baseUrl = await until(() => /http:\/\/127\.0\.0\.1:\d+/.exec(bot.stdout)?.[0], 'the address on stdout', bot, 90_000);
  await until(() => logLines(bot).find((l) => l.msg === 'ready'), 'the ready line', bot, 90_000);
}, 120_000);

afterAll(async () => {
  bot?.child.kill('SIGTERM');
  await bot?.exit;
  await Promise.all([lineApi?.close(), slackApi?.close()]);
});

const postLine = (body: string, secret = LINE_SECRET) =>
  fetch(`${baseUrl}/line/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-line-signature': createHmac('sha256', secret).update(body).digest('base64') },
    body,
  });

function postSlack(body: string, secret = SLACK_SECRET) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = 'v0=' + createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return fetch(`${baseUrl}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
    body,
  });
}

/** The `request` line of the request whose response carried this id. */
const requestLine = (res: Response) => until(() => logLines(bot).find((l) => l.msg === 'request' && l.reqId === res.headers.get('x-request-id')), 'its request line', bot);

/** The fields the guides quote, in the order the log writes them: `"a":1,"b":2`. */
const quoted = (fields: Record<string, unknown>) => Object.entries(fields).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',');

describe('docs/line.md, as the server logs it', () => {
  it('at start: listening, with line among the channels', () => {
    const listening = logLines(bot).find((l) => l.msg === 'listening')!;
    expect(listening.channels).toEqual(expect.arrayContaining(['api', 'web', 'line']));
    expect(lineGuide).toContain('"channels":["api","web","line"]');
    expect(lineGuide).toContain('"msg":"listening"');
  });

  it("Verify (a signed request with no events): 200, and a request line for POST /line/webhook", async () => {
    const res = await postLine(JSON.stringify({ destination: 'Ubot', events: [] }));
    expect(res.status).toBe(200);
    const line = await requestLine(res);
    expect(line.raw).toContain(quoted({ method: 'POST', path: '/line/webhook', status: 200 }));
    expect(lineGuide).toContain(quoted({ method: 'POST', path: '/line/webhook', status: 200 }));
  });

  it('a wrong channel secret: 401, logged as the guide says', async () => {
    const res = await postLine(JSON.stringify({ destination: 'Ubot', events: [] }), 'another-channels-secret');
    expect(res.status).toBe(401);
    const line = await requestLine(res);
    expect(line.status).toBe(401);
    expect(logLines(bot).some((l) => l.reqId === line.reqId && l.msg === 'LINE webhook signature invalid')).toBe(true);
    expect(lineGuide).toContain('`LINE webhook signature invalid`, then `request` with `"status":401`');
  });

  it('a question: LINE answer sent, by reply', async () => {
    const event = {
      type: 'message',
      mode: 'active',
      timestamp: Date.now(),
      webhookEventId: '01HLOGLINES0000000000000001',
      deliveryContext: { isRedelivery: false },
      source: { type: 'user', userId: 'Ulogline' },
      replyToken: 'reply-token-1',
      message: { id: '1', type: 'text', quoteToken: 'q', text: '休眠預金とは何ですか' },
    };
    const res = await postLine(JSON.stringify({ destination: 'Ubot', events: [event] }));
    expect(res.status).toBe(200);
    const sent = await until(() => logLines(bot).find((l) => l.msg === 'LINE answer sent'), 'LINE answer sent', bot);
    expect(sent).toMatchObject({ via: 'reply', kind: 'answered' });
    expect(sent.raw).toContain(quoted({ via: 'reply', kind: 'answered' }));
    expect(lineGuide).toContain(`${quoted({ via: 'reply', kind: 'answered' })},…,"msg":"LINE answer sent"`);
    expect(lineApi.ok('/v2/bot/message/reply').length).toBe(1);
  });
});

describe('docs/slack.md, as the server logs it', () => {
  it('at start: listening, with slack among the channels (auth.test passed)', () => {
    expect(logLines(bot).find((l) => l.msg === 'listening')!.channels).toEqual(expect.arrayContaining(['slack']));
    expect(slackApi.callsTo('auth.test').length).toBeGreaterThan(0);
    expect(slackGuide).toContain('"channels":["api","web","slack"]');
  });

  it("Retry's URL check (a signed url_verification): the challenge back, and a request line for POST /slack/events", async () => {
    const res = await postSlack(JSON.stringify({ token: 'legacy', challenge: 'challenge-123', type: 'url_verification' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'challenge-123' });
    const line = await requestLine(res);
    expect(line.raw).toContain(quoted({ method: 'POST', path: '/slack/events', status: 200 }));
    expect(slackGuide).toContain(quoted({ method: 'POST', path: '/slack/events', status: 200 }));
  });

  it('a wrong signing secret: 401, logged as the guide says', async () => {
    const res = await postSlack(JSON.stringify({ token: 'legacy', challenge: 'c', type: 'url_verification' }), 'the-client-secret');
    expect(res.status).toBe(401);
    const line = await requestLine(res);
    expect(line.status).toBe(401);
    const rejected = logLines(bot).find((l) => l.reqId === line.reqId && String(l.msg).startsWith('Slack request rejected'));
    expect(rejected?.msg).toBe('Slack request rejected: Failed to verify authenticity: signature mismatch');
    expect(slackGuide).toContain(`\`${rejected!.msg}\`, then \`request\` with \`"status":401\``);
  });

  it('a mention in a channel the bot is not in: the Web API error with its code', async () => {
    slackApi.failNext('chat.postMessage', 'not_in_channel');
    const envelope = {
      token: 'legacy',
      team_id: 'T0001',
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: 'EvLOGLINES01',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'app_mention', user: 'U1', text: '<@UBOT> 休眠預金とは何ですか', ts: '1700000100.000100', channel: 'C1', event_ts: '1700000100.000100' },
    };
    expect((await postSlack(JSON.stringify(envelope))).status).toBe(200);
    const failed = await until(() => logLines(bot).find((l) => String(l.msg).includes('not_in_channel')), 'the not_in_channel line', bot);
    expect(failed.msg).toBe('Slack chat.postMessage failed: not_in_channel');
    expect(slackGuide).toContain(`\`${failed.msg}\``);
  });

  it('Socket Mode (deploy/kenmin-bot.service): listening names slack (socket mode), and /slack/events is not mounted', async () => {
    const socketApi = await startFakeSlackApi();
    const socket = startBot(offlineBotEnv(live.dir, { ...botEnv({}), SLACK_API_URL: socketApi.apiUrl, SLACK_APP_TOKEN: 'xapp-test' }));
    try {
      const listening = await until(() => logLines(socket).find((l) => l.msg === 'listening'), 'the listening line', socket, 90_000);
      expect(listening.raw).toContain('"channels":["api","web","line","slack (socket mode)"]');
      const deployment = await fs.readFile(path.join(PROJECT_ROOT, 'docs/deployment.md'), 'utf8');
      expect(deployment).toContain('"channels":["api","web","slack (socket mode)"]');
      expect(slackGuide).toContain('`"slack (socket mode)"` in Socket Mode');
      // It connects out instead: the fake speaks no WebSocket, so seeing the request is enough.
      await socketApi.waitForCalls('apps.connections.open', 1, 30_000);
      const base = await until(() => /http:\/\/127\.0\.0\.1:\d+/.exec(socket.stdout)?.[0], 'the address on stdout', socket);
      expect((await fetch(`${base}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    } finally {
      socket.child.kill('SIGTERM');
      await socket.exit;
      await socketApi.close();
    }
  }, 120_000);

  it('a bad bot token: the bot does not start, and says which variables to check', async () => {
    const badTokenApi = await startFakeSlackApi();
    badTokenApi.failNext('auth.test', 'invalid_auth');
    try {
      const failing = startBot(offlineBotEnv(live.dir, { ...botEnv({}), SLACK_API_URL: badTokenApi.apiUrl }));
      expect(await failing.exit).toBe(1);
      const message = failing.stderr.split('\n').find((l) => l.startsWith('error: '));
      expect(message).toBe('error: Slack auth.test failed: invalid_auth: check SLACK_BOT_TOKEN and SLACK_API_URL');
      expect(slackGuide).toContain(`\`${message}\``);
    } finally {
      await badTokenApi.close();
    }
  }, 60_000);
});
