/**
 * `fetch` for the platform SDKs, over undici's `request` instead of Node's WHATWG fetch.
 *
 * Node 20's fetch spends about 0.4 ms of CPU on each call (its Request, Headers and stream
 * machinery), undici's `request` about a tenth of that (measured against a local server,
 * README "Benchmark"). Every answer is one LINE or Slack call, on the answer worker's one
 * core. The LINE SDK calls the global `fetch` and takes no other; @slack/web-api takes a
 * `fetch` option. So the answer worker makes this one its thread's `fetch` when it has no
 * platform calls' thread (thread-fetch.ts, which sends its calls with `sendPlain` below):
 * what the SDKs see is a standard Response, with the body streamed.
 *
 * Only the plain calls take this path: a Request object, a body that is not text, bytes or
 * URL parameters (a FormData upload, a stream), and a redirect to follow go to Node's own
 * fetch, which does all of fetch. Errors are fetch's: a network failure rejects with a
 * TypeError whose `cause` is the socket's error, an abort with the signal's reason.
 */
import { STATUS_CODES } from 'node:http';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/**
 * undici is imported at the first call, not with this module: loading it takes about 0.1 s,
 * which the answer worker would otherwise add to the bot's start.
 */
type Undici = typeof import('undici');
let undici: Promise<Undici> | undefined;
// undici is CommonJS: its exports are the module's default export, also where it is bundled.
const loadUndici = () => (undici ??= import('undici').then((module) => (module as Undici & { default?: Undici }).default ?? module));

type Fetch = typeof globalThis.fetch;

/** Statuses whose Response must have no body (the Response constructor refuses one). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

/** The request's headers as undici takes them, or undefined when they are not a kind we read. */
function plainHeaders(headers: RequestInit['headers']): Record<string, string> | undefined {
  if (headers === undefined) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers);
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  if (typeof headers === 'object') {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = String(v);
    return out;
  }
  return undefined;
}

/** Response headers as undici gives them (a repeated one as an array), as name–value pairs in order. */
export function headerPairs(raw: Record<string, string | string[] | undefined>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) pairs.push([name, v]);
    else if (value !== undefined) pairs.push([name, value]);
  }
  return pairs;
}

/** A call this path takes: a URL, text, bytes or no body, headers as a record. */
export interface PlainRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  redirect: RequestRedirect;
}

/** The call as undici takes it, or undefined when it is not plain (it goes to the fallback). */
export function plainRequestOf(input: Parameters<Fetch>[0], init: RequestInit = {}): PlainRequest | undefined {
  if (typeof input !== 'string' && !(input instanceof URL)) return undefined;
  const headers = plainHeaders(init.headers);
  let body = init.body;
  if (body instanceof URLSearchParams) {
    // As fetch does: the form's content type unless the caller set one.
    if (headers && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    body = body.toString();
  }
  const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
  if (!headers || !plainBody) return undefined;
  const method = init.method ?? 'GET';
  // As fetch does: the six standard methods are spelled upper case, any other as given.
  const upper = method.toUpperCase();
  return { url: String(input), method: NORMALIZED_METHODS.has(upper) ? upper : method, headers, body: (body ?? undefined) as string | Uint8Array | undefined, redirect: init.redirect ?? 'follow' };
}

/** What came back: a status, its headers as undici gives them, and the body (null when a status has none). */
export interface PlainResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** undici's body: a Readable that also reads itself whole (arrayBuffer(), json() …). */
  body: Dispatcher.ResponseData['body'] | null;
}

/**
 * Sends a plain call over undici's `request`. Resolves 'follow' for a redirect fetch must
 * follow (rare on these APIs: the caller hands it to a fetch that follows, the body being text
 * or bytes that can be sent again). Rejects as fetch does: a TypeError whose `cause` is the
 * socket's error, the signal's reason on an abort, a TypeError for a refused redirect.
 */
export async function sendPlain(call: PlainRequest, signal: AbortSignal | undefined, dispatcher?: Dispatcher): Promise<PlainResponse | 'follow'> {
  signal?.throwIfAborted();
  let response: Dispatcher.ResponseData;
  try {
    const { request } = await loadUndici();
    response = await request(call.url, { method: call.method as Dispatcher.HttpMethod, headers: call.headers, body: call.body, signal, dispatcher: dispatcher ?? (await sharedAgent()) });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new TypeError('fetch failed', { cause: error });
  }
  const { statusCode: status } = response;
  if (REDIRECTS.has(status) && response.headers.location) {
    if (call.redirect === 'follow') {
      response.body.resume();
      return 'follow';
    }
    if (call.redirect === 'error') {
      response.body.resume();
      throw new TypeError('fetch failed', { cause: new Error(`redirect to ${String(response.headers.location)} refused (redirect: 'error')`) });
    }
  }
  const nullBody = NULL_BODY.has(status) || call.method === 'HEAD';
  if (nullBody) response.body.resume();
  return { status, headers: response.headers, body: nullBody ? null : response.body };
}

/** A standard Response of a status, its headers (name–value pairs) and a body (bytes, a stream, or none). */
export function responseOf(status: number, headers: Array<[string, string]>, body: BodyInit | null): Response {
  return new Response(body, { status, statusText: STATUS_CODES[status] ?? '', headers });
}

let agent: Promise<Dispatcher> | undefined;
/** One keep-alive pool for the thread's calls, as fetch keeps one. */
const sharedAgent = () => (agent ??= loadUndici().then(({ Agent }) => new Agent()));

export interface RequestFetchOptions {
  /** Where anything this path does not take goes. @default globalThis.fetch when created */
  fallback?: Fetch;
  /** @default the thread's undici Agent (keep-alive, as fetch's), made at the first call */
  dispatcher?: Dispatcher;
}

export function createRequestFetch(options: RequestFetchOptions = {}): Fetch {
  const fallback = options.fallback ?? globalThis.fetch;
  const requestFetch = async (input: Parameters<Fetch>[0], init: RequestInit = {}): Promise<Response> => {
    const call = plainRequestOf(input, init);
    if (!call) return fallback(input, init);
    const sent = await sendPlain(call, init.signal ?? undefined, options.dispatcher);
    if (sent === 'follow') return fallback(input, init);
    return responseOf(sent.status, headerPairs(sent.headers), sent.body && (Readable.toWeb(sent.body) as ReadableStream<Uint8Array>));
  };
  return requestFetch as Fetch;
}

/** Loads undici now (the worker is ready and idle), so that the first answer does not wait for it. */
export function preloadRequestFetch(): void {
  loadUndici().catch(() => undefined);
}
