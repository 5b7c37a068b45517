/**
 * The do-nothing floor the bot's webhook figures are compared with: the same two routes, an
 * immediate 200, then one fixed-text reply to the (fake) LINE or Slack API over plain node:http.
 * No signature check, no SDK, no answering: what any server on this machine costs at least.
 * Env: PORT, LINE_API_BASE_URL, SLACK_API_URL (ending in /api/), LINE_CHANNEL_ACCESS_TOKEN, SLACK_BOT_TOKEN.
 */
import http from 'node:http';

const port = Number(process.env.PORT);
const lineApi = process.env.LINE_API_BASE_URL!;
const slackApi = process.env.SLACK_API_URL!;
const lineToken = process.env.LINE_CHANNEL_ACCESS_TOKEN!;
const slackToken = process.env.SLACK_BOT_TOKEN!;

// Replies through node:http with a keep-alive pool, the cheapest client Node has: a floor.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
function post(url: string, token: string, body: unknown) {
  const payload = JSON.stringify(body);
  const req = http.request(url, {
    method: 'POST',
    agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), authorization: `Bearer ${token}` },
  });
  req.on('response', (res) => res.resume());
  req.on('error', () => undefined);
  req.end(payload);
}

function reply(path: string, payload: any) {
  if (path === '/line/webhook') {
    for (const event of payload.events ?? []) {
      post(`${lineApi}/v2/bot/message/reply`, lineToken, { replyToken: event.replyToken, messages: [{ type: 'text', text: 'ok' }] });
    }
  } else if (payload.type === 'event_callback') {
    const { channel, ts } = payload.event ?? {};
    post(`${slackApi}chat.postMessage`, slackToken, { channel, thread_ts: ts, text: 'ok' });
  }
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/readyz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ready":true}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    try {
      reply(req.url ?? '', JSON.parse(Buffer.concat(chunks).toString('utf8')));
    } catch {
      // not JSON: nothing to answer
    }
  });
});
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
