import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startSimulators, type LaunchedSimulators } from '../../sandbox/launch.js';
import { SANDBOX_VENDORS } from '../../src/sandbox.js';
import { startStubVendor, type StubVendor } from './stub-vendor.js';
import type { ParleyEvent } from '../../src/domain/events.js';

/**
 * The integrations catalog, credential verification at create and PATCH against every simulator,
 * and the account status lifecycle with its events.
 */
let t: TestParley;
let sims: LaunchedSimulators;

beforeAll(async () => {
  t = await startTestParley();
  sims = await startSimulators(SANDBOX_VENDORS.map((v) => v.simulator));
  // a subscriber, so that status changes are kept in the webhooks outbox (read below)
  const hook = await t.call('POST', '/webhooks', { url: 'http://127.0.0.1:9/parley', events: ['integrated_account.status_changed'] });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
}, 60_000);
afterAll(async () => {
  await sims?.close();
  await t?.close();
});

/** The status events in the webhooks outbox, as the receiver will get them. */
const events = async (): Promise<ParleyEvent[]> => {
  const rows = await t.parley.store.db.selectFrom('outbox').selectAll().where('type', '=', 'integrated_account.status_changed').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => {
    const body = JSON.parse(r.payload);
    return { type: body.type, tenantId: r.tenant_id, integratedAccountId: body.integrated_account_id, data: body.data };
  });
};

describe('GET /integrations', () => {
  it('lists every integration of the registry with auth kinds, credential JSON Schema and resources', async () => {
    const res = await t.call('GET', '/integrations');
    expect(res.status).toBe(200);
    expect(res.body.result_count).toBe(7);
    expect(res.body.next_cursor).toBeNull();
    const bySlug = Object.fromEntries(res.body.result.map((i: any) => [i.slug, i]));
    expect(Object.keys(bySlug).sort()).toEqual(['avoma', 'chorus', 'clari_copilot', 'fathom', 'fireflies', 'gong', 'grain']);
    expect(bySlug.gong.auth).toEqual(['api_key', 'oauth2']);
    expect(bySlug.fireflies.auth).toEqual(['api_key']);
    expect(bySlug.gong.credentials_schema).toMatchObject({
      type: 'object',
      required: ['access_key', 'access_key_secret'],
      properties: { access_key: { type: 'string', title: 'Access key' }, base_url: { type: 'string', format: 'uri' } },
    });
    expect(bySlug.gong.resources.interactions).toEqual(['native', 'computed']);
    expect(bySlug.chorus.resources.interactions).toEqual(['computed']);
    for (const i of res.body.result) expect(i.credentials_help.length).toBeGreaterThan(20);
  });

  it('pages like every list', async () => {
    const { all, pages } = await t.listAll('/integrations', 3);
    expect(all).toHaveLength(7);
    expect(pages).toBe(3);
  });
});

describe('credential verification', () => {
  it.each(SANDBOX_VENDORS.map((v, i) => [v.integration, i] as const))('%s: wrong keys are a 400 with the vendor answer and nothing stored; right keys are active', async (integration, i) => {
    const sim = sims.simulators[i]!;
    const vendor = SANDBOX_VENDORS[i]!;
    const right = vendor.credentials(sim);
    const wrong = Object.fromEntries(Object.entries(right).map(([k, v]) => [k, typeof v === 'string' && !k.includes('url') ? `${v}-wrong` : v]));
    const before = (await t.call('GET', '/integrated-accounts?limit=1000')).body.result_count;
    const rejected = await t.call('POST', '/integrated-accounts', { integration, credentials: wrong });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(400);
    expect(rejected.body).toMatchObject({ statusCode: 400, is_remote_error: true });
    expect(rejected.body.message).toMatch(/rejected these credentials/);
    expect(JSON.stringify(rejected.body)).not.toContain(`${Object.values(right).find((v) => typeof v === 'string' && !String(v).startsWith('http'))}-wrong`);
    expect((await t.call('GET', '/integrated-accounts?limit=1000')).body.result_count).toBe(before);
    const accepted = await t.call('POST', '/integrated-accounts', { integration, credentials: right });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body.status).toBe('active');
  }, 30_000);
});

describe('status lifecycle', () => {
  let stub: StubVendor;
  let revoked = false;
  beforeAll(async () => {
    // a Gong whose key gets revoked: /v2/users answers 401 once `revoked`, other paths 403 (a missing scope)
    stub = await startStubVendor((r) => {
      if (r.path === '/v2/users') return revoked ? { status: 401, body: { errors: ['revoked'] } } : { status: 200, body: { requestId: 'r', records: { totalRecords: 0, currentPageSize: 0, currentPageNumber: 0 }, users: [] } };
      return { status: 403, body: { errors: ['missing scope'] } };
    });
  });
  afterAll(() => stub.close());

  it('a 403 on a scoped request keeps active; a 401 to the scope-free request marks invalid_credentials and fires the event; PATCH with verified keys makes it active again', async () => {
    const created = await t.call('POST', '/integrated-accounts', { integration: 'gong', credentials: { access_key: 'k', access_key_secret: 's', base_url: stub.url } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const meetings = await t.call('GET', `/unified/conversational-intelligence/meetings?integrated_account_id=${id}&start_time=2024-01-01&end_time=2024-01-02`);
    expect(meetings.status).toBe(403);
    expect((await t.call('GET', `/integrated-accounts/${id}`)).body.status).toBe('active');

    revoked = true;
    const users = await t.call('GET', `/unified/conversational-intelligence/users?integrated_account_id=${id}`);
    expect(users.status).toBe(401);
    expect(users.body.is_remote_error).toBe(true);
    expect((await t.call('GET', `/integrated-accounts/${id}`)).body.status).toBe('invalid_credentials');
    expect((await events()).filter((e) => e.integratedAccountId === id)).toEqual([
      expect.objectContaining({ type: 'integrated_account.status_changed', tenantId: 'default', data: expect.objectContaining({ previous_status: 'active', status: 'invalid_credentials' }) }),
    ]);

    // still revoked: PATCH is verified too and refused without a change
    const refused = await t.call('PATCH', `/integrated-accounts/${id}`, { credentials: { access_key: 'k2', access_key_secret: 's2', base_url: stub.url } });
    expect(refused.status).toBe(400);
    expect(refused.body.is_remote_error).toBe(true);
    revoked = false;
    const fixed = await t.call('PATCH', `/integrated-accounts/${id}`, { credentials: { access_key: 'k3', access_key_secret: 's3', base_url: stub.url } });
    expect(fixed.status).toBe(200);
    expect(fixed.body.status).toBe('active');
    expect((await events()).filter((e) => e.integratedAccountId === id).map((e) => e.data.status)).toEqual(['invalid_credentials', 'active']);
  }, 30_000);

  it('a vendor that cannot be reached does not block: the account is stored active', async () => {
    const down = await startStubVendor();
    const url = down.url;
    await down.close();
    const res = await t.call('POST', '/integrated-accounts', { integration: 'avoma', credentials: { api_key: 'k', base_url: url } });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('active');
  }, 30_000);
});
