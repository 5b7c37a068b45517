/** Reading request bodies with a size limit, and writing JSON: shared by every HTTP channel. */
import type http from 'node:http';

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body is larger than ${limit} bytes`);
  }
}

/** The client hung up before its body was complete: nobody waits for an answer (the server logs it at debug). */
export class ClientAbortedError extends Error {
  readonly code = 'ECONNRESET';
  constructor() {
    super('the client closed the connection before the body was complete');
  }
}

/**
 * The body within `limitBytes`, or undefined once `tooLarge` has answered 413: refused by the
 * declared Content-Length before a byte is read, else when the body grows past the limit. The
 * connection closes after that 413 (set here), so the rest of the body is never read as the
 * next request on a keep-alive connection. Every channel's body goes through this.
 */
export async function readBodyWithin(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  limitBytes: number,
  tooLarge: () => void,
): Promise<Buffer | undefined> {
  const refuse = () => {
    res.setHeader('connection', 'close');
    tooLarge();
    return undefined;
  };
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) return refuse();
  try {
    return await readRawBody(req, limitBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return refuse();
    throw error;
  }
}

/**
 * The raw body as a Buffer (signatures are computed over the exact bytes). Past the limit it
 * rejects, and the rest of the body is read and dropped rather than the request destroyed: a
 * destroyed socket resets the connection under the client before it reads the 413, and the
 * caller's response (sent with `Connection: close`) ends it cleanly instead.
 */
export function readRawBody(req: http.IncomingMessage, limitBytes = 1_000_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      cleanup();
      req.resume();
      reject(new BodyTooLargeError(limitBytes));
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      // Node reports a hang-up mid-body as an 'aborted' ECONNRESET error.
      reject((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? new ClientAbortedError() : error);
    };
    // 'close' before 'end': the client went away mid-body.
    const onClose = () => {
      cleanup();
      reject(new ClientAbortedError());
    };
    const cleanup = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    // Gone already, while the route awaited something else: 'close' will not come again.
    if (req.destroyed && !req.complete) onClose();
  });
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    // Browsers must not read an error's JSON as HTML or script.
    'x-content-type-options': 'nosniff',
  });
  res.end(payload);
}
