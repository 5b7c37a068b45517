import { describe, expect, it } from 'vitest';
import { createLogger, withLogContext } from '../src/logger.js';

describe('logger', () => {
  it('writes one JSON line with the level name and censors secrets at any of three levels', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    logger.info('request', {
      token: 'tok-1',
      headers: { Authorization: 'Bearer tok-2', 'x-line-signature': 'sig-3' },
      options: { client: { channelSecret: 'sec-4' } },
      error: Object.assign(new Error('boom'), { code: 'E1', stack: 'at secret-body' }),
      path: '/line/webhook',
    });
    logger.debug('not at info');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'info', msg: 'request', path: '/line/webhook', error: { name: 'Error', message: 'boom', code: 'E1' } });
    for (const secret of ['tok-1', 'tok-2', 'sig-3', 'sec-4', 'secret-body']) expect(lines[0]).not.toContain(secret);
  });
});

describe('log context', () => {
  it("gives each line the context's fields and its own, never an earlier line's", () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger('info', (line) => lines.push(JSON.parse(line)));
    withLogContext({ reqId: 'r1' }, () => {
      logger.info('answer failed', { error: new Error('boom'), answerMs: 12 });
      logger.info('request', { path: '/api/ask', status: 500 });
      logger.info('plain line');
    });
    withLogContext({ reqId: 'r2' }, () => logger.info('other request'));
    expect(lines.map(({ time: _time, ...rest }) => rest)).toEqual([
      { level: 'info', reqId: 'r1', msg: 'answer failed', error: { name: 'Error', message: 'boom' }, answerMs: 12 },
      { level: 'info', reqId: 'r1', msg: 'request', path: '/api/ask', status: 500 },
      { level: 'info', reqId: 'r1', msg: 'plain line' },
      { level: 'info', reqId: 'r2', msg: 'other request' },
    ]);
  });
});
