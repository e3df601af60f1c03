import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { startChorusSimulator, type ChorusSimulator } from '../../sandbox/chorus/index.js';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * Interactions under a crowd (concurrent identical cold requests share one vendor load per bucket)
 * and across zone spellings and a company zone not known yet (one listing, one zone, one set of ids).
 */
const NOW = '2024-06-05T15:00:00Z';
const BASE = '/unified/conversational-intelligence';

let gong: GongSimulator;
let chorus: ChorusSimulator;
let t: TestParley;

beforeAll(async () => {
  // the company's calls start on Monday 2024-03-04: a query from the Saturday before starts empty
  gong = await startGongSimulator({ historyStart: '2024-03-04', now: () => new Date(NOW), pageSize: 100 });
  chorus = await startChorusSimulator({ rateLimit: null, now: () => Date.parse(NOW) });
  t = await startTestParley({}, { clock: clockAt(NOW) });
});
afterAll(async () => {
  await t.close();
  await gong.close();
  await chorus.close();
});

async function gongAccount(): Promise<string> {
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: gong.url },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function chorusAccount(): Promise<string> {
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'chorus',
    credentials: { api_token: chorus.token, base_url: chorus.url, rate_limit_per_minute: 6000 },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const interactions = (params: Record<string, string>) => `${BASE}/interactions?${new URLSearchParams(params)}`;

function countBy<T>(items: T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

describe('a crowd of identical cold requests', () => {
  it('native: each bucket is asked of the vendor once, and so is the company zone', async () => {
    const id = await gongAccount();
    const before = gong.requests.length;
    const url = interactions({ integrated_account_id: id, start_time: '2024-04-01', end_time: '2024-04-22', aggregation_period: 'week' });
    const answers = await Promise.all(Array.from({ length: 16 }, () => t.call('GET', url)));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(new Set(answers.map((a) => JSON.stringify(a.body)))).toHaveProperty('size', 1);
    // (a 429 of the simulator and its retry are the rate budget's business, not a second load)
    const stats = gong.requests.slice(before).filter((r) => r.path === '/v2/stats/interaction' && !(r.body as any).cursor && r.status !== 429);
    const perFilter = countBy(stats, (r) => JSON.stringify((r.body as any).filter));
    expect([...perFilter.values()].every((n) => n === 1), JSON.stringify([...perFilter])).toBe(true);
    // three weeks, and one request that learnt the company zone
    expect(perFilter.size).toBe(4);
  });

  it('computed: each vendor page is asked for once', async () => {
    const id = await chorusAccount();
    const before = chorus.requests.length;
    const url = interactions({ integrated_account_id: id, start_time: '2024-05-27', end_time: '2024-05-30', aggregation_period: 'day' });
    const answers = await Promise.all(Array.from({ length: 12 }, () => t.call('GET', `${url}&limit=1000`)));
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    const sent = chorus.requests.slice(before);
    const perRequest = countBy(sent, (r) => `${r.path}?${JSON.stringify(r.query)}`);
    expect([...perRequest].filter(([, n]) => n > 1)).toEqual([]);
    expect(sent.filter((r) => r.path.startsWith('/api/v1/conversations/')).length).toBeGreaterThan(5);
  });

  it('meetings: each vendor page is asked for once', async () => {
    const id = await chorusAccount();
    const before = chorus.requests.length;
    const url = `${BASE}/meetings?integrated_account_id=${id}&start_time=2024-05-27&end_time=2024-05-29&limit=5`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => t.call('GET', url)));
    for (const a of answers) expect(a.status).toBe(200);
    const listings = chorus.requests.slice(before).filter((r) => r.path === '/v3/engagements');
    // Chorus lists meetings and dialer calls separately: one request each
    expect(listings.map((r) => r.query.engagement_type).sort()).toEqual(['dialer', 'meeting']);
  });
});

describe('the company zone of a new Gong account', () => {
  it('is learnt before buckets are cut: a paged 90-day listing starting on an empty weekend is all in the company zone, with the same ids on repeat', async () => {
    const id = await gongAccount();
    // Saturday 2024-03-02, before the company's first call: the first bucket has no stats (404)
    const url = interactions({ integrated_account_id: id, start_time: '2024-03-02', end_time: '2024-05-31', aggregation_period: 'week' });
    const first = await t.listAll(url, 7);
    expect(first.pages).toBeGreaterThan(3);
    expect(first.all.length).toBeGreaterThan(20);
    for (const r of first.all) {
      expect(r.timezone).toBe('US/Pacific');
      expect(r.start_time).toMatch(/T00:00:00-0[78]:00$/);
      expect(r.end_time).toMatch(/T00:00:00-0[78]:00$/);
    }
    const again = await t.listAll(url, 7);
    expect(again.all.map((r) => r.id)).toEqual(first.all.map((r) => r.id));
  });
});

