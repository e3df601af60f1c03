import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * A Gong key may lack optional scopes. Computed interactions need calls and transcripts only; the
 * company zone they default to comes from the stats endpoint, which needs `api:stats:interaction`.
 * Without that scope (Gong answers 401 or 403 there) the zone stays unknown and buckets are cut in
 * UTC, as documented — the request must not fail.
 */
const NOW = '2024-06-15T19:00:00Z';
let gong: GongSimulator;
let t: TestParley;

beforeAll(async () => {
  gong = await startGongSimulator({ now: () => new Date(NOW), ratePerSecond: Infinity });
  t = await startTestParley({}, { clock: clockAt(NOW) });
});
afterEach(() => {
  gong.faults.clear();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await t.close();
  await gong.close();
});

async function account(): Promise<string> {
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: gong.url },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

const computed = (id: string) =>
  `/unified/conversational-intelligence/interactions?${new URLSearchParams({
    integrated_account_id: id,
    start_time: '2024-06-10',
    end_time: '2024-06-12',
    aggregation_period: 'day',
    metrics_source: 'computed',
  })}`;

const statsRequests = (from: number) => gong.requests.slice(from).filter((r) => r.path === '/v2/stats/interaction');

describe('Gong keys without the stats scope', () => {
  it.each([401, 403])('serve computed interactions in UTC when the stats endpoint answers %i', async (status) => {
    const id = await account();
    gong.faults.push({ kind: 'status', status, path: '/v2/stats/interaction', times: 100 });
    const before = gong.requests.length;
    const res = await t.call('GET', computed(id));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.length).toBeGreaterThan(0);
    for (const r of res.body.result) {
      expect(r.timezone).toBe('UTC');
      expect(r.start_time).toMatch(/^2024-06-1[01]T00:00:00(Z|\+00:00)$/);
    }
    expect(statsRequests(before).map((r) => r.status)).toEqual([status]);
  });

  it('does not ask again on every request, but does once a while has passed (the key may gain the scope)', async () => {
    const id = await account();
    gong.faults.push({ kind: 'status', status: 403, path: '/v2/stats/interaction', times: 100 });
    const before = gong.requests.length;
    expect((await t.call('GET', computed(id))).status).toBe(200);
    expect((await t.call('GET', `${computed(id)}&timezone=UTC`)).status).toBe(200);
    expect(statsRequests(before)).toHaveLength(1);

    gong.faults.clear(); // the scope was granted
    const later = Date.now() + 11 * 60 * 1000;
    vi.spyOn(Date, 'now').mockImplementation(() => later);
    const res = await t.call('GET', computed(id));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result[0].timezone).toBe('US/Pacific');
    expect(statsRequests(before).map((r) => r.status)).toEqual([403, 200]);
  });
});
