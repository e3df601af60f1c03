import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { UpstreamClient, createDispatchers, parseRetryAfter } from '../../src/upstream/client.js';
import { RateBudget, type SendBudget } from '../../src/upstream/rate-budget.js';
import { RemoteError, RequestAbortedError } from '../../src/domain/errors.js';

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

function client(
  overrides: { perSecond?: number; patienceMs?: number; timeoutMs?: number; budget?: SendBudget; signal?: AbortSignal; stopSending?: AbortSignal; dispatcher?: Agent; retryDelayMs?: number } = {},
) {
  arrivals.length = 0;
  return new UpstreamClient({
    vendor: 'Vendor',
    baseUrl: base,
    headers: { authorization: 'Basic c2VjcmV0' },
    budget: overrides.budget ?? new RateBudget({ perSecond: overrides.perSecond ?? 1000 }),
    dispatcher: overrides.dispatcher ?? dispatchers.any,
    timeoutMs: overrides.timeoutMs ?? 500,
    patienceMs: overrides.patienceMs ?? 10_000,
    retry: { maxAttempts: 4, baseDelayMs: overrides.retryDelayMs ?? 20, maxDelayMs: overrides.retryDelayMs ?? 100 },
    signal: overrides.signal,
    ...(overrides.stopSending ? { stopSending: overrides.stopSending } : {}),
  });
}

/** a request the test server keeps open until the client gives up */
const hang: Script = () => {};

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

describe('upstream client: hung vendors', () => {
  it('gives one attempt at most 2/3 of the patience, so a hung attempt is retried in time', async () => {
    script = (_q, res, n) => (n === 1 ? hang(_q, res, n) : json(res, 200, { ok: n }));
    const started = performance.now();
    const res = await client({ timeoutMs: 60_000, patienceMs: 900 }).request({ method: 'GET', path: '/x' });
    expect(res.body).toEqual({ ok: 2 });
    expect(arrivals).toHaveLength(2);
    expect(arrivals[1]!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(590); // the first attempt got 600 ms
    expect(performance.now() - started).toBeLessThan(2_000); // not the 60 s of timeoutMs
  });

  it('ends a call that only meets hung attempts with a 502 within its patience', async () => {
    script = hang;
    const started = performance.now();
    const err = await client({ timeoutMs: 60_000, patienceMs: 900 }).request({ method: 'GET', path: '/x' }).catch((e) => e);
    const took = performance.now() - started;
    expect(err).toBeInstanceOf(RemoteError);
    expect(err.statusCode).toBe(502);
    expect(err.message).toMatch(/could not be reached .*no complete answer within/);
    expect(took).toBeLessThan(2_000);
  });

  it('reports the vendor\'s failure, not its own budget, when the next slot comes too late', async () => {
    script = hang;
    const err = await client({ perSecond: 0.4, timeoutMs: 60_000, patienceMs: 1_500 }).request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err.statusCode).toBe(502);
    expect(err.message).toMatch(/could not be reached .*no complete answer within 1000 ms/);
    expect(arrivals).toHaveLength(1);
  });

  it('takes a patience per call, longer than the client\'s (background work may wait longer)', async () => {
    script = (_q, res, n) => (n === 1 ? json(res, 429, { errors: ['slow down'] }, { 'retry-after': '1' }) : json(res, 200, {}));
    const c = client({ patienceMs: 500 });
    const res = await c.request({ method: 'GET', path: '/x', patienceMs: 3_000 });
    expect(res.status).toBe(200);
    expect(arrivals).toHaveLength(2);
  });
});

describe('upstream client: statuses that are no answer', () => {
  it('turns a vendor redirect into a 502 with the vendor body, never following it or retrying', async () => {
    script = (_q, res) => json(res, 302, { moved: true }, { location: 'http://169.254.169.254/latest/meta-data/' });
    const err = await client().request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err.statusCode).toBe(502);
    expect(err.rawResponse).toEqual({ moved: true });
    expect(err.message).toMatch(/redirect \(302\).*does not follow/);
    expect(arrivals).toHaveLength(1);
    for (const status of [301, 303, 307, 308, 304]) {
      script = (_q, res) => json(res, status, {}, { location: 'https://elsewhere.example/' });
      const e = await client().request({ method: 'GET', path: '/x' }).catch((x) => x);
      expect(e.statusCode, String(status)).toBe(502);
    }
  });
});

