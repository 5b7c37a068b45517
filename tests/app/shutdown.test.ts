/**
 * The graceful shutdown on a real HTTP server on 127.0.0.1, with the exit captured: it drains
 * and exits 0; a receiver that will not stop or a store that will not close cannot hold it past
 * its bounds; a second signal exits at once. (The whole process is tested in container-stop.)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createGracefulShutdown } from '../../src/app/shutdown.js';
import { createInFlight } from '../../src/conversation/in-flight.js';
import { createLogger } from '../../src/logger.js';
import { listening } from '../helpers/bot-process.js';

async function setUp(options: { graceMs?: number; closeMs?: number; stopReceiving?: () => Promise<void>; close?: () => Promise<void> } = {}) {
  const server = http.createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('debug', (line) => lines.push(JSON.parse(line)));
  const inFlight = createInFlight();
  let exited: (code: number) => void;
  const exit = new Promise<number>((resolve) => (exited = resolve));
  const shutdown = createGracefulShutdown({
    server,
    inFlight,
    logger,
    graceMs: options.graceMs ?? 5_000,
    closeMs: options.closeMs,
    stopReceiving: options.stopReceiving,
    close: options.close ?? (async () => undefined),
    exit: (code) => exited(code),
  });
  return { server, port, lines, inFlight, shutdown, exit };
}

describe('createGracefulShutdown', () => {
  it('stops listening, waits for the work in flight, closes, and exits 0', async () => {
    let closed = false;
    const t = await setUp({ close: async () => void (closed = true) });
    let finish!: () => void;
    void t.inFlight.track(new Promise<void>((resolve) => (finish = resolve)), 'line webhook');
    t.shutdown.onSignal('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    expect(await listening(t.port)).toBe(false);
    expect(closed).toBe(false);
    finish();
    expect(await t.exit).toBe(0);
    expect(closed).toBe(true);
    expect(t.lines[0]).toMatchObject({ msg: expect.stringMatching(/^shutting down/), signal: 'SIGTERM', inFlight: 1, pending: { 'line webhook': 1 } });
    expect(t.lines.at(-1)).toMatchObject({ msg: 'stopped', inFlight: 0 });
  });

  it('a receiver that never stops is bounded by the grace period: exit 1, saying what was left', async () => {
    const t = await setUp({ graceMs: 200, stopReceiving: () => new Promise(() => undefined) });
    void t.inFlight.track(new Promise(() => undefined), 'slack event');
    const started = Date.now();
    t.shutdown.onSignal('SIGTERM');
    expect(await t.exit).toBe(1);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(t.lines.find((l) => String(l.msg).startsWith('shutdown: grace period over'))).toMatchObject({ inFlight: 1, pending: { 'slack event': 1 } });
  });

  it('a store that never closes is bounded too', async () => {
    const t = await setUp({ closeMs: 200, close: () => new Promise(() => undefined) });
    t.shutdown.onSignal('SIGTERM');
    expect(await t.exit).toBe(1);
    expect(t.lines.some((l) => String(l.msg).startsWith('shutdown: closing the stores took too long'))).toBe(true);
  });

  it('a second signal exits at once', async () => {
    const t = await setUp();
    void t.inFlight.track(new Promise(() => undefined), 'question');
    t.shutdown.onSignal('SIGTERM');
    t.shutdown.onSignal('SIGINT');
    expect(await t.exit).toBe(1);
    expect(t.lines.find((l) => String(l.msg).startsWith('shutdown: second signal'))).toMatchObject({ signal: 'SIGINT', pending: { question: 1 } });
    t.server.closeAllConnections();
  });
});
