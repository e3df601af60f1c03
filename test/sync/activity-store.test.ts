import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { dropPostgresSchema, freshPostgresSchema, postgresAvailable } from '../helpers/services.js';
import { startVendor, VENDORS, type VendorUnderTest } from './vendors.js';

/**
 * Activity, Scorecards and Scorecard templates synced and read from the store: the store answers
 * what the vendor answers (Gong's own counters and scorecards on SQLite and PostgreSQL; activity
 * computed from the synced meetings for every other vendor), with the data-as-of header, and 409s
 * what it cannot answer.
 */
const NOW = Date.parse('2025-06-12T15:00:00Z'); // a Thursday
const CI = '/unified/conversational-intelligence';

function withoutResponseIds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutResponseIds);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'requestId').map(([k, x]) => [k, withoutResponseIds(x)]));
  return v;
}

async function both(t: TestParley, url: string): Promise<{ live: unknown[]; store: unknown[] }> {
  const live = await t.listAll(`${url}&read_from=live`, 1000);
  const first = await t.call('GET', `${url}&read_from=store&limit=1000`);
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  expect(first.headers['parley-data-as-of']).toMatch(/^2025-06-12T15:00:0/);
  const store = await t.listAll(`${url}&read_from=store`, 3);
  return { live: withoutResponseIds(live.all) as unknown[], store: withoutResponseIds(store.all) as unknown[] };
}

const byId = (list: unknown[]) => [...(list as { id: string }[])].sort((a, b) => (a.id < b.id ? -1 : 1));

const DATABASES = [
  { name: 'SQLite', url: async () => ({ url: undefined as string | undefined, cleanup: async () => {} }) },
  {
    name: 'PostgreSQL',
    url: async () => {
      const schema = `w10_activity_${process.pid}_${Date.now() % 100000}`;
      return { url: await freshPostgresSchema(schema), cleanup: () => dropPostgresSchema(schema) };
    },
  },
];

