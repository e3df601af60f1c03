import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { SANDBOX_VENDORS, startSandbox, type RunningSandbox } from '../../src/sandbox.js';
import type { Clock } from '../../src/domain/clock.js';

/**
 * Connect sessions through the API and the page's server side: validation, single use, expiry, no
 * tenant token in the page, HTML errors; and the sandbox's connect link (banner) connecting a
 * simulator with the keys it shows, and Gong through the simulator's OAuth.
 */
const START = Date.parse('2024-06-15T19:00:00Z');
let offsetMs = 0;
const clock: Clock = { now: () => START + offsetMs };
let t: TestParley;
let sandbox: RunningSandbox;

beforeAll(async () => {
  t = await startTestParley({ allowPrivateUpstreams: false }, { clock });
  sandbox = await startSandbox(t.parley);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await sandbox?.close();
});

const page = (url: string, init: { method?: 'GET' | 'POST'; form?: Record<string, string>; headers?: Record<string, string> } = {}) =>
  t.parley.app.inject({
    method: init.method ?? 'GET',
    url,
    headers: { ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers },
    ...(init.form ? { payload: new URLSearchParams(init.form).toString() } : {}),
  });

describe('POST /connect-sessions', () => {
  it('answers {token, url, expires_at} (30 minutes) and validates its body', async () => {
    const ok = await t.call('POST', '/connect-sessions', { end_user: { id: 'u1' }, integrations: ['gong'], redirect_url: 'https://tenant.example/back' });
    expect(ok.status).toBe(201);
    expect(Object.keys(ok.body).sort()).toEqual(['expires_at', 'token', 'url']);
    expect(ok.body.url).toBe(`http://localhost:80/connect/${ok.body.token}`);
    expect(Date.parse(ok.body.expires_at) - clock.now()).toBe(30 * 60_000);
    for (const [body, message] of [
      [{}, /end_user/],
      [{ end_user: { id: 'u1' }, integrations: ['gong', 'nope'] }, /integrations\[1\]: unknown integration "nope"/],
      [{ end_user: { id: 'u1' }, redirect_url: 'http://tenant.example/back' }, /redirect_url: must use https/],
      [{ end_user: { id: 'u1' }, redirect_url: 'not a url' }, /redirect_url/],
    ] as const) {
      const res = await t.call('POST', '/connect-sessions', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
    expect((await t.call('POST', '/connect-sessions', { end_user: { id: 'u1' } }, '')).status).toBe(401);
  });

  it('the page needs no API token and never contains one; it offers only the allowed integrations', async () => {
    const s = await t.call('POST', '/connect-sessions', { end_user: { id: 'u1', name: 'Grace <script>' }, integrations: ['fireflies'] });
    const res = await page(`/connect/${s.body.token}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).not.toContain(t.token);
    expect(res.body).toContain('Grace &lt;script&gt;');
    expect(res.body).toContain('Fireflies');
    expect(res.body).not.toContain('>Gong');
    expect((await page(`/connect/${s.body.token}/gong`)).statusCode).toBe(404);
    const form = await page(`/connect/${s.body.token}/fireflies`);
    expect(form.body).toMatch(/<label for="f-api_key">API key<\/label>/);
    expect(form.body).toContain('Sandbox simulator: enter api_key = ');
    // the session token is a credential: never in a log line
    expect(t.logs.join('\n')).toContain('/connect/[REDACTED]');
    expect(t.logs.join('\n')).not.toContain(s.body.token);
  });

  it('an expired or unknown link is an HTML page saying so', async () => {
    const s = await t.call('POST', '/connect-sessions', { end_user: { id: 'u2' } });
    offsetMs += 31 * 60_000;
    const expired = await page(`/connect/${s.body.token}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.headers['content-type']).toMatch(/text\/html/);
    expect(expired.body).toMatch(/expired/);
    expect((await page('/connect/cs_nope')).statusCode).toBe(404);
  });
});

describe('the sandbox connect link', () => {
  it.each(SANDBOX_VENDORS.map((v) => v.integration))('GET /connect opens a fresh session; the simulator keys it shows connect %s; the account records the end user', async (integration) => {
    const open = await page('/connect');
    expect(open.statusCode).toBe(303);
    const link = String(open.headers.location);
    const hint = (await page(`${link}/${integration}`)).body;
    const values = Object.fromEntries([...hint.matchAll(/(\w+) = ([^,(]+?)(?:,| \()/g)].map((m) => [m[1]!, m[2]!.trim()]));
    expect(Object.keys(values).length).toBeGreaterThan(1);
    const done = await page(`${link}/${integration}`, { method: 'POST', form: values });
    expect(done.statusCode, done.body).toBe(200);
    const id = /id="integrated-account-id">([^<]+)</.exec(done.body)![1]!;
    const account = await t.parley.store.accounts.get('default', id);
    expect(account).toMatchObject({ integration, status: 'active', endUser: { id: 'sandbox-user' } });
  }, 30_000);

  it('connects Gong through the simulator OAuth without any curl', async () => {
    const link = String((await page('/connect')).headers.location);
    expect((await page(`${link}/gong`)).body).toContain('Sign in with Gong');
    const start = await page(`${link}/gong/oauth`, { method: 'POST', headers: { host: 'parley.test' } });
    expect(start.statusCode).toBe(303);
    const consent = await fetch(String(start.headers.location), { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    const cookie = String(start.headers['set-cookie']).split(';')[0]!;
    const done = await page(`${callback.pathname}${callback.search}`, { headers: { host: 'parley.test', cookie } });
    expect(done.statusCode, done.body).toBe(200);
    const id = /id="integrated-account-id">([^<]+)</.exec(done.body)![1]!;
    const users = await t.call('GET', `/unified/conversational-intelligence/users?integrated_account_id=${id}`);
    expect(users.status, JSON.stringify(users.body)).toBe(200);
  }, 30_000);
});
