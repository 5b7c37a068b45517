import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

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
