/**
 * `GET /healthz` (the process is up) and `GET /readyz` (200 once the index and tokenizer have
 * loaded, with the plan and build that are live; 503 before): what probes and the web page read.
 * With Redis configured, /readyz also says `redis: "ok"` or `"degraded"`: degraded (Redis away
 * or hung, this process's memory serving) still answers 200, because the bot still answers;
 * only dedupe, rate limits and conversations are no longer shared between replicas.
 */
import { sendJson } from '../channels/http-body.js';
import type { IndexInfo } from '../qa/types.js';
import type { HttpRoute } from '../server.js';

export interface HealthDeps {
  /** Set when REDIS_URL is: true while the in-memory fallback serves. */
  redisDegraded?: () => boolean;
}

export function createHealthRoutes(engine: { isReady(): boolean; info(): IndexInfo }, deps: HealthDeps = {}): HttpRoute[] {
  const redis = () => (deps.redisDegraded ? { redis: deps.redisDegraded() ? 'degraded' : 'ok' } : {});
  return [
    { method: 'GET', path: '/healthz', handle: (_req, res) => sendJson(res, 200, { ok: true }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: (_req, res) =>
        engine.isReady() ? sendJson(res, 200, { ready: true, ...engine.info(), ...redis() }) : sendJson(res, 503, { ready: false, ...redis() }),
    },
  ];
}
