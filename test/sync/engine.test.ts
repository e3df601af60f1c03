import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { clockAt } from '../../src/domain/clock.js';

/** One Gong account synced into the store by the engine, compared with the live answers. */
const NOW = '2024-06-12T18:00:00Z';
let sim: GongSimulator;
let t: TestParley;
let account: string;
const CI = '/unified/conversational-intelligence';

beforeAll(async () => {
  sim = await startGongSimulator({ pageSize: 20, now: () => new Date(Date.parse(NOW)), ratePerSecond: 50 });
  t = await startTestParley({}, { clock: clockAt(NOW) });
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url, },
    sync: { backfill_days: 10 },
  });
  expect(res.status).toBe(201);
  account = res.body.id;
}, 60_000);
afterAll(async () => {
  await t.close();
  await sim.close();
});

describe('sync engine', () => {
  it('backfills users, meetings, transcripts, per-call metrics and native buckets', async () => {
    const outcome = await t.parley.engine.run(account);
    expect(outcome).toBe('completed');
    const status = await t.call('GET', `/integrated-accounts/${account}/sync`);
    expect(status.status).toBe(200);
    expect(status.body.status).toBe('idle');
    expect(status.body.synced_through).toMatch(/^2024-06-12T18:00:0/);
    expect(status.body.synced_from).toBe('2024-06-02T00:00:00.000Z');
    const c = status.body.counts;
    expect(c.users).toBe(sim.dataset.users.length);
    expect(c.meetings).toBeGreaterThan(10);
    expect(c.transcripts).toBeGreaterThan(5);
    expect(c.call_metrics).toBeGreaterThan(5);
    expect(c.native_interactions).toBeGreaterThan(10);

    const live = await t.listAll(`${CI}/meetings?integrated_account_id=${account}&start_time=2024-06-02T00:00:00Z&end_time=2024-06-12T18:00:00Z`, 100);
    expect(live.all.length).toBe(c.meetings);
    const stored = await t.parley.synced.meetings(account, { limit: 1000 });
    expect(stored.map((m) => m.record)).toEqual([...live.all].sort((a, b) => (a.start_time < b.start_time ? -1 : a.start_time > b.start_time ? 1 : a.id < b.id ? -1 : 1)));
  });

  it('a second run re-reads only the look-back window and changes nothing', async () => {
    const before = sim.requests.length;
    const outcome = await t.parley.engine.run(account);
    expect(outcome).toBe('completed');
    const sent = sim.requests.slice(before);
    const calls = sent.filter((r) => r.path === '/v2/calls/extensive');
    expect(calls.length).toBeGreaterThan(0);
    for (const r of calls) expect((r.body as any).filter.fromDateTime >= '2024-06-09T18:00:00Z').toBe(true);
  });
});