describe('upstream client: bounded answers', () => {
  it('refuses an answer larger than its limit with a 502, without buffering the rest', async () => {
    script = (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ padding: 'x'.repeat(5_000) }));
    };
    const c = new UpstreamClient({
      vendor: 'Vendor',
      baseUrl: base,
      headers: {},
      budget: new RateBudget({ perSecond: 1000 }),
      dispatcher: dispatchers.any,
      timeoutMs: 500,
      patienceMs: 2_000,
      maxResponseBytes: 1_000,
    });
    arrivals.length = 0;
    const err = await c.request({ method: 'GET', path: '/x' }).catch((e) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err.statusCode).toBe(502);
    expect(err.message).toMatch(/more than 1000 bytes/);
    expect(arrivals).toHaveLength(1);
  });
});

describe('upstream client: cancellation', () => {
  const abortSoon = (ms: number) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), ms);
    return controller.signal;
  };

  async function endsAtOnce(promise: Promise<unknown>, abortAfterMs: number) {
    const started = performance.now();
    const err = (await promise.catch((e) => e)) as RequestAbortedError;
    expect(err).toBeInstanceOf(RequestAbortedError);
    expect(err.statusCode).toBe(499);
    expect(err.message).toBe('the client closed the request');
    // every wait in these tests would last seconds without the abort
    expect(performance.now() - started).toBeLessThan(abortAfterMs + 1_000);
  }

  it('ends a wait for the rate budget at once', async () => {
    script = (_q, res) => json(res, 200, {});
    const budget = new RateBudget({ perSecond: 0.2 });
    await client({ budget }).request({ method: 'GET', path: '/x' });
    await endsAtOnce(client({ budget, signal: abortSoon(100) }).request({ method: 'GET', path: '/x' }), 100);
    expect(arrivals).toHaveLength(0);
  });

  it('ends a Retry-After wait and a backoff at once', async () => {
    script = (_q, res) => json(res, 429, { errors: ['slow down'] }, { 'retry-after': '5' });
    await endsAtOnce(client({ signal: abortSoon(100) }).request({ method: 'GET', path: '/x' }), 100);
    script = (_q, res) => json(res, 503, { errors: ['busy'] });
    const c = client({ retryDelayMs: 5_000 });
    await endsAtOnce(c.request({ method: 'GET', path: '/x', signal: abortSoon(100) }), 100);
    expect(arrivals).toHaveLength(1);
  });

  it('ends a request in flight at once, closing its connection', async () => {
    script = hang;
    let closed = false;
    server.once('request', (req) => req.socket.once('close', () => (closed = true)));
    await endsAtOnce(client({ timeoutMs: 5_000, signal: abortSoon(100) }).request({ method: 'GET', path: '/x' }), 100);
    await new Promise((r) => setTimeout(r, 50));
    expect(closed).toBe(true);
  });

  it('gives back the place of a request that was admitted but never left the pool', async () => {
    script = hang;
    const events: string[] = [];
    const budget: SendBudget = {
      async acquire() {
        const n = events.length;
        let open = true;
        const once = (event: string) => () => {
          if (open) events.push(`${event} ${n}`);
          open = false;
        };
        return { ok: true, permit: { sent: once('sent'), release: once('released') } };
      },
      pauseUntil() {},
    };
    const onePool = new Agent({ connections: 1 });
    try {
      const first = client({ budget, dispatcher: onePool, timeoutMs: 5_000, signal: abortSoon(300) }).request({ method: 'GET', path: '/x' });
      await new Promise((r) => setTimeout(r, 50));
      events.push('queued');
      // the only connection is taken: this one waits in the pool, admitted but unsent
      const second = client({ budget, dispatcher: onePool, timeoutMs: 5_000, signal: abortSoon(100) }).request({ method: 'GET', path: '/x' });
      await endsAtOnce(second, 100);
      await endsAtOnce(first, 300);
      expect(events).toEqual(['sent 0', 'queued', 'released 2']);
    } finally {
      await onePool.destroy();
    }
  });

  it('refuses to start once the signal has fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await endsAtOnce(client({ signal: controller.signal }).request({ method: 'GET', path: '/x' }), 0);
    expect(arrivals).toHaveLength(0);
  });

  it('stopSending: a call on the wire finishes and keeps its answer; calls waiting for a slot or not yet sent end unsent', async () => {
    const stop = new AbortController();
    script = (_q, res) => setTimeout(() => json(res, 200, { ok: true }), 300);
    // one request a second: the second call waits for its slot when the stop comes
    const c = client({ perSecond: 1, timeoutMs: 2_000, stopSending: stop.signal });
    const onTheWire = c.request({ method: 'GET', path: '/slow' });
    const waiting = c.request({ method: 'GET', path: '/queued' }).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    expect((await onTheWire).body).toEqual({ ok: true });
    expect(await waiting).toBeInstanceOf(RequestAbortedError);
    await expect(c.request({ method: 'GET', path: '/after' })).rejects.toBeInstanceOf(RequestAbortedError);
    expect(arrivals.map((a) => a.path)).toEqual(['/slow']);
  });
});
