/**
 * A fake OpenAI-compatible server: a real node:http server on 127.0.0.1, port 0, speaking
 * `POST /v1/chat/completions` (JSON, or SSE `data: {...}` chunks ending `data: [DONE]`) and
 * `POST /v1/embeddings` (base64 little-endian float32 when asked, as the openai client does
 * by default). It records every request; each test programs the chat reply.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatReply {
  /** The assistant's text. @default 'OK [1]' */
  text?: string;
  /** Streamed pieces; by default `text` is cut into three. */
  chunks?: string[];
  /** Wait before answering (ms). */
  delayMs?: number;
  /** Wait between streamed chunks (ms). */
  chunkDelayMs?: number;
  /** Answer with this HTTP error status instead. */
  status?: number;
  /** `non-json`: a 200 whose body is not JSON; `empty-content`: content ''. */
  garbage?: 'non-json' | 'empty-content';
}

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  temperature?: number;
  [key: string]: unknown;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeOpenAI {
  /** Give this to `configuration.baseURL`, e.g. `http://127.0.0.1:40123/v1`. */
  baseURL: string;
  requests: RecordedRequest[];
  chatBodies(): ChatRequestBody[];
  /** Sets the reply to every later chat request (a function sees the request body). */
  setChatReply(reply: FakeChatReply | ((body: ChatRequestBody) => FakeChatReply)): void;
  /** The vector the fake gives `text`, to compare with what a client decoded. */
  embeddingOf(text: string): number[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function splitInThree(text: string): string[] {
  const n = Math.max(1, Math.ceil(text.length / 3));
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += n) parts.push(text.slice(i, i + n));
  return parts.length ? parts : [''];
}

/** Deterministic, distinct per text, rounded through float32 so both encodings decode alike. */
function vectorFor(text: string, dimensions: number): number[] {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return Array.from(new Float32Array(Array.from({ length: dimensions }, (_, i) => Math.sin(h + i))));
}

export async function startFakeOpenAI(options: { embeddingDimensions?: number } = {}): Promise<FakeOpenAI> {
  const dimensions = options.embeddingDimensions ?? 8;
  const requests: RecordedRequest[] = [];
  let replyFor: (body: ChatRequestBody) => FakeChatReply = () => ({});

  const chat = async (body: ChatRequestBody, res: ServerResponse) => {
    const reply = replyFor(body);
    if (reply.delayMs) await sleep(reply.delayMs);
    if (res.destroyed) return;
    if (reply.status) {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake error ${reply.status}`, type: 'server_error', code: null } }));
      return;
    }
    if (reply.garbage === 'non-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>502 Bad Gateway</html> {not json');
      return;
    }
    const text = reply.garbage === 'empty-content' ? '' : (reply.text ?? 'OK [1]');
    const base = { id: 'chatcmpl-fake', created: Math.floor(Date.now() / 1000), model: body.model };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (choices: unknown[], extra: object = {}) =>
      res.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`);
    const pieces = reply.chunks ?? splitInThree(text);
    for (const [i, piece] of pieces.entries()) {
      if (res.destroyed) return;
      send([{ index: 0, delta: i === 0 ? { role: 'assistant', content: piece } : { content: piece }, finish_reason: null }]);
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    }
    send([{ index: 0, delta: {}, finish_reason: 'stop' }]);
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) {
      send([], { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    }
    res.end('data: [DONE]\n\n');
  };

  const embeddings = (body: Record<string, unknown>, res: ServerResponse) => {
    const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
    const data = inputs.map((text, index) => {
      const vector = vectorFor(text, dimensions);
      const embedding =
        body.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  };

  const server = createServer(async (req, res) => {
    const raw: Buffer[] = [];
    for await (const part of req) raw.push(part as Buffer);
    const body = raw.length ? (JSON.parse(Buffer.concat(raw).toString('utf8')) as Record<string, unknown>) : {};
    const path = (req.url ?? '').split('?')[0];
    requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(body as ChatRequestBody, res);
    if (req.method === 'POST' && path === '/v1/embeddings') return embeddings(body, res);
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatBodies: () => requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as ChatRequestBody),
    setChatReply(reply) {
      replyFor = typeof reply === 'function' ? reply : () => reply;
    },
    embeddingOf: (text) => vectorFor(text, dimensions),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