describe('a page whose time runs out before its first bucket', () => {
  it('answers an empty page with a cursor that starts over, not an error', async () => {
    const hurried = await startTestParley({}, { clock: clockAt(NOW), pageBudgetMs: 400 });
    try {
      const created = await hurried.call('POST', '/integrated-accounts', {
        integration: 'gong',
        credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: gong.url },
      });
      const url = interactions({ integrated_account_id: created.body.id, start_time: '2024-04-01', end_time: '2024-04-08', aggregation_period: 'week' });
      // learning the company zone hangs: the page ends before any bucket is cut
      gong.faults.push({ path: '/v2/stats/interaction', kind: 'timeout' });
      const first = await hurried.call('GET', url);
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.result).toEqual([]);
      expect(first.body.next_cursor).toBeTruthy();
      let next = await hurried.call('GET', `${url}&next_cursor=${encodeURIComponent(first.body.next_cursor)}`);
      for (let i = 0; i < 10 && next.body.next_cursor; i++) {
        next = await hurried.call('GET', `${url}&next_cursor=${encodeURIComponent(next.body.next_cursor)}`);
      }
      expect(next.status).toBe(200);
      expect(next.body.result.length).toBeGreaterThan(0);
      for (const r of next.body.result) expect(r.timezone).toBe('US/Pacific');
    } finally {
      gong.faults.clear();
      await hurried.close();
    }
  });
});

describe('zone spellings', () => {
  it('native: a spelling of the company zone is the company zone, labelled as Gong names it, with one set of ids', async () => {
    const id = await gongAccount();
    const base = { integrated_account_id: id, start_time: '2024-04-01', end_time: '2024-04-15', aggregation_period: 'week' };
    const answers = await Promise.all(
      [undefined, 'US/Pacific', 'America/Los_Angeles', 'america/los_angeles'].map((tz) => t.call('GET', interactions({ ...base, ...(tz ? { timezone: tz } : {}) }))),
    );
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    const ids = answers.map((a) => a.body.result.map((r: any) => r.id));
    expect(ids[0]!.length).toBeGreaterThan(0);
    for (const other of ids.slice(1)) expect(other).toEqual(ids[0]);
    for (const a of answers) for (const r of a.body.result) expect(r.timezone).toBe('US/Pacific');
  });

  it('computed: one canonical IANA name per zone, so one id per bucket', async () => {
    const id = await chorusAccount();
    const base = { integrated_account_id: id, start_time: '2024-05-27', end_time: '2024-05-29', aggregation_period: 'day' };
    const answers = await Promise.all(
      [undefined, 'UTC', 'utc', 'Etc/UTC'].map((tz) => t.call('GET', interactions({ ...base, ...(tz ? { timezone: tz } : {}) }))),
    );
    for (const a of answers) expect(a.status, JSON.stringify(a.body)).toBe(200);
    const ids = answers.map((a) => a.body.result.map((r: any) => r.id));
    expect(ids[0]!.length).toBeGreaterThan(0);
    for (const other of ids.slice(1)) expect(other).toEqual(ids[0]);
    for (const a of answers) for (const r of a.body.result) expect(r.timezone).toBe('UTC');

    const pacific = await Promise.all(['US/Pacific', 'America/Los_Angeles'].map((tz) => t.call('GET', interactions({ ...base, timezone: tz }))));
    expect(pacific[0]!.body.result.map((r: any) => r.id)).toEqual(pacific[1]!.body.result.map((r: any) => r.id));
    for (const a of pacific) for (const r of a.body.result) expect(r.timezone).toBe('America/Los_Angeles');
  });

  it('a cursor is valid with any spelling of the zone it was issued for', async () => {
    const id = await chorusAccount();
    const base = { integrated_account_id: id, start_time: '2024-05-27', end_time: '2024-05-29', aggregation_period: 'day', limit: '1' };
    const first = await t.call('GET', interactions({ ...base, timezone: 'UTC' }));
    expect(first.body.next_cursor).toBeTruthy();
    const next = await t.call('GET', interactions({ ...base, timezone: 'utc', next_cursor: first.body.next_cursor }));
    expect(next.status, JSON.stringify(next.body)).toBe(200);
  });
});
