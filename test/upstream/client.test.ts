import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UpstreamClient, createDispatchers, parseRetryAfter } from '../../src/upstream/client.js';
import { RateBudget } from '../../src/upstream/rate-budget.js';
import { RemoteError } from '../../src/domain/errors.js';

type Script = (req: IncomingMessage, res: ServerResponse, n: number) => void;
let script: Script = (_q, res) => res.end('{}');
const arrivals: { at: number; path: string; auth?: string; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    arrivals.push({ at: performance.now(), path: req.url ?? '', auth: req.headers.authorization, body });
    script(req, res, arrivals.length);
  });
});
let base = '';
const dispatchers = createDispatchers(2_000);

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await dispatchers.any.close();
  await dispatchers.publicOnly.close();
});

function client(overrides: { perSecond?: number; patienceMs?: number } = {}) {
  arrivals.length = 0;
  return new UpstreamClient({
    vendor: 'Vendor',
    baseUrl: base,
    headers: { authorization: 'Basic c2VjcmV0' },
    budget: new RateBudget({ perSecond: overrides.perSecond ?? 1000 }),
    dispatcher: dispatchers.any,
    timeoutMs: 500,
    patienceMs: overrides.patienceMs ?? 10_000,
    retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 },
  });
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

describe('upstream client', () => {
  it('sends the method, path, query, JSON body and auth header it is given', async () => {
    script = (_q, res) => json(res, 200, { ok: true });
    const c = client();
    const res = await c.request({ method: 'POST', path: '/v2/stats/interaction', query: { a: '1' }, body: { filter: { x: 1 } } });
    expect(res.body).toEqual({ ok: true });
    expect(arrivals[0]).toMatchObject({ path: '/v2/stats/interaction?a=1', auth: 'Basic c2VjcmV0', body: '{"filter":{"x":1}}' });
  });

  it('retries 5xx with backoff, then succeeds', async () => {
    script = (_q, res, n) => (n < 3 ? json(res, 503, { errors: ['busy'] }) : json(res, 200, { ok: n }));
    const res = await client().request({ method: 'GET', path: '/x' });
    expect(res.body).toEqual({ ok: 3 });
    expect(arrivals).toHaveLength(3);
    expect(arrivals[2]!.at - arrivals[1]!.at).toBeGreaterThanOrEqual(9);
  });

  it('gives up on persistent 5xx with a 502 carrying the vendor body', async () => {
    script = (_q, res) => json(res, 500, { errors: ['boom'] });
    const err = await client().request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err.statusCode).toBe(502);
    expect(err.rawResponse).toEqual({ errors: ['boom'] });
    expect(arrivals).toHaveLength(4);
  });

  it('waits out a 429 Retry-After and then succeeds, without sending in between', async () => {
    script = (_q, res, n) => (n === 1 ? json(res, 429, { errors: ['slow down'] }, { 'retry-after': '1' }) : json(res, 200, {}));
    await client().request({ method: 'GET', path: '/x' });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('retries a 429 without Retry-After with backoff', async () => {
    script = (_q, res, n) => (n < 3 ? json(res, 429, { errors: ['slow down'] }) : json(res, 200, {}));
    await client().request({ method: 'GET', path: '/x' });
    expect(arrivals).toHaveLength(3);
  });

  it('turns a Retry-After beyond its patience into a 429 RemoteError with retryAfter', async () => {
    script = (_q, res) => json(res, 429, { errors: ['daily limit'] }, { 'retry-after': '3600' });
    const err = await client({ patienceMs: 2000 }).request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err.statusCode).toBe(429);
    expect(err.retryAfterSeconds).toBe(3600);
    expect(err.rawResponse).toEqual({ errors: ['daily limit'] });
    expect(arrivals).toHaveLength(1);
  });

  it('keeps a vendor 4xx status, and passes through statuses the caller accepts', async () => {
    script = (_q, res) => json(res, 401, { errors: ['bad key'] });
    const err = await client().request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err.statusCode).toBe(401);
    expect(err.message).toContain('bad key');
    script = (_q, res) => json(res, 404, { errors: ['No stats found'] });
    const res = await client().request({ method: 'GET', path: '/x', passStatuses: [404] });
    expect(res.status).toBe(404);
  });

  it('reports a malformed 200 body as a 502 with the raw text', async () => {
    script = (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"truncated": ');
    };
    const err = await client().request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err.statusCode).toBe(502);
    expect(err.rawResponse).toBe('{"truncated": ');
  });

  it('retries connection resets and timeouts, then reports 502', async () => {
    script = (req) => req.socket.destroy();
    const reset = await client().request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(reset.statusCode).toBe(502);
    expect(arrivals).toHaveLength(4);
    script = () => {}; // never answers: the 500 ms timeout fires
    const slow = await client().request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(slow.statusCode).toBe(502);
    expect(slow.message).toMatch(/could not be reached/);
  });

  it('paces concurrent requests under the budget before sending', async () => {
    script = (_q, res) => json(res, 200, {});
    const c = client({ perSecond: 3 });
    await Promise.all(Array.from({ length: 7 }, () => c.request({ method: 'GET', path: '/x' })));
    const at = arrivals.map((a) => a.at).sort((a, b) => a - b);
    // a sliding window of 3 per second: bursts of three are fine, a fourth waits out the second
    for (let i = 3; i < at.length; i++) expect(at[i]! - at[i - 3]!).toBeGreaterThan(1000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
