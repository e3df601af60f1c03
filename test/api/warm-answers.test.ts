import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Kysely, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { WARM_ANSWER_MS, WarmAnswers } from '../../src/api/warm-answers.js';
import { WriteGeneration } from '../../src/store/write-watch.js';

/**
 * Warm answers (src/api/warm-answers.ts): a store answer of a list page is sent again without
 * reading anything while no write of this process could have changed it and for at most
 * WARM_ANSWER_MS; live answers are never kept; the key holds the tenant.
 */
const T0 = Date.parse('2025-06-12T23:00:00Z');
const CI = '/unified/conversational-intelligence';
const dayPage = (account: string, readFrom = 'store') =>
  `${CI}/interactions?integrated_account_id=${account}&start_time=2025-06-09&end_time=2025-06-13&aggregation_period=day&metrics_source=computed&timezone=UTC&read_from=${readFrom}&limit=1000`;

/** a Gong account on `sim`, synced once (five days) */
async function syncedAccount(t: TestParley, sim: GongSimulator): Promise<string> {
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
    sync: { backfill_days: 5, lookback_days: 1 },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(await t.parley.engine.run(res.body.id)).toBe('completed');
  return res.body.id;
}

describe('warm answers through the API (SQLite)', () => {
  let sim: GongSimulator;
  let t: TestParley;
  let account: string;
  const now = T0;
  const page = () => dayPage(account);

  beforeAll(async () => {
    sim = await startGongSimulator({ now: () => new Date(now), pageSize: 50, ratePerSecond: Infinity });
    t = await startTestParley({}, { clock: { now: () => now } });
    account = await syncedAccount(t, sim);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('sends a store answer again without reading the sync state, byte for byte, with its data-as-of', async () => {
    const state = vi.spyOn(t.parley.synced, 'state');
    try {
      const first = await t.parley.app.inject({ method: 'GET', url: page(), headers: { authorization: `Bearer ${t.token}` } });
      expect(first.statusCode).toBe(200);
      expect(first.headers['parley-data-as-of']).toBeDefined();
      const reads = state.mock.calls.length;
      expect(reads).toBeGreaterThan(0);
      const again = await t.parley.app.inject({ method: 'GET', url: page(), headers: { authorization: `Bearer ${t.token}` } });
      expect(again.statusCode).toBe(200);
      expect(again.body).toBe(first.body);
      expect(again.headers['parley-data-as-of']).toBe(first.headers['parley-data-as-of']);
      expect(again.headers['content-type']).toBe(first.headers['content-type']);
      expect(state.mock.calls.length, 'the second answer read nothing').toBe(reads);
      // another URL is another answer
      await t.call('GET', `${page()}&users[][id]=nobody`);
      expect(state.mock.calls.length).toBeGreaterThan(reads);
    } finally {
      state.mockRestore();
    }
  });

  it('still authenticates first, and another tenant never gets a kept answer', async () => {
    expect((await t.call('GET', page())).status).toBe(200);
    expect((await t.call('GET', page(), undefined, 'not-a-token')).status).toBe(401);
    const tenant = await t.parley.store.tenants.create('Other tenant');
    const other = await t.parley.store.tokens.issue(tenant.id, 'test');
    const res = await t.call('GET', page(), undefined, other);
    expect(res.status).toBe(404);
  });

  it('never keeps a live answer: the second one is worked out again', async () => {
    const live = dayPage(account, 'live');
    const first = await t.call('GET', live);
    expect(first.status).toBe(200);
    expect(first.headers['parley-data-as-of']).toBeUndefined();
    const state = vi.spyOn(t.parley.synced, 'state');
    try {
      expect((await t.call('GET', live)).status).toBe(200);
      expect(state).toHaveBeenCalled();
    } finally {
      state.mockRestore();
    }
  });

  it('a write by this process is seen at once: a sync that changes the store, a deleted account', async () => {
    const before = await t.call('GET', page());
    expect(before.status).toBe(200);
    // the next sync run rewrites the store (a write, then a commit): the kept answer is not sent again
    const state = vi.spyOn(t.parley.synced, 'state');
    try {
      expect(await t.parley.engine.run(account)).toBe('completed');
      const reads = state.mock.calls.length;
      expect((await t.call('GET', page())).status).toBe(200);
      expect(state.mock.calls.length, 'answered afresh after the sync').toBeGreaterThan(reads);
    } finally {
      state.mockRestore();
    }
    expect((await t.call('GET', page())).status).toBe(200);
    expect((await t.call('DELETE', `/integrated-accounts/${account}`)).status).toBe(204);
    const gone = await t.call('GET', page());
    expect(gone.status).toBe(404);
  });
});

describe('warm answers and another process\'s writes', () => {
  it('a write through another connection to the same file is seen once WARM_ANSWER_MS has passed', async () => {
    const sim = await startGongSimulator({ now: () => new Date(T0), pageSize: 50, ratePerSecond: Infinity });
    const t = await startTestParley({}, { clock: { now: () => T0 } });
    const other = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(t.dbPath) }) });
    try {
      const account = await syncedAccount(t, sim);
      const url = dayPage(account);
      const before = await t.call('GET', url);
      expect(before.status).toBe(200);
      expect(before.body.result.length).toBeGreaterThan(0);
      // as `parley` on the command line, or a worker, would: this process's counter does not move
      await other.deleteFrom('integrated_accounts').where('id', '=', account).execute();
      await new Promise((r) => setTimeout(r, WARM_ANSWER_MS + 50));
      expect((await t.call('GET', url)).status).toBe(404);
    } finally {
      await other.destroy();
      await t.close();
      await sim.close();
    }
  }, 60_000);
});

describe('WarmAnswers', () => {
  const body = Buffer.from('{"result":[]}');
  it('keeps an answer until a write or WARM_ANSWER_MS, and nothing computed across a write', () => {
    let clock = 0;
    const writes = new WriteGeneration();
    const warm = new WarmAnswers(writes, { now: () => clock });
    warm.ticket('a').remember(body, 'application/json', '2025-01-01T00:00:00.000Z');
    expect(warm.lookup('a')?.body).toBe(body);
    clock = WARM_ANSWER_MS - 1;
    expect(warm.lookup('a')).toBeDefined();
    clock = WARM_ANSWER_MS;
    expect(warm.lookup('a')).toBeUndefined();

    warm.ticket('b').remember(body, 'application/json', 'x');
    writes.bump();
    expect(warm.lookup('b')).toBeUndefined();

    const across = warm.ticket('c');
    writes.bump(); // a sync page landed while this answer was being computed
    across.remember(body, 'application/json', 'x');
    expect(warm.lookup('c')).toBeUndefined();
    expect(warm.size).toBe(0);
  });

  it('holds at most 1,000 answers, the oldest out first', () => {
    const warm = new WarmAnswers(new WriteGeneration(), { now: () => 0 });
    for (let i = 0; i < 1_005; i++) warm.ticket(`k${i}`).remember(body, 'application/json', 'x');
    expect(warm.size).toBe(1_000);
    expect(warm.lookup('k0')).toBeUndefined();
    expect(warm.lookup('k1004')).toBeDefined();
  });
});
