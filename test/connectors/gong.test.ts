import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The Gong connector end to end: Parley's API → connector → real loopback HTTP → the Gong simulator.
 * Assertions are on what Parley returns AND on the exact requests it sent to Gong.
 */
let sim: GongSimulator;
let t: TestParley;

// Parley and the simulators share one calendar, pinned to a Thursday evening in the company's zone
// (US/Pacific) that is already Friday in UTC: "today" must be the company's day, not UTC's.
const NOW = Date.parse('2024-06-14T03:00:00Z');
const simNow = () => new Date(NOW);
const parleyCalendar = () => ({ clock: clockAt(NOW) });

beforeAll(async () => {
  sim = await startGongSimulator({ pageSize: 5, now: simNow });
  t = await startTestParley({}, parleyCalendar());
});
afterEach(() => sim.faults.clear());
afterAll(async () => {
  await t.close();
  await sim.close();
});

/**
 * `revoked`: credentials the vendor refuses, stored without the verification a create does (a key
 * revoked after it was connected), to see how reads answer the vendor's 401.
 */
async function newAccount(simulator = sim, creds: Record<string, string> = {}, revoked = false): Promise<string> {
  const body = {
    integration: 'gong',
    credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: simulator.url, ...creds },
  };
  if (revoked) return (await t.parley.accounts.create('default', body, { skipVerification: true })).id;
  const res = await t.call('POST', '/integrated-accounts', body);
  expect(res.status).toBe(201);
  return res.body.id;
}

function since(simulator: GongSimulator, n: number) {
  return simulator.requests.slice(n);
}

const INTERACTIONS = '/unified/conversational-intelligence/interactions';
const q = (params: Record<string, string>) => `${INTERACTIONS}?${new URLSearchParams(params)}`;

const listAll = (url: string, limit: number) => t.listAll(url, limit);

/**
 * A new account learns Gong's company zone before it cuts any bucket: one stats request over the
 * week before the calendar's yesterday (the zone is only in stats answers).
 */
const ZONE_LOOKUP = { filter: { fromDate: '2024-06-06', toDate: '2024-06-13' } };
const isZoneLookup = (r: { body?: unknown }) => JSON.stringify(r.body) === JSON.stringify(ZONE_LOOKUP);

