/**
 * Composes the channels on one HTTP server. Each channel contributes routes; the server
 * only dispatches by method and path and turns an unhandled error into a 500.
 */
import http from 'node:http';
import type { Logger } from './logger.js';

export interface HttpRoute {
  method: 'GET' | 'POST';
  /** Exact path, e.g. `/line/webhook`. */
  path: string;
  handle(req: http.IncomingMessage, res: http.ServerResponse): void | Promise<void>;
}

export function createHttpServer({ routes, logger }: { routes: HttpRoute[]; logger: Logger }): http.Server {
  const table = new Map(routes.map((r) => [`${r.method} ${r.path}`, r]));
  return http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
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
  });
}
