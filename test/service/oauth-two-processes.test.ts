import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { createParley, type Parley } from '../../src/server.js';
import { clockAt } from '../../src/domain/clock.js';
import type { Config } from '../../src/config.js';
import { dropPostgresSchema, dropRedisPrefix, freshPostgresSchema, freshRedisPrefix, postgresAvailable, redisAvailable, REDIS_URL } from '../helpers/services.js';

/**
 * Issue 11, "with two processes still one": two real Parley processes (test/service/fixtures/oauth-parley.ts)
 * share one PostgreSQL schema and one Redis, so the OAuth refresh lock is the Redis `LockService`. A
 * Gong account is connected through OAuth on process A (the browser's part by hand), its access token
 * expires (both processes' clocks and the simulator's are moved two hours on), and 25 concurrent reads
 * hit each process at once: all answer, and Gong saw exactly one refresh_token grant. Then a spent
 * refresh token comes back (a restored backup): one refused refresh, and both processes answer 409
 * `needs_reauth`.
 */
const START = Date.parse('2024-06-15T19:00:00Z');
const KEY = randomBytes(32);
const TOKEN = `boot_${randomBytes(12).toString('hex')}`;
const FIXTURE = new URL('./fixtures/oauth-parley.ts', import.meta.url).pathname;
const pgOk = await postgresAvailable();
const redisOk = await redisAvailable();
const ready = pgOk.ok && redisOk.ok;
const schema = `oauth2p_${process.pid}_${Date.now().toString(36)}`;
const prefix = freshRedisPrefix('oauth2p');
const started = performance.now();
let offsetMs = 0;
/** the simulator's clock: the children's, give or take the milliseconds between their starts */
const simNow = () => new Date(START + offsetMs + Math.round(performance.now() - started));

interface Child {
  child: ChildProcess;
  out: string[];
  port: number;
  locks: string;
  exited: Promise<unknown>;
}
const children: Child[] = [];
let gong: GongSimulator;
let databaseUrl = '';