describe('Gong List Interactions (native)', () => {
  it('asks /v2/stats/interaction once per ISO week with the exact filter, and maps every record', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const res = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-03-04', end_time: '2024-04-01', aggregation_period: 'week' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before);
    const all = sent.filter((r) => r.path === '/v2/stats/interaction');
    // the zone is learnt first, then each bucket is asked once, in the company zone (US/Pacific)
    expect(isZoneLookup(all[0]!)).toBe(true);
    const stats = all.slice(1);
    const firstPages = stats.filter((r) => (r.body as any).cursor === undefined);
    for (const r of stats) expect(Object.keys(r.body as object).sort()).toEqual((r.body as any).cursor ? ['cursor', 'filter'] : ['filter']);
    expect(firstPages.map((r) => r.body)).toEqual([
      { filter: { fromDate: '2024-03-04', toDate: '2024-03-11' } },
      { filter: { fromDate: '2024-03-11', toDate: '2024-03-18' } },
      { filter: { fromDate: '2024-03-18', toDate: '2024-03-25' } },
      { filter: { fromDate: '2024-03-25', toDate: '2024-04-01' } },
    ]);
    for (const r of sent) {
      expect(r.headers.authorization).toBe(`Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}`);
      expect(r.status).toBeLessThan(400);
    }
    const records = res.body.result;
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) {
      expect(typeof r.user.id).toBe('string');
      expect(r.user.id).toMatch(/^\d{15,20}$/);
      expect(r.timezone).toBe('US/Pacific');
      expect(r.aggregation_period).toBe('week');
      expect(r.start_time).toMatch(/^2024-03-(04|11|18|25)T00:00:00-0[78]:00$/);
      expect(r.user.emails.filter((e: any) => e.is_primary)).toHaveLength(1);
      expect(r.created_at).toBeUndefined();
      // every metric equals Gong's number of the same name; unknown names are kept
      const raw = r.remote_data.personInteractionStats as { name: string; value: number }[];
      const byName = new Map(raw.map((s) => [s.name, s.value]));
      expect(r.metrics.longest_monologue).toBe(byName.get('Longest Monologue'));
      expect(r.metrics.longest_customer_story).toBe(byName.get('Longest Customer Story'));
      expect(r.metrics.interactivity).toBe(byName.get('Interactivity'));
      expect(r.metrics.patience).toBe(byName.get('Patience'));
      expect(r.metrics.question_rate).toBe(byName.get('Question Rate'));
      const standard = ['Longest Monologue', 'Longest Customer Story', 'Interactivity', 'Patience', 'Question Rate'];
      expect(r.additional_metrics).toEqual(raw.filter((s) => !standard.includes(s.name)).map((s) => ({ name: s.name, value: s.value })));
      for (const [k, v] of Object.entries(r.metrics)) expect(typeof v, k).toBe('number');
    }
    expect(records.some((r: any) => r.additional_metrics.some((m: any) => m.name === 'Talk Ratio'))).toBe(true);
    // ordered by start_time, then user.id
    const keys = records.map((r: any) => `${DateTime.fromISO(r.start_time).toMillis()}|${r.user.id}`);
    expect(keys).toEqual([...keys].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    // names come from /v2/users
    expect(sent.some((r) => r.method === 'GET' && r.path === '/v2/users')).toBe(true);
    expect(records.every((r: any) => typeof r.user.name === 'string' && r.user.name.length > 0)).toBe(true);
  });

  it('pages with a small limit: no skips, no repeats, stable ids, and Gong asked once per bucket and page', async () => {
    const id = await newAccount();
    const url = q({ integrated_account_id: id, start_time: '2024-05-01', end_time: '2024-05-15', aggregation_period: 'week' });
    const first = await t.call('GET', `${url}&limit=1000`);
    const before = sim.requests.length;
    const { all, pages } = await listAll(url, 3);
    expect(pages).toBeGreaterThan(2);
    expect(all.map((r) => r.id)).toEqual(first.body.result.map((r: any) => r.id));
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    // everything came from the bucket cache: no second request for any bucket
    expect(since(sim, before).filter((r) => r.path === '/v2/stats/interaction')).toHaveLength(0);
  });

  it('follows Gong\'s body cursor with an identical filter inside a bucket', async () => {
    const small = await startGongSimulator({ pageSize: 2, now: simNow });
    try {
      const id = await newAccount(small);
      const res = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-05-06', end_time: '2024-05-13', aggregation_period: 'total' }));
      expect(res.status).toBe(200);
      const stats = small.requests.filter((r) => r.path === '/v2/stats/interaction' && !isZoneLookup(r));
      expect(stats.length).toBeGreaterThan(2);
      const filters = new Set(stats.map((r) => JSON.stringify((r.body as any).filter)));
      expect(filters.size).toBe(1);
      expect((stats[0]!.body as any).cursor).toBeUndefined();
      for (const s of stats.slice(1)) expect(typeof (s.body as any).cursor).toBe('string');
      expect(res.body.result.length).toBeGreaterThan(4);
      expect(new Set(res.body.result.map((r: any) => r.user.id)).size).toBe(res.body.result.length);
    } finally {
      await small.close();
    }
  });

  it('sends users[][id] upstream as filter.userIds and returns only those users', async () => {
    const id = await newAccount();
    const all = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-05-06', end_time: '2024-05-13' }));
    const userId = all.body.result[0].user.id;
    const before = sim.requests.length;
    const res = await t.call('GET', `${q({ integrated_account_id: id, start_time: '2024-05-06', end_time: '2024-05-13' })}&users[][id]=${userId}`);
    expect(res.body.result.map((r: any) => r.user.id)).toEqual([userId]);
    const stats = since(sim, before).filter((r) => r.path === '/v2/stats/interaction');
    expect(stats.map((r) => (r.body as any).filter.userIds)).toEqual([[userId]]);
    const indexed = await t.call('GET', `${q({ integrated_account_id: id, start_time: '2024-05-06', end_time: '2024-05-13' })}&users[0][id]=${userId}`);
    expect(indexed.body.result.map((r: any) => r.user.id)).toEqual([userId]);
  });

  it('cuts days across DST in the company zone, and 400s another zone', async () => {
    const id = await newAccount();
    const res = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-03-09', end_time: '2024-03-12', aggregation_period: 'day', timezone: 'US/Pacific' }));
    expect(res.status).toBe(200);
    const starts = [...new Set(res.body.result.map((r: any) => r.start_time))];
    const ends = [...new Set(res.body.result.map((r: any) => r.end_time))];
    for (const s of starts) expect(['2024-03-09T00:00:00-08:00', '2024-03-10T00:00:00-08:00', '2024-03-11T00:00:00-07:00']).toContain(s);
    for (const e of ends) expect(['2024-03-10T00:00:00-08:00', '2024-03-11T00:00:00-07:00', '2024-03-12T00:00:00-07:00']).toContain(e);
    const other = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-03-09', end_time: '2024-03-12', timezone: 'Europe/Berlin' }));
    expect(other.status).toBe(400);
    expect(other.body.message).toMatch(/timezone: .*company time zone \(US\/Pacific\)/);
  });

  it('learns the company zone on an account\'s first request, even when that request named another zone', async () => {
    const id = await newAccount();
    const res = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-03-04', end_time: '2024-03-11', timezone: 'Asia/Tokyo' }));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/US\/Pacific/);
    const ok = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-03-04', end_time: '2024-03-11' }));
    expect(ok.status).toBe(200);
    expect(ok.body.result[0].start_time).toBe('2024-03-04T00:00:00-08:00');
  });

  it('widens date-times to whole days and clips to the start of today (Gong cannot report today)', async () => {
    const id = await newAccount();
    const today = DateTime.fromMillis(NOW, { zone: 'US/Pacific' }).startOf('day');
    expect(today.toISODate()).not.toBe(DateTime.fromMillis(NOW, { zone: 'UTC' }).toISODate());
    const before = sim.requests.length;
    const start = today.minus({ days: 3 }).toUTC().plus({ hours: 5 }).toISO()!;
    const res = await t.call('GET', q({ integrated_account_id: id, start_time: start, end_time: today.plus({ days: 20 }).toISODate()!, aggregation_period: 'day' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const r of since(sim, before).filter((x) => x.path === '/v2/stats/interaction')) {
      expect((r.body as any).filter.toDate <= today.toISODate()!).toBe(true);
      expect(r.status).not.toBe(400);
    }
    for (const r of res.body.result) {
      expect(DateTime.fromISO(r.end_time).toMillis()).toBeLessThanOrEqual(today.toMillis());
      expect(DateTime.fromISO(r.start_time).setZone('US/Pacific').hour).toBe(0);
    }
  });

  it('leaves out remote_data when include_remote_data=false', async () => {
    const id = await newAccount();
    const res = await t.call('GET', `${q({ integrated_account_id: id, start_time: '2024-05-06', end_time: '2024-05-13' })}&include_remote_data=false`);
    expect(res.body.result.length).toBeGreaterThan(0);
    for (const r of res.body.result) expect(r).not.toHaveProperty('remote_data');
  });

  it('treats Gong\'s 404 "no records" as an empty page', async () => {
    const id = await newAccount();
    await t.call('GET', q({ integrated_account_id: id, start_time: '2024-06-03', end_time: '2024-06-04' })); // the zone is learnt
    sim.faults.push({ path: '/v2/stats/interaction', kind: 'status', status: 404, body: { requestId: 'x', errors: ['No stats found for the specified period'] } });
    const res = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-05-06', end_time: '2024-05-13' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: [], next_cursor: null, result_count: 0 });
  });
});

describe('Gong failures', () => {
  it('retries a 503 and a 429 with Retry-After, sending the identical request again', async () => {
    const id = await newAccount();
    await t.call('GET', q({ integrated_account_id: id, start_time: '2024-06-03', end_time: '2024-06-04' })); // users cached
    sim.faults.push({ path: '/v2/stats/interaction', kind: 'status', status: 503 });
    sim.faults.push({ path: '/v2/stats/interaction', kind: 'rate-limit', retryAfterSeconds: 1 });
    const before = sim.requests.length;
    const res = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-06-10', end_time: '2024-06-11' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const stats = since(sim, before).filter((r) => r.path === '/v2/stats/interaction' && !(r.body as any).cursor);
    expect(stats.map((r) => r.status)).toEqual([503, 429, 200]);
    expect(new Set(stats.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(stats[2]!.at - stats[1]!.at).toBeGreaterThanOrEqual(990);
  });

  it('turns persistent 5xx into 502 with the vendor body, and a malformed body into 502', async () => {
    const id = await newAccount();
    sim.faults.push({ path: '/v2/users', kind: 'status', status: 500, times: 4 }); // the test retry policy's attempts
    const res = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-06-03', end_time: '2024-06-04' }));
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ statusCode: 502, error: 'Bad Gateway', is_remote_error: true });
    expect(res.body.raw_response).toHaveProperty('errors');
    const verified1 = await newAccount();
    sim.faults.push({ path: '/v2/users', kind: 'malformed' });
    const bad = await t.call('GET', q({ integrated_account_id: verified1, start_time: '2024-06-03', end_time: '2024-06-04' }));
    expect(bad.status).toBe(502);
    expect(bad.body.is_remote_error).toBe(true);
    expect(typeof bad.body.raw_response).toBe('string');
    const verified2 = await newAccount();
    sim.faults.push({ path: '/v2/users', kind: 'malformed', variant: 'wrong-shape' });
    const shape = await t.call('GET', q({ integrated_account_id: verified2, start_time: '2024-06-03', end_time: '2024-06-04' }));
    expect(shape.status).toBe(502);
    expect(shape.body.message).toMatch(/unexpected body/);
  });

  it('keeps Gong\'s 401 for wrong credentials, flagged as a remote error', async () => {
    const id = await newAccount(sim, { access_key_secret: 'wrong' }, true);
    const res = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-06-03', end_time: '2024-06-04' }));
    expect(res.status).toBe(401);
    expect(res.body.is_remote_error).toBe(true);
    expect(res.body.raw_response.errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toContain('wrong');
  });

  it('still serves stats when the key may not list users (403 on /v2/users): emails from the stats rows, no names', async () => {
    const id = await newAccount();
    sim.faults.push({ method: 'GET', path: '/v2/users', kind: 'status', status: 403, body: { requestId: 'r', errors: ['Access denied'] } });
    const res = await t.call('GET', q({ integrated_account_id: id, start_time: '2024-06-03', end_time: '2024-06-04' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.length).toBeGreaterThan(0);
    for (const r of res.body.result) {
      expect(r.user.name).toBeUndefined();
      expect(r.user.emails).toEqual([{ email: r.remote_data.userEmailAddress, is_primary: true }]);
    }
  });

  it('answers 429 with Retry-After when Gong\'s wait outlasts the request\'s patience', async () => {
    const impatient = await startTestParley({ upstreamPatienceMs: 1500 }, parleyCalendar());
    try {
      const created = await impatient.call('POST', '/integrated-accounts', {
        integration: 'gong',
        credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
      });
      // the simulator's own 3/s window may still hold this file's earlier requests (its key is shared):
      // the 429 under test is the one queued here, not a window's
      sim.resetRateLimits();
      sim.faults.push({ path: '/v2/users', kind: 'rate-limit', retryAfterSeconds: 120 });
      const res = await impatient.call('GET', q({ integrated_account_id: created.body.id, start_time: '2024-06-03', end_time: '2024-06-04' }));
      expect(res.status).toBe(429);
      expect(res.headers['retry-after']).toBe('120');
      expect(res.body.is_remote_error).toBe(true);
    } finally {
      await impatient.close();
    }
  });

  it('paces concurrent requests of one account under 3/s: the simulator never answers 429', async () => {
    const strict = await startGongSimulator({ now: simNow });
    try {
      const id = await newAccount(strict);
      const urls = [0, 1, 2].map((k) =>
        q({ integrated_account_id: id, start_time: `2024-0${k + 4}-01`, end_time: `2024-0${k + 4}-04`, aggregation_period: 'day' }),
      );
      const results = await Promise.all(urls.map((u) => t.call('GET', u)));
      for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
      const at = strict.requests.map((r) => r.at).sort((a, b) => a - b);
      expect(strict.requests.every((r) => r.status !== 429)).toBe(true);
      expect(at.length).toBeGreaterThanOrEqual(10);
      for (let i = 3; i < at.length; i++) expect(at[i]! - at[i - 3]!).toBeGreaterThan(1000);
    } finally {
      await strict.close();
    }
  });
});

describe('List Interactions input validation', () => {
  it('400s name the parameter; forged and mismatched cursors are 400', async () => {
    const id = await newAccount();
    const base = { integrated_account_id: id, start_time: '2024-05-06', end_time: '2024-05-13' };
    const cases: [Record<string, string>, RegExp][] = [
      [{ integrated_account_id: id, end_time: '2024-05-13' }, /start_time is required/],
      [{ integrated_account_id: id, start_time: '2024-05-06' }, /end_time is required/],
      [{ start_time: '2024-05-06', end_time: '2024-05-13' }, /integrated_account_id is required/],
      [{ ...base, aggregation_period: 'year' }, /aggregation_period/],
      [{ ...base, start_time: '2024-05-13' }, /start_time must be before end_time/],
      [{ ...base, start_time: 'last tuesday' }, /start_time: /],
      [{ ...base, end_time: '2024-02-30' }, /end_time: /],
      [{ ...base, timezone: 'Mars/Olympus' }, /timezone: /],
      [{ ...base, limit: '0' }, /limit/],
      [{ ...base, include_remote_data: 'maybe' }, /include_remote_data/],
      [{ ...base, metrics_source: 'guess' }, /metrics_source/],
      [{ ...base, next_cursor: 'abc' }, /next_cursor/],
    ];
    for (const [params, message] of cases) {
      const res = await t.call('GET', q(params));
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.body.message, JSON.stringify(params)).toMatch(message);
    }
    const users = await t.call('GET', `${q(base)}&users=abc`);
    expect(users.status).toBe(400);
    expect(users.body.message).toMatch(/users/);
    const page = await t.call('GET', `${q(base)}&limit=1&aggregation_period=day`);
    expect(page.body.next_cursor).toBeTruthy();
    const mismatched = await t.call('GET', `${q({ ...base, aggregation_period: 'week' })}&limit=1&next_cursor=${encodeURIComponent(page.body.next_cursor)}`);
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.message).toMatch(/different filters/);
    const truncated = await t.call('GET', `${q({ ...base, aggregation_period: 'day' })}&limit=1&next_cursor=${encodeURIComponent(page.body.next_cursor.slice(0, -3))}`);
    expect(truncated.status).toBe(400);
  });

  it('404s an unknown account', async () => {
    const res = await t.call('GET', q({ integrated_account_id: 'nope', start_time: '2024-05-06', end_time: '2024-05-13' }));
    expect(res.status).toBe(404);
  });
});
