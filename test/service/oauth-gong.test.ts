import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { createParley, type Parley } from '../../src/server.js';
import { InProcessLocks } from '../../src/coordination/locks.js';
import { DEFAULT_TENANT_ID } from '../../src/store/repositories.js';
import type { Clock } from '../../src/domain/clock.js';
import { pino } from 'pino';

/**
 * Gong through OAuth end to end against the simulator: the connect page's OAuth start, the
 * authorization, the callback (state bound to the browser), the token exchange with Basic client
 * auth, api_base_url_for_customer as the base URL; refresh ahead of expiry exactly once under a
 * crowd (in one process and across two sharing a lock), a 401 → one refresh and one retry, and a
 * reused refresh token → needs_reauth, an event and a clear error.
 */
const START = Date.parse('2024-06-15T19:00:00Z');
let offsetMs = 0;
const clock: Clock = { now: () => START + offsetMs };
let gong: GongSimulator;
let t: TestParley;

beforeAll(async () => {
  gong = await startGongSimulator({ now: () => new Date(clock.now()), ratePerSecond: Infinity, oauth: { accessTokenTtlS: 3600 } });
  t = await startTestParley({}, { clock });
  t.parley.oauthEndpoints.override('gong', { authorizeUrl: `${gong.url}/oauth2/authorize`, tokenUrl: `${gong.url}/oauth2/generate-customer-token` });
  const app = await t.call('PUT', '/integrations/gong/oauth-app', { client_id: gong.oauth.clientId, client_secret: gong.oauth.clientSecret });
  expect(app.status, JSON.stringify(app.body)).toBe(200);
  expect(JSON.stringify(app.body)).not.toContain(gong.oauth.clientSecret);
  // a subscriber, so that status changes are kept in the webhooks outbox
  const hook = await t.call('POST', '/webhooks', { url: 'http://127.0.0.1:9/parley', events: ['integrated_account.status_changed'] });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await gong?.close();
});

const refreshes = () => gong.oauth.tokenRequests.filter((r) => r.grantType === 'refresh_token');

/** The browser's part, by hand: start on the connect page, follow Gong's redirect, come back with the cookie. */
let callbackCode = '';
async function connectThroughOAuth(parley: Parley, token: string): Promise<string> {
  const start = await parley.app.inject({ method: 'POST', url: `/connect/${token}/gong/oauth`, headers: { host: 'parley.test' } });
  expect(start.statusCode, start.body).toBe(303);
  const cookie = String(start.headers['set-cookie']).split(';')[0]!;
  expect(String(start.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Lax/);
  const authorize = new URL(String(start.headers.location));
  expect(authorize.searchParams.get('redirect_uri')).toBe('http://parley.test/connect/oauth/callback');
  const consent = await fetch(authorize, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const callback = new URL(consent.headers.get('location')!);
  callbackCode = callback.searchParams.get('code')!;
  // without the browser's cookie the state is refused (login CSRF), and a refused state is spent
  const back = await parley.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers: { host: 'parley.test', cookie } });
  expect(back.statusCode, back.body).toBe(303);
  const done = new URL(String(back.headers.location));
  expect(done.origin).toBe('https://tenant.example');
  return done.searchParams.get('integrated_account_id')!;
}

