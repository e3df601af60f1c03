import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startVendor, VENDORS, type VendorUnderTest } from './vendors.js';

/**
 * CONTRACT.md: "Numbers from the store equal the live numbers for the same data". For every vendor
 * and every period, the same query answered from the store (after a sync) and from the vendor must
 * be the same records: ids, users, buckets, metrics. Vendor response ids (Gong's requestId) are per
 * answer and are left out of the comparison.
 */
const NOW = Date.parse('2025-06-12T15:00:00Z'); // a Thursday
const CI = '/unified/conversational-intelligence';
const PERIODS = ['day', 'week', 'month', 'total'] as const;

function withoutResponseIds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutResponseIds);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'requestId').map(([k, x]) => [k, withoutResponseIds(x)]));
  return v;
}

for (const name of VENDORS) {
  describe(`${name}: the store answers what the vendor answers`, () => {
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

    async function both(query: string): Promise<{ live: unknown[]; store: unknown[] }> {
      const url = `${CI}/interactions?integrated_account_id=${account}&${query}`;
      const live = await t.listAll(`${url}&read_from=live`, 1000);
      const first = await t.call('GET', `${url}&read_from=store&limit=1000`);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.headers['parley-data-as-of']).toMatch(/^2025-06-12T15:00:0/);
      const store = await t.listAll(`${url}&read_from=store`, 1000);
      return { live: withoutResponseIds(live.all) as unknown[], store: withoutResponseIds(store.all) as unknown[] };
    }

    it('computed, every period, in the default zone and in another', async () => {
      let records = 0;
      for (const period of PERIODS) {
        for (const zone of [undefined, 'Asia/Kolkata']) {
          const q = `start_time=2025-06-04&end_time=2025-06-12&aggregation_period=${period}&metrics_source=computed${zone ? `&timezone=${zone}` : ''}`;
          const { live, store } = await both(q);
          expect(store, `${period} ${zone ?? ''}`).toEqual(live);
          records += live.length;
        }
      }
      expect(records).toBeGreaterThan(10);
    }, 120_000);

    // vendors without numbers of their own (Chorus, Avoma) have no native read to compare
    if (['gong', 'fireflies', 'clari_copilot'].includes(name)) it('native, per day, ISO week and month the sync stored', async () => {
      // whole weeks and months that lie in the synced window as the sync cut them
      const cases = [
        'start_time=2025-06-04&end_time=2025-06-12&aggregation_period=day',
        'start_time=2025-06-02&end_time=2025-06-09&aggregation_period=week',
        // a month up to now: the current month's bucket ends where the vendor can report up to, as the sync cut it
        'start_time=2025-06-01&end_time=2025-06-13&aggregation_period=month',
      ];
      let records = 0;
      for (const q of cases) {
        const { live, store } = await both(`${q}&metrics_source=native`);
        expect(store, q).toEqual(live);
        records += live.length;
      }
      expect(records).toBeGreaterThan(5);
    }, 120_000);

    it('users and meetings: the same records (the store pages by start time, then id)', async () => {
      const users = await t.listAll(`${CI}/users?integrated_account_id=${account}&read_from=live`, 100);
      const storedUsers = await t.listAll(`${CI}/users?integrated_account_id=${account}&read_from=store`, 7);
      const byId = (a: any, b: any) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      expect(withoutResponseIds([...storedUsers.all].sort(byId))).toEqual(withoutResponseIds([...users.all].sort(byId)));
      const q = 'start_time=2025-06-04T00:00:00Z&end_time=2025-06-11T00:00:00Z';
      const meetings = await t.listAll(`${CI}/meetings?integrated_account_id=${account}&${q}&read_from=live`, 100);
      const stored = await t.listAll(`${CI}/meetings?integrated_account_id=${account}&${q}&read_from=store`, 5);
      expect(stored.all.length).toBeGreaterThan(3);
      expect(withoutResponseIds([...stored.all].sort(byId))).toEqual(withoutResponseIds([...meetings.all].sort(byId)));
      const sample = stored.all.find((m: any) => m.id) as { id: string };
      const live = await t.call('GET', `${CI}/transcripts?integrated_account_id=${account}&meeting_id=${encodeURIComponent(sample.id)}&read_from=live`);
      const kept = await t.call('GET', `${CI}/transcripts?integrated_account_id=${account}&meeting_id=${encodeURIComponent(sample.id)}&read_from=store`);
      expect(kept.status).toBe(200);
      expect(withoutResponseIds(kept.body.result)).toEqual(withoutResponseIds(live.body.result));
    }, 120_000);
  });
}