for (const db of DATABASES) {
  describe(`gong activity and scorecards synced, on ${db.name}`, () => {
    let skip: string | undefined;
    let vendor: VendorUnderTest;
    let t: TestParley;
    let account: string;
    let cleanup = async () => {};

    beforeAll(async () => {
      if (db.name === 'PostgreSQL') {
        const available = await postgresAvailable();
        if (!available.ok) {
          skip = available.why;
          return;
        }
      }
      const target = await db.url();
      cleanup = target.cleanup;
      vendor = await startVendor('gong', NOW);
      t = await startTestParley(target.url ? { databaseUrl: target.url } : {}, { clock: clockAt(NOW) });
      const res = await t.call('POST', '/integrated-accounts', { integration: 'gong', credentials: vendor.credentials, sync: { backfill_days: 20 } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      account = res.body.id;
      expect(await t.parley.engine.run(account)).toBe('completed');
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await vendor?.close();
      await cleanup();
    });

    it('the sync asked Gong for activity by period and for scorecards by review date, with cursors in the body', async (ctx) => {
      if (skip) return ctx.skip(skip);
      const byPeriod = vendor.requests.filter((r) => r.path === '/v2/stats/activity/aggregate-by-period');
      expect(new Set(byPeriod.map((r) => (r.body as any).aggregationPeriod))).toEqual(new Set(['DAY', 'WEEK', 'MONTH']));
      for (const r of byPeriod) expect((r.body as any).filter.toDate <= '2025-06-12').toBe(true);
      const scorecards = vendor.requests.filter((r) => r.path === '/v2/stats/activity/scorecards');
      expect(scorecards.length).toBeGreaterThan(0);
      for (const r of scorecards) expect((r.body as any).filter).toMatchObject({ reviewFromDate: expect.any(String), reviewToDate: expect.any(String), reviewMethod: 'BOTH' });
        // the templates stream, and once more for the question texts of answers (cached per account)
      expect(vendor.requests.filter((r) => r.path === '/v2/settings/scorecards').length).toBeLessThanOrEqual(2);
      const status = await t.call('GET', `/integrated-accounts/${account}/sync`);
      expect(status.body.status).toBe('idle');
      expect(status.body.counts.activity).toBeGreaterThan(0);
      expect(status.body.counts.scorecards).toBeGreaterThan(0);
      expect(status.body.counts.scorecard_templates).toBe(2);
    });

    it('activity from the store equals Gong, per day, ISO week and month; a total is a 409 from the store', async (ctx) => {
      if (skip) return ctx.skip(skip);
      let records = 0;
      for (const q of [
        'start_time=2025-06-02&end_time=2025-06-12&aggregation_period=day',
        'start_time=2025-05-26&end_time=2025-06-09&aggregation_period=week',
        'start_time=2025-06-01&end_time=2025-06-13&aggregation_period=month',
      ]) {
        const { live, store } = await both(t, `${CI}/activity?integrated_account_id=${account}&${q}`);
        expect(store, q).toEqual(live);
        records += live.length;
      }
      expect(records).toBeGreaterThan(10);
      const total = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2025-06-02&end_time=2025-06-09&read_from=store`);
      expect(total.status).toBe(409);
      const before = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2025-03-03&end_time=2025-03-10&aggregation_period=day&read_from=store`);
      expect(before.status).toBe(409);
      expect(before.body.message).toMatch(/activity day bucket/);
    }, 60_000);

    it('scorecards and templates from the store equal Gong, digit for digit', async (ctx) => {
      if (skip) return ctx.skip(skip);
      const { live, store } = await both(t, `${CI}/scorecards?integrated_account_id=${account}&start_time=2025-05-24&end_time=2025-06-12`);
      // the same records; the order is the source's (Gong: by review; the store: by call start, then id)
      expect(byId(store)).toEqual(byId(live));
      const starts = (store as any[]).map((s) => `${new Date(s.meeting.start_time).toISOString()}|${s.id}`);
      expect([...starts].sort()).toEqual(starts);
      expect(live.length).toBeGreaterThan(5);
      expect((store as any[]).every((s) => /^\d{19}$/.test(s.id))).toBe(true);
      const reviewer = (live as any[]).find((s) => s.reviewer)!.reviewer.id;
      const filtered = await both(t, `${CI}/scorecards?integrated_account_id=${account}&start_time=2025-05-24&end_time=2025-06-12&reviewers[][id]=${reviewer}&review_method=manual`);
      expect(byId(filtered.store)).toEqual(byId(filtered.live));
      expect((filtered.store as any[]).every((s) => s.reviewer.id === reviewer)).toBe(true);
      const templates = await both(t, `${CI}/scorecard-templates?integrated_account_id=${account}`);
      expect(templates.store).toEqual(templates.live);
      expect(templates.live).toHaveLength(2);
    }, 60_000);

    it('deleting the account deletes its activity and scorecards', async (ctx) => {
      if (skip) return ctx.skip(skip);
      const counts = await t.parley.synced.activity.counts(account);
      expect(counts.activity).toBeGreaterThan(0);
      expect(counts.scorecards).toBeGreaterThan(0);
      expect(counts.scorecard_templates).toBe(2);
      expect((await t.call('DELETE', `/integrated-accounts/${account}`)).status).toBe(204);
      expect(await t.parley.synced.activity.counts(account)).toEqual({ activity: 0, scorecards: 0, scorecard_templates: 0 });
    });
  });
}

for (const name of VENDORS.filter((v) => v !== 'gong')) {
  describe(`${name}: activity computed from meetings, live and from the synced meetings`, () => {
    let vendor: VendorUnderTest;
    let t: TestParley;
    let account: string;

    beforeAll(async () => {
      vendor = await startVendor(name, NOW);
      t = await startTestParley({}, { clock: clockAt(NOW) });
      const res = await t.call('POST', '/integrated-accounts', { integration: vendor.integration, credentials: vendor.credentials, sync: { backfill_days: 10 } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      account = res.body.id;
      expect(await t.parley.engine.run(account)).toBe('completed');
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await vendor?.close();
    });

    it('calls_hosted and calls_attended only, equal from the store and live, matching the meetings', async () => {
      const q = `${CI}/activity?integrated_account_id=${account}&start_time=2025-06-04&end_time=2025-06-12&aggregation_period=day`;
      const { live, store } = await both(t, q);
      expect(store).toEqual(live);
      expect(live.length).toBeGreaterThan(3);
      // Grain names no host: calls_hosted is unknown there, so absent (never a made-up 0)
      for (const r of live as any[]) expect(Object.keys(r.metrics).sort()).toEqual(name === 'grain' ? ['calls_attended'] : ['calls_attended', 'calls_hosted']);
      const meetings = (await t.listAll(`${CI}/meetings?integrated_account_id=${account}&start_time=2025-06-04&end_time=2025-06-12&read_from=store`, 1000)).all;
      const hosted = (live as any[]).reduce((n, r) => n + (r.metrics.calls_hosted ?? 0), 0);
      const withHost = meetings.filter((m: any) => m.host_user_id ?? m.attendees.some((a: any) => a.is_host && a.user_id)).length;
      expect(hosted).toBe(withHost);
      const scorecards = await t.call('GET', `${CI}/scorecards?integrated_account_id=${account}`);
      expect(scorecards.status).toBe(400);
      expect(scorecards.body.message).toMatch(/does not provide scorecards/);
    }, 60_000);
  });
}
