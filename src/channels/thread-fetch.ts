/**
 * `fetch` whose network work runs on another thread: the platform calls' thread.
 *
 * The answer worker is the bot's busiest thread, and on two cores each millisecond of its CPU
 * is one that answering does not get. Of its time an answer, the LINE and Slack calls'
 * sockets took about a seventh: undici's dispatch, the socket writes, parsing the response and
 * making a web stream of its body (README, "Benchmark"). So the SDKs stay where they are, in
 * the answer worker, and only their calls' HTTP crosses: `createThreadFetch` posts each plain
 * call (request-fetch.ts: a URL, text or bytes, headers) through a MessagePort, and
 * `servePlatformCalls` on the other end sends it over undici and posts back the status, the
 * headers and the body, whole when its length is known and small, else chunk by chunk (a
 * model's streamed answer). What the SDKs get is a standard Response; errors are fetch's.
 *
 * A call that is not plain (a Request object, a FormData upload, a redirect to follow) runs
 * where it was made, on the fallback. When the other thread stops, its calls in flight fail
 * as network failures do and later ones run on the fallback: the bot goes on answering.
 */
import type { MessagePort } from 'node:worker_threads';
import { headerPairs, plainRequestOf, responseOf, sendPlain, type PlainRequest } from './request-fetch.js';

type Fetch = typeof globalThis.fetch;

/** A body whose length is known and at most this comes back in one message; longer or unknown ones stream. */
export const WHOLE_BODY_MAX_BYTES = 1 << 20;

type ToCalls = { type: 'call'; id: number; call: PlainRequest } | { type: 'abort'; id: number };

interface WireFailure {
  message: string;
  /** The socket's error code (ECONNREFUSED …), as fetch's TypeError carries it in `cause`. */
  code?: string;
}

type FromCalls =
  | { type: 'response'; id: number; status: number; headers: Array<[string, string]>; body: Uint8Array | null; streamed: boolean }
  /** A redirect fetch must follow: the caller's own fetch makes the call. */
  | { type: 'follow'; id: number }
  | { type: 'chunk'; id: number; chunk: Uint8Array }
  | { type: 'end'; id: number }
  | { type: 'failed'; id: number; error: WireFailure };

function toWire(error: unknown): WireFailure {
  const cause = (error as { cause?: unknown }).cause ?? error;
  return { message: cause instanceof Error ? cause.message : String(cause), code: (cause as { code?: string }).code };
}

/**
 * The platform calls' side of one port: every call that comes through it is sent over undici,
 * and its answer posted back. Returns a function that stops serving it.
 */
export function servePlatformCalls(port: MessagePort): () => void {
  const running = new Map<number, AbortController>();
  const post = (message: FromCalls, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

  async function serve(id: number, call: PlainRequest): Promise<void> {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      const sent = await sendPlain(call, controller.signal);
      if (sent === 'follow') return post({ type: 'follow', id });
      const headers = headerPairs(sent.headers);
      const length = Number(sent.headers['content-length']);
      if (!sent.body || (Number.isFinite(length) && length <= WHOLE_BODY_MAX_BYTES)) {
        // The usual answer of a platform API: a small JSON body, in the same message as its status.
        const body = sent.body && new Uint8Array(await sent.body.arrayBuffer());
        return post({ type: 'response', id, status: sent.status, headers, body, streamed: false }, body ? [body.buffer as ArrayBuffer] : undefined);
      }
      post({ type: 'response', id, status: sent.status, headers, body: null, streamed: true });
      for await (const chunk of sent.body as AsyncIterable<Buffer>) {
        // A copy the port can move: a chunk of undici's may share its buffer with others.
        const bytes = new Uint8Array(chunk);
        post({ type: 'chunk', id, chunk: bytes }, [bytes.buffer as ArrayBuffer]);
      }
      post({ type: 'end', id });
    } catch (error) {
      // An abort the caller asked for needs no answer: the caller has rejected already.
      if (!controller.signal.aborted) post({ type: 'failed', id, error: toWire(error) });
    } finally {
      running.delete(id);
    }
  }

  const onMessage = (message: ToCalls) => {
    if (message.type === 'call') void serve(message.id, message.call);
    else running.get(message.id)?.abort();
  };
  port.on('message', onMessage);
  return () => {
    port.off('message', onMessage);
    for (const controller of running.values()) controller.abort();
    port.close();
  };
}

interface Pending {
  resolve(response: Response): void;
  reject(error: unknown): void;
  /** The body's stream, once a streamed response has begun. */
  stream?: ReadableStreamDefaultController<Uint8Array>;
  /** Makes the call again on the fallback (a redirect to follow). */
  follow(): void;
  cleanup(): void;
}

export interface ThreadFetchOptions {
  /** Where a call runs that the other thread does not take, or when it has stopped. */
  fallback: Fetch;
  /** Told once, when the other thread stops answering (its port closed). */
  onStopped?: () => void;
}

/** The answer worker's side: a fetch that sends its plain calls through `port`. */
export function createThreadFetch(port: MessagePort, options: ThreadFetchOptions): Fetch {
  const { fallback } = options;
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let stopped = false;
  // The port keeps the thread's event loop alive only while a call is in flight.
  port.unref();

  const settle = (id: number) => {
    const call = pending.get(id);
    if (!call) return undefined;
    pending.delete(id);
    call.cleanup();
    if (pending.size === 0) port.unref();
    return call;
  };

  port.on('message', (message: FromCalls) => {
    const call = pending.get(message.id);
    if (!call) return;
    switch (message.type) {
      case 'response': {
        if (!message.streamed) {
          settle(message.id);
          return call.resolve(responseOf(message.status, message.headers, message.body as Uint8Array<ArrayBuffer> | null));
        }
        const body = new ReadableStream<Uint8Array>({ start: (controller) => void (call.stream = controller), cancel: () => abort(message.id) });
        return call.resolve(responseOf(message.status, message.headers, body));
      }
      case 'chunk':
        return call.stream?.enqueue(message.chunk);
      case 'end':
        settle(message.id);
        return call.stream?.close();
      case 'follow':
        settle(message.id);
        return call.follow();
      case 'failed': {
        settle(message.id);
        const error = new TypeError('fetch failed', { cause: Object.assign(new Error(message.error.message), message.error.code ? { code: message.error.code } : {}) });
        return call.stream ? call.stream.error(error) : call.reject(error);
      }
    }
  });
  port.on('close', () => {
    stopped = true;
    options.onStopped?.();
    for (const id of [...pending.keys()]) {
      const call = settle(id)!;
      const error = new TypeError('fetch failed', { cause: new Error('the platform calls thread stopped') });
      if (call.stream) call.stream.error(error);
      else call.reject(error);
    }
  });

  const abort = (id: number) => {
    if (!settle(id)) return;
    port.postMessage({ type: 'abort', id } satisfies ToCalls);
  };

  const threadFetch = (input: Parameters<Fetch>[0], init: RequestInit = {}): Promise<Response> => {
    const call = stopped ? undefined : plainRequestOf(input, init);
    if (!call) return fallback(input, init);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = nextId++;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        const running = pending.get(id);
        abort(id);
        const reason = signal!.reason;
        if (running?.stream) running.stream.error(reason);
        else reject(reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, {
        resolve,
        reject,
        follow: () => fallback(input, init).then(resolve, reject),
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      });
      if (pending.size === 1) port.ref();
      port.postMessage({ type: 'call', id, call } satisfies ToCalls);
    });
  };
  return threadFetch as Fetch;
}
