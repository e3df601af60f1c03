import { isIP, type Socket } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { buildConnector } from 'undici';

/**
 * Which upstream addresses an integrated account may reach. By default only https to public
 * addresses: a tenant must not be able to point Parley at the host's loopback, its private network
 * or a cloud metadata service.
 *
 * "Public" is ipaddr.js's `unicast` range — every IANA special-purpose block (private, loopback,
 * link-local, CGNAT, documentation, benchmarking, 6to4 relay anycast, site-local, …) is something
 * else — after unwrapping the IPv6 forms that carry an IPv4 address (mapped, compatible, SIIT,
 * NAT64, 6to4), which are judged by the IPv4 address they lead to. It is checked twice: on the
 * `base_url` when an account is created or opened (a 400 naming the problem), and on every
 * connection, against the address about to be connected (resolved names and IP literals alike),
 * so DNS rebinding cannot slip past the first check.
 */

/** Names that always denote this host or its private network, whatever DNS says. */
const LOCAL_NAME = /(^|\.)(localhost|localdomain|local|internal|home\.arpa)$|^ip6-(localhost|loopback)$/;

/** The IPv4 address an IPv6 address leads to, where the form embeds one. */
function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = v6.parts;
  const fromWords = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  switch (v6.range()) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d (SIIT)
      return fromWords(p[6]!, p[7]!);
    case 'rfc6052': // NAT64 64:ff9b::/96; the local-use /48 has no fixed position: refused below
      return p[1] === 0xff9b && p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 ? fromWords(p[6]!, p[7]!) : undefined;
    case '6to4': // 2002:AABB:CCDD::/48
      return fromWords(p[1]!, p[2]!);
    default:
      // IPv4-compatible ::a.b.c.d (deprecated, still routed by some stacks); ipaddr calls it unicast
      return p.slice(0, 6).every((w) => w === 0) ? fromWords(p[6]!, p[7]!) : undefined;
  }
}

/** True only for a public unicast IP address; false for anything else, names included. */
export function isPublicAddress(ip: string): boolean {
  if (!isIP(ip)) return false;
  const addr = ipaddr.parse(ip);
  if (addr.kind() === 'ipv4') return addr.range() === 'unicast';
  const v4 = embeddedIPv4(addr as ipaddr.IPv6);
  if (v4) return v4.range() === 'unicast';
  return addr.range() === 'unicast';
}

/** A message naming what is wrong with `baseUrl` under the policy, or undefined when it is allowed. */
export function checkBaseUrl(baseUrl: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `"${baseUrl}" is not an absolute URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL';
  if (url.username || url.password) return 'must not carry credentials';
  if (allowPrivate) return undefined;
  if (url.protocol !== 'https:') {
    return 'must use https:// (set PARLEY_ALLOW_PRIVATE_UPSTREAMS=true to allow http:// and private addresses)';
  }
  // the URL parser already normalised IPv4 spellings (0x7f.1, 2130706433) and IPv6 literals
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  const literal = isIP(host) !== 0;
  if (literal ? !isPublicAddress(host) : LOCAL_NAME.test(host) || !host.includes('.')) {
    return literal
      ? 'points at a loopback, private or reserved address (set PARLEY_ALLOW_PRIVATE_UPSTREAMS=true to allow it)'
      : 'names a local, private or single-label host rather than the vendor\'s public one (set PARLEY_ALLOW_PRIVATE_UPSTREAMS=true to allow it)';
  }
  return undefined;
}

/** The error of a refused connection: never retried, and it names no address. */
export class RefusedUpstreamAddress extends Error {
  readonly code = 'EPRIVATEUPSTREAM';
  constructor(hostname: string) {
    super(`the address of ${hostname} is not a public one; refused (set PARLEY_ALLOW_PRIVATE_UPSTREAMS=true to allow private upstreams)`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type Lookup = (hostname: string, options: object, callback: LookupCallback) => void;

/** A DNS lookup for the socket layer that refuses names resolving to any non-public address. */
export function publicOnlyLookup(lookup: Lookup = dnsLookup as Lookup): Lookup {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      if (list.length === 0 || list.some((a) => !isPublicAddress(a.address))) return callback(new RefusedUpstreamAddress(hostname), []);
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

type Connect = buildConnector.connector;

/**
 * undici's connector, checking the address it is about to connect to: an IP literal here (the
 * socket layer never calls `lookup` for one), a resolved name in `publicOnlyLookup`.
 */
export function publicOnlyConnector(options: { timeout: number; lookup?: Lookup }): Connect {
  const connect = buildConnector({ timeout: options.timeout, lookup: publicOnlyLookup(options.lookup) as never });
  return (opts, callback) => {
    if (isIP(opts.hostname) !== 0 && !isPublicAddress(opts.hostname)) {
      callback(new RefusedUpstreamAddress(opts.hostname), null);
      return;
    }
    return connect(opts, callback as (err: Error | null, socket: Socket | null) => void);
  };
}
