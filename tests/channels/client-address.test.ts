/** Whose address keys the per-client limit: the peer, unless trusted proxies vouch for X-Forwarded-For. */
import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { createClientAddress } from '../../src/channels/client-address.js';
import { createLogger } from '../../src/logger.js';

const request = (peer: string, forwarded?: string | string[]) =>
  ({ headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded }, socket: { remoteAddress: peer } }) as unknown as http.IncomingMessage;

describe('createClientAddress', () => {
  it('without TRUST_PROXY is the peer, whatever the header says', () => {
    const address = createClientAddress(undefined);
    expect(address(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
    expect(address(request('::ffff:203.0.113.5'))).toBe('203.0.113.5');
    expect(createClientAddress({ hops: 0 })(request('203.0.113.5', '198.51.100.1'))).toBe('203.0.113.5');
  });

  it('without TRUST_PROXY, says once that a forwarded header was ignored (a proxy in front that nobody configured)', () => {
    const lines: string[] = [];
    const address = createClientAddress(undefined, createLogger('info', (line) => lines.push(line)));
    address(request('10.0.0.1'));
    expect(lines).toEqual([]);
    address(request('10.0.0.1', '203.0.113.5'));
    address(request('10.0.0.1', '203.0.113.6'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'warn', msg: expect.stringContaining('TRUST_PROXY is off') });
  });

  it('with a hop count, skips that many hops from the right, peer included', () => {
    expect(createClientAddress({ hops: 1 })(request('10.0.0.1', 'forged, 203.0.113.5'))).toBe('203.0.113.5');
    expect(createClientAddress({ hops: 2 })(request('10.0.0.1', 'forged, 203.0.113.5, 10.0.0.2'))).toBe('203.0.113.5');
    // Two headers are one list, in order; ports and brackets are dropped.
    expect(createClientAddress({ hops: 1 })(request('10.0.0.1', ['forged', '203.0.113.5:4431']))).toBe('203.0.113.5');
    expect(createClientAddress({ hops: 1 })(request('10.0.0.1', '[2001:db8::7]:443'))).toBe('2001:db8::7');
    // Fewer hops than trusted: the left-most there is.
    expect(createClientAddress({ hops: 3 })(request('10.0.0.1', '203.0.113.5'))).toBe('203.0.113.5');
    expect(createClientAddress({ hops: 1 })(request('10.0.0.1'))).toBe('10.0.0.1');
  });

  it('with addresses, walks left past trusted proxies to the first untrusted hop; an untrusted peer is the client', () => {
    const address = createClientAddress({ addresses: ['10.0.0.0/8', '2001:db8::/32'] });
    expect(address(request('10.0.0.1', 'forged, 203.0.113.5, 10.9.9.9'))).toBe('203.0.113.5');
    expect(address(request('::ffff:10.0.0.1', 'forged, 203.0.113.5'))).toBe('203.0.113.5');
    expect(address(request('2001:db8::1', 'forged, 2001:db9::5'))).toBe('2001:db9::5');
    expect(address(request('203.0.113.9', 'forged, 10.0.0.3'))).toBe('203.0.113.9');
    // Every hop trusted: the left-most, as far as anyone can tell.
    expect(address(request('10.0.0.1', '10.0.0.2'))).toBe('10.0.0.2');
    // An entry that is no address is never a trusted proxy: the walk stops there, and it is the key.
    expect(address(request('10.0.0.1', 'forged, not-an-ip'))).toBe('not-an-ip');
  });
});