async function waitForLine(c: Pick<Child, 'out' | 'exited'>, pattern: RegExp, withinMs: number): Promise<RegExpExecArray> {
  const until = Date.now() + withinMs;
  for (;;) {
    for (const line of c.out) {
      const m = pattern.exec(line);
      if (m) return m;
    }
    if (Date.now() > until) throw new Error(`no line matching ${pattern} within ${withinMs} ms:\n${c.out.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startChild(options: Record<string, unknown>): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: string[] = [];
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    const lines = (partial + String(d)).split('\n');
    partial = lines.pop()!;
    out.push(...lines);
  });
  child.stderr!.on('data', (d: Buffer) => out.push(String(d)));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const c = { child, out, exited };
  const port = Number((await waitForLine(c, /^listening (\d+)$/, 30_000))[1]);
  const locks = (await waitForLine(c, /^locks (\w+)$/, 5_000))[1]!;
  return { ...c, port, locks };
}

async function stopChild(c: Child): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  const timer = setTimeout(() => c.child.kill('SIGKILL'), 10_000);
  await c.exited;
  clearTimeout(timer);
}

/** moves the simulator's clock and both children's by `ms`, and waits until both have */
async function advance(ms: number): Promise<void> {
  offsetMs += ms;
  await Promise.all(
    children.map(async (c) => {
      const seen = c.out.filter((l) => l === `advanced ${ms}`).length;
      c.child.stdin!.write(`advance ${ms}\n`);
      const until = Date.now() + 5_000;
      while (c.out.filter((l) => l === `advanced ${ms}`).length === seen) {
        if (Date.now() > until) throw new Error(`child on port ${c.port} did not advance its clock`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }),
  );
}

async function call(c: Child, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${c.port}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const refreshes = () => gong.oauth.tokenRequests.filter((r) => r.grantType === 'refresh_token');

/** a Parley in this process on the same database, only to read and put back an account's (encrypted) credentials */
async function withStore<T>(fn: (p: Parley) => Promise<T>): Promise<T> {
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    production: false,
    databaseUrl,
    secretKey: KEY,
    sandbox: false,
    allowPrivateUpstreams: true,
    logLevel: 'silent',
    upstreamPatienceMs: 20_000,
    upstreamTimeoutMs: 5_000,
    role: 'api',
    syncConcurrency: 1,
  };
  const p = await createParley(config, { clock: clockAt(START), logger: pino({ level: 'silent' }) });
  try {
    return await fn(p);
  } finally {
    await p.close();
  }
}

beforeAll(async () => {
  if (!ready) return;
  gong = await startGongSimulator({ now: simNow, ratePerSecond: Infinity, perDay: Infinity, oauth: { accessTokenTtlS: 3600 } });
  databaseUrl = await freshPostgresSchema(schema);
  const options = {
    databaseUrl,
    secretKeyHex: KEY.toString('hex'),
    redisUrl: REDIS_URL,
    redisPrefix: prefix,
    bootstrapToken: TOKEN,
    nowMs: START,
    authorizeUrl: `${gong.url}/oauth2/authorize`,
    tokenUrl: `${gong.url}/oauth2/generate-customer-token`,
  };
  // one after the other: both run the migrations on the fresh schema
  children.push(await startChild(options));
  children.push(await startChild(options));
}, 80_000);
afterAll(async () => {
  await Promise.all(children.map((c) => stopChild(c)));
  await gong?.close();
  if (ready) {
    await dropPostgresSchema(schema).catch(() => {});
    await dropRedisPrefix(prefix);
  }
});

let accountId = '';
/** a listing of one day's meetings, live: a distinct day per request, so no two share a cached vendor page */
const meetingsOn = (i: number) => {
  const day = new Date(Date.parse('2024-04-20T00:00:00Z') + i * 86_400_000).toISOString().slice(0, 10);
  return `/unified/conversational-intelligence/meetings?integrated_account_id=${accountId}&start_time=${day}T00:00:00Z&end_time=${day}T23:59:59Z&read_from=live`;
};

describe.skipIf(!ready)('Gong OAuth refresh across two Parley processes (PostgreSQL + Redis)', () => {
  it('both processes take the refresh lock on Redis', () => {
    expect(children.map((c) => c.locks)).toEqual(['RedisLocks', 'RedisLocks']);
  });

  it('an account connected through OAuth on process A is read by both', { timeout: 30_000 }, async () => {
    const [a, b] = children as [Child, Child];
    const app = await call(a, 'PUT', '/integrations/gong/oauth-app', { client_id: gong.oauth.clientId, client_secret: gong.oauth.clientSecret });
    expect(app.status, JSON.stringify(app.body)).toBe(200);
    const session = await call(a, 'POST', '/connect-sessions', { end_user: { id: 'cust-7', name: 'Acme' }, integrations: ['gong'], redirect_url: 'https://tenant.example/done' });
    expect(session.status, JSON.stringify(session.body)).toBe(201);
    // the browser's part, by hand: the connect page's OAuth start, Gong's consent, the callback with the cookie
    const start = await fetch(`http://127.0.0.1:${a.port}/connect/${session.body.token}/gong/oauth`, { method: 'POST', redirect: 'manual' });
    expect(start.status, await start.clone().text()).toBe(303);
    const cookie = String(start.headers.get('set-cookie')).split(';')[0]!;
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location')!);
    expect(callback.origin).toBe(`http://127.0.0.1:${a.port}`);
    const back = await fetch(callback, { redirect: 'manual', headers: { cookie } });
    expect(back.status, await back.clone().text()).toBe(303);
    accountId = new URL(back.headers.get('location')!).searchParams.get('integrated_account_id')!;
    expect(accountId).toBeTruthy();
    expect(gong.oauth.tokenRequests).toEqual([{ grantType: 'authorization_code', status: 200 }]);
    for (const c of children) {
      const users = await call(c, 'GET', `/unified/conversational-intelligence/users?integrated_account_id=${accountId}&read_from=live`);
      expect(users.status, JSON.stringify(users.body)).toBe(200);
      expect(users.body.result.length).toBeGreaterThan(0);
    }
    expect((await call(b, 'GET', `/integrated-accounts/${accountId}`)).body.status).toBe('active');
    expect(refreshes()).toEqual([]);
  });

  let spent: Record<string, unknown> | undefined;

  it('25 concurrent reads at each process with an expired access token: all 200, exactly one refresh at Gong', { timeout: 50_000 }, async () => {
    spent = (await withStore((p) => p.store.accounts.getWithCredentialsById(accountId)))!.credentials;
    const vendorBefore = gong.requests.length;
    await advance(2 * 3600_000); // past the token's hour, for Gong and for both processes
    // Parley paces Gong at 3 requests/s per account (shared through Redis: the 50 take about 17 s), and
    // asks for the token as each request leaves: a slow token endpoint keeps the refresh running while
    // both processes' next requests find the token expired, so both reach for the lock at once
    gong.faults.push({ kind: 'timeout', method: 'POST', path: '/oauth2/generate-customer-token', afterMs: 1_500 });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(children[i % 2]!, 'GET', meetingsOn(i))),
    );
    expect(results.map((r) => r.status), JSON.stringify(results.find((r) => r.status !== 200)?.body)).toEqual(Array(50).fill(200));
    const vendorCalls = gong.requests.slice(vendorBefore).filter((r) => !r.path.startsWith('/oauth2/'));
    expect(refreshes()).toEqual([{ grantType: 'refresh_token', status: 200 }]);
    const now = (await withStore((p) => p.store.accounts.getWithCredentialsById(accountId)))!.credentials;
    expect(now.refresh_token).not.toBe(spent!.refresh_token);
    // refreshed ahead of use: every vendor request of both processes carried the one new access token
    expect(vendorCalls.length).toBe(50);
    expect(new Set(vendorCalls.map((r) => r.headers.authorization))).toEqual(new Set([`Bearer ${String(now.access_token)}`]));
    expect(now.expires_at as number).toBeGreaterThan(START + offsetMs);
  });

  it('a spent refresh token put back: one refused refresh, both processes answer needs_reauth', { timeout: 40_000 }, async () => {
    // a restored backup brings back the refresh token Gong already took in exchange
    await withStore((p) => p.store.accounts.replaceCredentialsById(accountId, spent!));
    const before = refreshes().length;
    const meetings = `/unified/conversational-intelligence/meetings?integrated_account_id=${accountId}&start_time=2024-06-03T00:00:00Z&end_time=2024-06-03T12:00:00Z&read_from=live`;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => call(children[i % 2]!, 'GET', meetings)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(409));
    for (const r of results) expect(r.body.message).toMatch(/needs re-authorization.*connect it again/);
    expect(refreshes().slice(before)).toEqual([{ grantType: 'refresh_token', status: 400 }]);
    for (const c of children) {
      expect((await call(c, 'GET', `/integrated-accounts/${accountId}`)).body.status).toBe('needs_reauth');
      expect((await call(c, 'GET', meetings)).status).toBe(409);
    }
    expect(refreshes().length - before).toBe(1);
  });
});
