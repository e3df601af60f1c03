import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createParleyClient, ParleyApiError, type ListPath, type ParleyClient } from '../../sdk/index.js';
import { generateSchemaSource } from '../../sdk/generate.js';
import { SANDBOX_VENDORS } from '../../src/sandbox.js';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startVendor, VENDORS, type VendorUnderTest } from '../sync/vendors.js';

/**
 * The typed SDK (sdk/): its generated part equals what the routes of this checkout generate, and
 * its paging layer lists every resource of an account of every sandbox vendor through `for await`,
 * equal to one big page read with plain HTTP. The simulators are the sandbox's, on a pinned calendar
 * (the sandbox itself runs on today's, which a test must not depend on).
 */
const CI = '/unified/conversational-intelligence';
const NOW = Date.parse('2025-06-12T15:00:00Z');

describe('sdk', () => {
  let t: TestParley;
  const vendors: VendorUnderTest[] = [];
  const sandbox: { accounts: { id: string; integration: string }[] } = { accounts: [] };
  let parley: ParleyClient;

  beforeAll(async () => {
    t = await startTestParley({}, { clock: clockAt(NOW) });
    await t.parley.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.parley.app.server.address() as { port: number };
    parley = createParleyClient({ baseUrl: `http://127.0.0.1:${address.port}`, token: t.token });
    for (const name of VENDORS) {
      const vendor = await startVendor(name, NOW);
      vendors.push(vendor);
      const account = await parley.unwrap(parley.client.POST('/integrated-accounts', { body: { integration: vendor.integration, credentials: vendor.credentials } as never }));
      sandbox.accounts.push({ id: account.id, integration: account.integration });
    }
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await Promise.all(vendors.map((v) => v.close()));
  });

  it('sdk/schema.ts is what `npm run sdk:generate` makes of the current routes (run it when this fails)', async () => {
    const doc = (await t.call('GET', '/openapi.json')).body;
    const fresh = await generateSchemaSource(doc);
    const committed = readFileSync(fileURLToPath(new URL('../../sdk/schema.ts', import.meta.url)), 'utf8');
    expect(committed === fresh, 'sdk/schema.ts is stale: run `npm run sdk:generate` and commit the result').toBe(true);
  });

  it('lists every resource of every sandbox account through for await', async () => {
    expect([...VENDORS].sort()).toEqual(SANDBOX_VENDORS.map((v) => v.integration).sort());
    // days before the pinned today: every meeting in it has its transcript by now
    const range = { start_time: '2025-06-05', end_time: '2025-06-12' };
    const accounts = [];
    for await (const a of parley.list('/integrated-accounts', { limit: 2 })) accounts.push(a);
    expect(accounts.map((a) => a.id).sort()).toEqual(sandbox.accounts.map((a) => a.id).sort());

    // every list route of the unified API in the current document, so routes merged later are listed too
    const doc = (await t.call('GET', '/openapi.json')).body as { paths: Record<string, { get?: { parameters?: { name: string; in: string; required?: boolean }[] } }> };
    const routes = Object.entries(doc.paths)
      .filter(([path, item]) => path.startsWith(`${CI}/`) && !path.includes('{') && item.get)
      .map(([path, item]) => ({ path, params: (item.get!.parameters ?? []).filter((p) => p.in === 'query') }));
    const CORE = ['users', 'meetings', 'transcripts', 'interactions'].map((r) => `${CI}/${r}`);
    expect(routes.map((r) => r.path)).toEqual(expect.arrayContaining(CORE));

    const served = new Map<string, string[]>();
    for (const { id, integration } of sandbox.accounts) {
      const firstMeeting = await parley.list(`${CI}/meetings`, { integrated_account_id: id, ...range, limit: 1 }).next();
      expect(firstMeeting.done, `${integration}: no meeting in the last week`).toBe(false);
      for (const route of routes) {
        const query: Record<string, string | number> = { integrated_account_id: id, include_remote_data: 'false', limit: 3 };
        for (const p of route.params) {
          if (p.name === 'start_time' || p.name === 'end_time') query[p.name] = range[p.name];
          else if (p.name === 'meeting_id') query.meeting_id = (firstMeeting.value as { id: string }).id;
          else if (p.name === 'aggregation_period') query.aggregation_period = 'week';
          else if (p.required && !(p.name in query)) throw new Error(`${route.path}: this test has no value for the required parameter ${p.name}; add one`);
        }
        const listed: unknown[] = [];
        try {
          for await (const r of parley.list(route.path as ListPath, query as never)) listed.push(r);
        } catch (e) {
          // a resource an integration does not serve must say so cleanly; the core resources every integration serves
          if (CORE.includes(route.path) || !(e instanceof ParleyApiError) || e.status >= 500) throw new Error(`${integration} ${route.path}: ${String(e)}`);
          continue;
        }
        // small pages followed by the SDK = one big page read directly: nothing skipped or repeated
        const qs = new URLSearchParams(Object.entries({ ...query, limit: undefined }).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
        expect(listed, `${integration} ${route.path}`).toEqual((await t.listAll(`${route.path}?${qs}`, 1000)).all);
        if (CORE.includes(route.path)) expect(listed.length, `${integration} ${route.path}`).toBeGreaterThan(0);
        served.set(route.path, [...(served.get(route.path) ?? []), integration]);
      }
    }
    for (const core of CORE) expect(served.get(core)?.sort(), core).toEqual(sandbox.accounts.map((a) => a.integration).sort());
    for (const route of routes) expect(served.get(route.path)?.length ?? 0, `${route.path}: served by no sandbox account`).toBeGreaterThan(0);
  }, 180_000);

  it('errors are ParleyApiError with the status, Parley\'s message and the request id', async () => {
    const iterate = async () => {
      for await (const _ of parley.list(`${CI}/interactions`, { integrated_account_id: 'no-such-account', start_time: '2025-06-01', end_time: '2025-06-08' })) void _;
    };
    const error = await iterate().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ParleyApiError);
    expect((error as ParleyApiError).status).toBe(404);
    expect((error as ParleyApiError).message).toMatch(/^404 /);
    expect((error as ParleyApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await parley.unwrap(parley.client.GET('/integrated-accounts', { params: { query: { limit: 5000 } } })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ParleyApiError);
    expect((bad as ParleyApiError).body?.message).toMatch(/limit/);
    const unauthorized = createParleyClient({ baseUrl: `http://127.0.0.1:${(t.parley.app.server.address() as { port: number }).port}`, token: 'prl_nope' });
    const denied = await unauthorized.unwrap(unauthorized.client.GET('/integrated-accounts', {})).catch((e: unknown) => e);
    expect((denied as ParleyApiError).status).toBe(401);
  });
});
