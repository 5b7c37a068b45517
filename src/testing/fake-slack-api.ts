/**
 * A fake Slack Web API on 127.0.0.1: answers auth.test, chat.postMessage, chat.postEphemeral,
 * chat.update, reactions.add/remove, views.open and usergroups.users.list the way Slack does
 * (HTTP 200 with `ok`), records every
 * call, and serves `response_url` posts at `/response/<id>`. Point a WebClient at `apiUrl`
 * (the trailing slash matters) and give slash payloads `responseUrl()`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSlackCall {
  /** Web API method, e.g. `chat.postMessage`, or `response_url` for a response_url post. */
  method: string;
  args: Record<string, any>;
  /** Bearer token sent with the call, if any. */
  token?: string;
  /** For response_url posts: the id in the path. */
  responseId?: string;
}

export const FAKE_BOT = { user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0001', user: 'kenmin-bot' };

export interface FakeSlackApi {
  /** Base URL for WebClient's slackApiUrl, ending in `/api/`. */
  apiUrl: string;
  calls: FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /** A fresh response_url served by this fake. */
  responseUrl(): string;
  /** The next `times` calls to `method` answer `{ ok: false, error }`. */
  failNext(method: string, error: string, times?: number): void;
  /** Members that `usergroups.users.list` answers for `usergroup` (an unknown one is `no_such_subteam`). */
  setUsergroup(usergroup: string, users: string[]): void;
  /** Resolves once `method` has been called at least `count` times; rejects after `timeoutMs`. */
  waitForCalls(method: string, count: number, timeoutMs?: number): Promise<FakeSlackCall[]>;
  close(): Promise<void>;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, any> {
  if (!raw) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw);
  // WebClient sends form fields; objects and arrays (blocks) are JSON strings inside them.
  const out: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return out;
}

export interface FakeSlackApiOptions {
  /**
   * chat.postMessage is answered (and recorded) only after this long, like a slow network:
   * answers stay in flight long enough for a test to stop the bot meanwhile. @default 0
   */
  postDelayMs?: number;
}

export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const calls: FakeSlackCall[] = [];
  const failures = new Map<string, { error: string; times: number }>();
  const waiters = new Set<() => void>();
  let ts = 1_700_000_000;
  let responseIds = 0;
  let viewIds = 0;
  const usergroups = new Map<string, string[]>();

  const answerFor = (method: string, args: Record<string, any>): Record<string, unknown> => {
    const failure = failures.get(method);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      return { ok: false, error: failure.error };
    }
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://example.slack.com/', team: 'Test', ...FAKE_BOT };
      case 'chat.postMessage':
        ts += 1;
        return { ok: true, channel: args.channel, ts: `${ts}.000100`, message: { text: args.text, bot_id: FAKE_BOT.bot_id } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${ts}.000200` };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'reactions.add':
      case 'reactions.remove':
        return { ok: true };
      case 'views.open':
        // A trigger_id is good once, for 3 seconds; without one Slack cannot know whose screen to open.
        if (!args.trigger_id) return { ok: false, error: 'invalid_arguments' };
        if (!args.view?.type) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: { id: `V${++viewIds}`, ...args.view } };
      case 'usergroups.users.list': {
        const users = usergroups.get(args.usergroup);
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  };

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const args = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? args.token;
    let call: FakeSlackCall;
    let reply: Record<string, unknown>;
    if (url.pathname.startsWith('/response/')) {
      call = { method: 'response_url', args, responseId: url.pathname.slice('/response/'.length) };
      const failure = failures.get('response_url');
      reply = failure && failure.times-- > 0 ? { ok: false, error: failure.error } : { ok: true };
    } else {
      const method = url.pathname.replace(/^\/api\//, '');
      if (method === 'chat.postMessage' && options.postDelayMs) await new Promise((resolve) => setTimeout(resolve, options.postDelayMs));
      call = { method, args, token };
      reply = answerFor(method, args);
    }
    calls.push(call);
    const payload = JSON.stringify(reply);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(payload);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const callsTo = (method: string) => calls.filter((c) => c.method === method);
  return {
    apiUrl: `${base}/api/`,
    calls,
    callsTo,
    responseUrl: () => `${base}/response/${++responseIds}`,
    failNext(method, error, times = 1) {
      failures.set(method, { error, times });
    },
    setUsergroup(usergroup, users) {
      usergroups.set(usergroup, users);
    },
    waitForCalls(method, count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (callsTo(method).length < count) return;
          cleanup();
          resolve(callsTo(method));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake Slack: expected ${count} ${method} call(s) within ${timeoutMs} ms, got ${callsTo(method).length}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
