/**
 * Who the client of an HTTP request is, for the per-client limit and the API's user. A client
 * writes its own `X-Forwarded-For`, so only what trusted proxies appended counts: the header is
 * read from the right (each proxy appends the address it saw), past the trusted hops, and the
 * first address no trusted proxy vouches for is the client. From a peer that is not a trusted
 * proxy the header is ignored. The same rule as Express's `trust proxy`
 * (https://expressjs.com/en/guide/behind-proxies.html).
 */
import type http from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { TrustProxy } from '../config.js';

export type ClientAddressFn = (req: http.IncomingMessage) => string;

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
function plain(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** `203.0.113.7:51234` and `[2001:db8::1]:443` (some proxies add the port) → the address alone. */
function withoutPort(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(entry);
  return v4 ? v4[1] : entry;
}

function forwardedChain(req: http.IncomingMessage): string[] {
  const header = req.headers['x-forwarded-for'];
  const joined = Array.isArray(header) ? header.join(',') : (header ?? '');
  return joined
    .split(',')
    .map((entry) => plain(withoutPort(entry.trim())))
    .filter(Boolean);
}

function blockListOf(addresses: string[]): BlockList {
  const list = new BlockList();
  for (const entry of addresses) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

export function createClientAddress(trust: TrustProxy | undefined): ClientAddressFn {
  const peerOf = (req: http.IncomingMessage) => plain(req.socket.remoteAddress ?? '');
  if (!trust || ('hops' in trust && trust.hops === 0)) return peerOf;
  if ('hops' in trust) {
    // The peer is the nearest proxy; each of the `hops` proxies appended one address.
    return (req) => {
      const chain = [...forwardedChain(req), peerOf(req)];
      return chain[Math.max(0, chain.length - 1 - trust.hops)];
    };
  }
  const trusted = blockListOf(trust.addresses);
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (req) => {
    const chain = [...forwardedChain(req), peerOf(req)];
    let i = chain.length - 1;
    while (i > 0 && isTrusted(chain[i])) i -= 1;
    return chain[i];
  };
}
