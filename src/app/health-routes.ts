/**
 * `GET /healthz` (the process is up) and `GET /readyz` (200 once the index and tokenizer have
 * loaded, with the plan and build that are live; 503 before): what probes and the web page read.
 */
import { sendJson } from '../channels/http-body.js';
import type { IndexInfo } from '../qa/types.js';
import type { HttpRoute } from '../server.js';

export function createHealthRoutes(engine: { isReady(): boolean; info(): IndexInfo }): HttpRoute[] {
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, 200, { ok: true }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: (_req, res) => (engine.isReady() ? sendJson(res, 200, { ready: true, ...engine.info() }) : sendJson(res, 503, { ready: false })),
    },
  ];
}
