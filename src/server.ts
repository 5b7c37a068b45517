/**
 * Composes the channels on one HTTP server. Each channel contributes routes; the server
 * only dispatches by method and path (HEAD as GET, without the body), turns an unhandled error
 * into a 500, and holds the guards every route needs: timeouts of seconds for slow clients, a
 * connection cap, and `nosniff` on every response.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { HttpServerLimits } from './config.js';
import { withLogContext, type Logger } from './logger.js';

export interface HttpRoute {
  method: 'GET' | 'POST';
  /** Exact path, e.g. `/line/webhook`. */
  path: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse): void | Promise<void>;
}

/** What `src/config.ts` defaults to; Node's own allow a body 300 s and any number of connections. */
export const DEFAULT_HTTP_LIMITS: HttpServerLimits = { requestTimeoutMs: 15_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_000 };

export interface HttpServerOptions {
  routes: HttpRoute[];
  logger: Logger;
  /** @default DEFAULT_HTTP_LIMITS */
  limits?: Partial<HttpServerLimits>;
}

export function createHttpServer({ routes, logger, limits }: HttpServerOptions): http.Server {
  const { requestTimeoutMs, headersTimeoutMs, keepAliveTimeoutMs, maxConnections } = { ...DEFAULT_HTTP_LIMITS, ...limits };
  const table = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  const server = http.createServer(
    {
      // A request whose headers or body trickle in is answered 408 and closed, so a few hundred
      // slow clients cannot hold every connection. Node checks the clock every
      // connectionsCheckingInterval (30 s by default): often enough here to keep the timeout's word.
      requestTimeout: requestTimeoutMs,
      headersTimeout: headersTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(headersTimeoutMs / 2)),
    },
    (req, res) => {
      const reqId = requestId(req, res);
      withLogContext({ reqId }, () => dispatch(req, res, reqId));
    },
  );
  // Past the cap Node closes new connections at once; the ones open keep being served.
  server.maxConnections = maxConnections;
  return server;

  function dispatch(req: http.IncomingMessage, res: http.ServerResponse, reqId: string): void {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    logWhenDone(req, res, pathname, reqId, logger);
    res.setHeader('x-content-type-options', 'nosniff');
    // HEAD is GET without the body (RFC 9110 §9.3.2); Node leaves the body out of a HEAD response.
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const route = table.get(`${method} ${pathname}`);
    if (!route) {
      const allowed = routes.filter((r) => r.path === pathname).flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method]));
      if (allowed.length) {
        res.writeHead(405, { allow: allowed.join(', '), 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'method_not_allowed' }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not_found' }));
      }
      return;
    }
    Promise.resolve()
      .then(() => route.handle(req, res))
      .catch((error: unknown) => {
        // A client that hung up mid-request is no fault of ours, and one that does it a thousand
        // times must not fill the log: at debug, and nothing to answer.
        if (isClientAbort(error, req)) {
          logger.debug('client aborted the request', { route: `${route.method} ${route.path}`, error });
          return void res.destroy();
        }
        logger.error('unhandled error in route', { route: `${route.method} ${route.path}`, error });
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'internal_error' }));
        } else {
          res.end();
        }
      });
  }
}

/** A client that hung up mid-request: nothing went wrong on our side, and nobody waits for an answer. */
function isClientAbort(error: unknown, req: http.IncomingMessage): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || ((req.destroyed || req.readableAborted) && !req.complete);
}

/** A proxy's id when it gave a sane one (so lines join up across hops), else a fresh one; echoed back. */
function requestId(req: http.IncomingMessage, res: http.ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', id);
  return id;
}

/** Probes and scrapes come every few seconds: at debug, so that info shows the traffic that matters. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** One line a request, when the response is done (the query string is left out: it may hold tokens). */
function logWhenDone(req: http.IncomingMessage, res: http.ServerResponse, path: string, reqId: string, logger: Logger): void {
  const started = performance.now();
  res.once('close', () => {
    const aborted = !res.writableFinished || undefined;
    const fields = { reqId, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started), aborted };
    // /readyz answers 503 while the index loads (a first start builds it): expected, so quiet too.
    // So are clients that hung up: a flood of aborts must not flood the log.
    const quiet = aborted || (QUIET_PATHS.has(path) && (res.statusCode < 400 || (path === '/readyz' && res.statusCode === 503)));
    if (quiet) logger.debug('request', fields);
    else logger.info('request', fields);
  });
}
