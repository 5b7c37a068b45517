/**
 * The web chat page: `GET /` and its two assets, read once at start-up from `public/`, plus
 * the streaming question endpoint the page calls. Everything the page loads comes from this
 * server, so the Content-Security-Policy can be `default-src 'self'` (no inline script or
 * style either).
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config.js';
import type { HttpRoute } from '../../server.js';
import type { HttpQuestionOptions } from '../http-question.js';
import { createStreamRoute } from './stream-route.js';

/** The same options as the JSON API: the page obeys the same token and limits. */
export type WebRoutesOptions = HttpQuestionOptions;

export const CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

// Read from src/ however the server runs: the compiled server (dist/, one bundle) keeps no folders of its own.
const PUBLIC_DIR = path.join(PROJECT_ROOT, 'src/channels/web/public');
const ASSETS = [
  { path: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { path: '/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { path: '/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
] as const;

function staticRoute(path: string, type: string, body: Buffer): HttpRoute {
  return {
    method: 'GET',
    path,
    handle(_req: http.IncomingMessage, res: http.ServerResponse) {
      res.writeHead(200, {
        'content-type': type,
        'content-length': body.length,
        // Revalidate each time: a new deploy must not leave a stale app.js next to a new page.
        'cache-control': 'no-cache',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      });
      res.end(body);
    },
  };
}

export function createWebRoutes(options: WebRoutesOptions): HttpRoute[] {
  const routes = ASSETS.map(({ path: route, file, type }) => {
    let text = readFileSync(path.join(PUBLIC_DIR, file), 'utf8');
    // The page asks for the access key up front when WEB_TOKEN is set (it never learns the key itself).
    if (file === 'index.html' && options.token) text = text.replace('data-token="off"', 'data-token="required"');
    return staticRoute(route, type, Buffer.from(text, 'utf8'));
  });
  // Browsers ask for it on their own; an empty answer keeps 404s out of the log and the console.
  const favicon: HttpRoute = { method: 'GET', path: '/favicon.ico', handle: (_req, res) => void res.writeHead(204).end() };
  return [...routes, favicon, createStreamRoute(options)];
}
