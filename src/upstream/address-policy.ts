import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';

/**
 * Which upstream addresses an integrated account may reach. By default only https to public
 * addresses: a tenant must not be able to point Parley at the host's loopback or private network.
 */
const privateRanges = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  privateRanges.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (mapped) return privateRanges.check(mapped[1]!, 'ipv4');
    return privateRanges.check(ip, 'ipv6');
  }
  return privateRanges.check(ip, 'ipv4');
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
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)) {
    return 'points at a loopback or private address (set PARLEY_ALLOW_PRIVATE_UPSTREAMS=true to allow it)';
  }
  return undefined;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A DNS lookup for the socket layer that refuses names resolving to private addresses (DNS rebinding). */
export function publicOnlyLookup(hostname: string, options: object, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) {
      const e: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private address; refused`);
      e.code = 'EPRIVATEUPSTREAM';
      return callback(e, []);
    }
    if ((options as { all?: boolean }).all) return callback(null, list);
    const first = list[0]!;
    return callback(null, first.address, first.family);
  });
}
