/**
 * Composes the channels on one HTTP server. Each channel contributes routes; the server
 * only dispatches by method and path and turns an unhandled error into a 500.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { withLogContext, type Logger } from './logger.js';

export interface HttpRoute {
  method: 'GET' | 'POST';
  /** Exact path, e.g. `/line/webhook`. */
  path: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse): void | Promise<void>;
}

export function createHttpServer({ routes, logger }: { routes: HttpRoute[]; logger: Logger }): http.Server {
  const table = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  return http.createServer((req, res) => {
    const reqId = requestId(req, res);
    withLogContext({ reqId }, () => dispatch(req, res, reqId));
  });

  function dispatch(req: http.IncomingMessage, res: http.ServerResponse, reqId: string): void {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    logWhenDone(req, res, pathname, reqId, logger);
    const route = table.get(`${req.method} ${pathname}`);
    if (!route) {
      const allowed = routes.filter((r) => r.path === pathname).map((r) => r.method);
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
    const fields = { reqId, method: req.method, path, status: res.statusCode, ms: Math.round(performance.now() - started), aborted: !res.writableFinished || undefined };
    // /readyz answers 503 while the index loads (a first start builds it): expected, so quiet too.
    const quiet = QUIET_PATHS.has(path) && (res.statusCode < 400 || (path === '/readyz' && res.statusCode === 503));
    if (quiet) logger.debug('request', fields);
    else logger.info('request', fields);
  });
}
