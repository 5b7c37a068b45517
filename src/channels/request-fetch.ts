/**
 * `fetch` for the platform SDKs, over undici's `request` instead of Node's WHATWG fetch.
 *
 * Node 20's fetch spends about 0.4 ms of CPU on each call (its Request, Headers and stream
 * machinery), undici's `request` about a tenth of that (measured against a local server,
 * README "Benchmark"). Every answer is one LINE or Slack call, on the answer worker's one
 * core. The LINE SDK calls the global `fetch` and takes no other; @slack/web-api takes a
 * `fetch` option. So the answer worker installs this one as its thread's `fetch`
 * (installRequestFetch): what the SDKs see is a standard Response, with the body streamed.
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

function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.append(name, value);
  }
  return headers;
}

export interface RequestFetchOptions {
  /** Where anything this path does not take goes. @default globalThis.fetch when created */
  fallback?: Fetch;
  /** @default an undici Agent of its own (keep-alive, as fetch's), made at the first call */
  dispatcher?: Dispatcher;
}

export function createRequestFetch(options: RequestFetchOptions = {}): Fetch {
  const fallback = options.fallback ?? globalThis.fetch;
  let dispatcher = options.dispatcher;

  const requestFetch = async (input: Parameters<Fetch>[0], init: RequestInit = {}): Promise<Response> => {
    if (typeof input !== 'string' && !(input instanceof URL)) return fallback(input, init);
    const headers = plainHeaders(init.headers);
    let body = init.body;
    if (body instanceof URLSearchParams) {
      // As fetch does: the form's content type unless the caller set one.
      if (headers && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
      body = body.toString();
    }
    const plainBody = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (!headers || !plainBody) return fallback(input, init);
    const sent = (body ?? undefined) as string | Uint8Array | undefined;

    const signal = init.signal ?? undefined;
    signal?.throwIfAborted();
    let response: Dispatcher.ResponseData;
    try {
      const { Agent, request } = await loadUndici();
      dispatcher ??= new Agent();
      response = await request(input, { method: (init.method ?? 'GET') as Dispatcher.HttpMethod, headers, body: sent, signal, dispatcher });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw new TypeError('fetch failed', { cause: error });
    }
    const { statusCode: status } = response;
    if (REDIRECTS.has(status) && response.headers.location) {
      const redirect = init.redirect ?? 'follow';
      if (redirect === 'follow') {
        // Rare on these APIs: fetch itself follows it (the body is text or bytes, so it can be sent again).
        response.body.resume();
        return fallback(input, init);
      }
      if (redirect === 'error') {
        response.body.resume();
        throw new TypeError('fetch failed', { cause: new Error(`redirect to ${String(response.headers.location)} refused (redirect: 'error')`) });
      }
    }
    const nullBody = NULL_BODY.has(status) || init.method?.toUpperCase() === 'HEAD';
    if (nullBody) response.body.resume();
    const stream = nullBody ? null : (Readable.toWeb(response.body) as ReadableStream<Uint8Array>);
    return new Response(stream, { status, statusText: STATUS_CODES[status] ?? '', headers: responseHeaders(response.headers) });
  };
  return requestFetch as Fetch;
}

/** Loads undici now (the worker is ready and idle), so that the first answer does not wait for it. */
export function preloadRequestFetch(): void {
  loadUndici().catch(() => undefined);
}

/**
 * Makes this thread's `fetch` the request path (the answer worker calls it before it creates
 * the LINE and Slack clients); returns a function that puts the old one back.
 */
export function installRequestFetch(options: Omit<RequestFetchOptions, 'fallback'> = {}): () => void {
  const previous = globalThis.fetch;
  globalThis.fetch = createRequestFetch({ ...options, fallback: previous });
  return () => void (globalThis.fetch = previous);
}
