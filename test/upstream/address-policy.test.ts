import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBaseUrl, isPublicAddress, type Lookup } from '../../src/upstream/address-policy.js';
import { UpstreamClient, createDispatchers } from '../../src/upstream/client.js';
import { RateBudget } from '../../src/upstream/rate-budget.js';
import { RemoteError } from '../../src/domain/errors.js';

/** base URLs a tenant must not be able to point Parley at, and why */
const REFUSED: [string, string][] = [
  ['https://127.0.0.1/', 'loopback'],
  ['https://2130706433/', 'loopback, decimal spelling'],
  ['https://0x7f.1/', 'loopback, hex spelling'],
  ['https://0.0.0.0/', 'this host'],
  ['https://10.1.2.3/', 'private'],
  ['https://172.16.0.1/', 'private'],
  ['https://192.168.1.1/', 'private'],
  ['https://100.64.0.1/', 'carrier-grade NAT'],
  ['https://169.254.169.254/', 'link-local (cloud metadata)'],
  ['https://192.0.0.1/', 'IETF protocol assignments 192.0.0.0/24'],
  ['https://192.0.2.1/', 'documentation TEST-NET-1'],
  ['https://198.51.100.1/', 'documentation TEST-NET-2'],
  ['https://203.0.113.1/', 'documentation TEST-NET-3'],
  ['https://198.18.0.1/', 'benchmarking'],
  ['https://192.88.99.1/', '6to4 relay anycast'],
  ['https://224.0.0.1/', 'multicast'],
  ['https://240.0.0.1/', 'reserved'],
  ['https://255.255.255.255/', 'broadcast'],
  ['https://[::1]/', 'IPv6 loopback'],
  ['https://[::]/', 'IPv6 unspecified'],
  ['https://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
  ['https://[::ffff:a9fe:a9fe]/', 'IPv4-mapped metadata'],
  ['https://[::7f00:1]/', 'IPv4-compatible loopback'],
  ['https://[::ffff:0:7f00:1]/', 'SIIT (IPv4-translated) loopback'],
  ['https://[2002:7f00:1::]/', '6to4 of loopback'],
  ['https://[2002:a9fe:a9fe::1]/', '6to4 of metadata'],
  ['https://[64:ff9b::a9fe:a9fe]/', 'NAT64 of metadata'],
  ['https://[64:ff9b::7f00:1]/', 'NAT64 of loopback'],
  ['https://[64:ff9b:1::a9fe:a9fe]/', 'local-use NAT64'],
  ['https://[2001::1]/', 'Teredo'],
  ['https://[fec0::1]/', 'site-local (deprecated)'],
  ['https://[fc00::1]/', 'unique local'],
  ['https://[fd12:3456::1]/', 'unique local'],
  ['https://[fe80::1]/', 'link-local'],
  ['https://[ff02::1]/', 'multicast'],
  ['https://[2001:db8::1]/', 'documentation'],
  ['https://[100::1]/', 'discard-only'],
  ['https://localhost/', 'localhost'],
  ['https://localhost./', 'localhost, absolute form'],
  ['https://api.localhost/', 'a localhost subdomain'],
  ['https://ip6-localhost/', 'Debian\'s IPv6 loopback name'],
  ['https://ip6-loopback/', 'Debian\'s IPv6 loopback name'],
  ['https://metadata.google.internal/', 'GCP metadata'],
  ['https://metadata.google.internal./', 'GCP metadata, absolute form'],
  ['https://metadata/', 'single label (resolved with search domains)'],
  ['https://printer.local/', 'mDNS'],
  ['https://router.home.arpa/', 'home network'],
];

const ALLOWED = [
  'https://api.gong.io/',
  'https://api.gong.io./',
  'https://us-12345.api.gong.io/',
  'https://8.8.8.8/',
  'https://1.1.1.1:8443/v2',
  'https://[2606:4700::1111]/',
  'https://[2a00:1450:4001:80b::200e]/',
  'https://[::ffff:8.8.8.8]/', // IPv4-mapped public
  'https://[64:ff9b::808:808]/', // NAT64 of a public address (IPv6-only networks with DNS64)
  'https://[2002:808:808::1]/', // 6to4 of a public address
];

describe('address policy at account creation (checkBaseUrl)', () => {
  it.each(REFUSED)('refuses %s (%s)', (url) => {
    expect(checkBaseUrl(url, false)).toMatch(/PARLEY_ALLOW_PRIVATE_UPSTREAMS/);
  });

  it.each(ALLOWED)('allows %s', (url) => {
    expect(checkBaseUrl(url, false)).toBeUndefined();
  });

  it('allows anything http(s) when private upstreams are allowed, but never credentials in the URL', () => {
    expect(checkBaseUrl('http://127.0.0.1:8080', true)).toBeUndefined();
    expect(checkBaseUrl('https://user:pw@api.gong.io', true)).toMatch(/credentials/);
    expect(checkBaseUrl('http://api.gong.io', false)).toMatch(/https/);
    expect(checkBaseUrl('ftp://api.gong.io', false)).toMatch(/http\(s\)/);
  });
});

describe('address policy per connection (isPublicAddress)', () => {
  const literal = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, '');
  it.each(REFUSED.filter(([url]) => /^\S+\/\/[[\d]/.test(url) && !/\/\/[a-z]/.test(url)))('%s is not public (%s)', (url) => {
    expect(isPublicAddress(literal(url))).toBe(false);
  });
  it.each(ALLOWED.filter((url) => !/\/\/[a-z]/.test(url)))('%s is public', (url) => {
    expect(isPublicAddress(literal(url))).toBe(true);
  });
  it('is false for names and garbage', () => {
    expect(isPublicAddress('api.gong.io')).toBe(false);
    expect(isPublicAddress('')).toBe(false);
    expect(isPublicAddress('1.2.3')).toBe(false);
  });
});

describe('address policy at connect time', () => {
  let connections = 0;
  const server = createServer((_req, res) => res.end('{}'));
  server.on('connection', () => (connections += 1));
  let port = 0;
  let lookups = 0;
  // a vendor-looking name that resolves to loopback (DNS rebinding, or a tenant's own DNS)
  const rebinding: Lookup = (_hostname, _options, callback) => {
    lookups += 1;
    callback(null, [{ address: '127.0.0.1', family: 4 }]);
  };
  const dispatchers = createDispatchers(2_000, rebinding);
  const warnings: object[] = [];

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await dispatchers.publicOnly.close();
    await dispatchers.any.close();
  });

  const client = (baseUrl: string) =>
    new UpstreamClient({
      vendor: 'Gong',
      baseUrl,
      headers: {},
      budget: new RateBudget({ perSecond: 1000 }),
      dispatcher: dispatchers.publicOnly,
      timeoutMs: 2_000,
      patienceMs: 10_000,
      retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 40 },
      logger: { debug() {}, warn: (obj) => warnings.push(obj) },
    });

  it('refuses a name that resolves to a private address, once, without naming the address', async () => {
    lookups = 0;
    warnings.length = 0;
    const err = await client(`http://vendor.example:${port}`).request({ method: 'GET', path: '/v2/users' }).catch((e) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err.statusCode).toBe(502);
    expect(err.message).toMatch(/^Gong could not be reached \(GET \/v2\/users\): the address of vendor\.example is not a public one; refused/);
    expect(err.message).not.toContain('127.0.0.1');
    expect(lookups).toBe(1); // one attempt only
    expect(warnings).toEqual([]);
    expect(connections).toBe(0);
  });

  it('refuses an IP literal, which never goes through DNS, once', async () => {
    warnings.length = 0;
    const err = await client(`http://127.0.0.1:${port}`).request({ method: 'GET', path: '/v2/users' }).catch((e) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err.statusCode).toBe(502);
    expect(err.message).toMatch(/not a public one; refused/);
    expect(warnings).toEqual([]);
    expect(connections).toBe(0);
  });
});