async function newSession(): Promise<string> {
  const res = await t.call('POST', '/connect-sessions', { end_user: { id: 'cust-42', name: 'Acme' }, integrations: ['gong'], redirect_url: 'https://tenant.example/done' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.token;
}

let accountId: string;

describe('Gong OAuth connect', () => {
  it('a callback without the browser cookie is refused; with it the account is created with the customer base URL', async () => {
    const token = await newSession();
    const start = await t.parley.app.inject({ method: 'POST', url: `/connect/${token}/gong/oauth`, headers: { host: 'parley.test' } });
    const consent = await fetch(String(start.headers.location), { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    const forged = await t.parley.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}`, headers: { host: 'parley.test', cookie: 'parley_oauth=someone-else' } });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toMatch(/another browser/);

    accountId = await connectThroughOAuth(t.parley, token);
    const account = await t.call('GET', `/integrated-accounts/${accountId}`);
    expect(account.body).toMatchObject({ integration: 'gong', status: 'active' });
    const stored = await t.parley.store.accounts.getWithCredentialsById(accountId);
    expect(stored?.credentials).toMatchObject({ auth: 'oauth2', base_url: gong.url });
    expect(stored?.endUser).toEqual({ id: 'cust-42', name: 'Acme' });
    expect(gong.oauth.tokenRequests).toEqual([{ grantType: 'authorization_code', status: 200 }]);
    const basic = gong.requests.filter((r) => r.path === '/oauth2/generate-customer-token').map((r) => String(r.headers.authorization));
    expect(basic.every((h) => h.startsWith('Basic '))).toBe(true);

    const users = await t.call('GET', `/unified/conversational-intelligence/users?integrated_account_id=${accountId}`);
    expect(users.status, JSON.stringify(users.body)).toBe(200);
    expect(users.body.result.length).toBeGreaterThan(0);
    // tokens, the client secret and the code never reach a log or a response
    const creds = stored!.credentials as Record<string, string>;
    const logs = t.logs.join('\n');
    for (const secret of [creds.access_token!, creds.refresh_token!, gong.oauth.clientSecret, callbackCode]) expect(logs).not.toContain(secret);
    expect(JSON.stringify(account.body)).not.toContain(creds.access_token!);
    // the session was single use
    const again = await t.parley.app.inject({ method: 'GET', url: `/connect/${token}` });
    expect(again.statusCode).toBe(410);
  }, 30_000);

  it('50 concurrent requests with an expired access token: exactly one refresh at Gong, every request answered', async () => {
    offsetMs += 2 * 3600_000; // past the token's hour
    const before = refreshes().length;
    const results = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const { session } = await t.parley.accounts.open(DEFAULT_TENANT_ID, accountId);
        return session.users!.list();
      }),
    );
    expect(results.every((r) => r.records.length > 0)).toBe(true);
    expect(refreshes().slice(before)).toEqual([{ grantType: 'refresh_token', status: 200 }]);
  }, 60_000);

  it('a 401 from Gong (token revoked early): one refresh, one retry, the request succeeds', async () => {
    gong.oauth.expireAccessTokens(); // Parley still thinks the token is good for an hour
    const before = refreshes().length;
    const { session } = await t.parley.accounts.open(DEFAULT_TENANT_ID, accountId);
    const page = await session.users!.list();
    expect(page.records.length).toBeGreaterThan(0);
    expect(refreshes().length - before).toBe(1);
  }, 30_000);

  it('two processes sharing a lock and a database: still one refresh (the second re-reads after the lock)', async () => {
    const locks = new InProcessLocks();
    const config = { ...t.config };
    const silent = pino({ level: 'silent' });
    const a = await createParley(config, { clock, locks, logger: silent });
    const b = await createParley(config, { clock, locks, logger: silent });
    try {
      for (const p of [a, b]) p.oauthEndpoints.override('gong', { tokenUrl: `${gong.url}/oauth2/generate-customer-token`, authorizeUrl: `${gong.url}/oauth2/authorize` });
      offsetMs += 2 * 3600_000;
      const before = refreshes().length;
      const results = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const { session } = await (i % 2 ? a : b).accounts.open(DEFAULT_TENANT_ID, accountId);
          return session.users!.list();
        }),
      );
      expect(results.every((r) => r.records.length > 0)).toBe(true);
      expect(refreshes().length - before).toBe(1);
      expect(a.oauthTokens.refreshes + b.oauthTokens.refreshes).toBe(1);
    } finally {
      await a.close();
      await b.close();
    }
  }, 60_000);

  it('a refresh token used twice: Gong refuses it, the account needs re-authorization, an event, a clear error on reads', async () => {
    const stale = await t.parley.store.accounts.getWithCredentialsById(accountId);
    offsetMs += 2 * 3600_000;
    const { session } = await t.parley.accounts.open(DEFAULT_TENANT_ID, accountId);
    await session.users!.list(); // refreshes: stale.refresh_token is spent
    // a restored backup (or a process that never saw the refresh) brings the spent token back
    await t.parley.store.accounts.replaceCredentialsById(accountId, stale!.credentials);
    offsetMs += 2 * 3600_000;
    const meetings = (day: string) => `/unified/conversational-intelligence/meetings?integrated_account_id=${accountId}&start_time=${day}T00:00:00Z&end_time=${day}T12:00:00Z`;
    const read = await t.call('GET', meetings('2024-06-03'));
    expect(read.status, JSON.stringify(read.body)).toBe(409);
    expect(read.body.message).toMatch(/needs re-authorization.*connect it again/);
    expect(refreshes().at(-1)).toEqual({ grantType: 'refresh_token', status: 400 });
    expect((await t.call('GET', `/integrated-accounts/${accountId}`)).body.status).toBe('needs_reauth');
    const events = (await t.parley.store.db.selectFrom('outbox').select('payload').where('type', '=', 'integrated_account.status_changed').where('account_id', '=', accountId).execute()).map((r) => JSON.parse(r.payload));
    expect(events.map((e) => e.data.status)).toEqual(['needs_reauth']);
    // no further refresh attempts: the account is parked until the end user connects again
    const count = refreshes().length;
    expect((await t.call('GET', meetings('2024-06-04'))).status).toBe(409);
    expect(refreshes().length).toBe(count);
  }, 30_000);
});
