import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { startChorusSimulator, type ChorusSimulator } from '../../sandbox/chorus/index.js';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * Computed Interactions do bounded work per page: a page answers within its budget with a cursor,
 * the next page continues where the last one stopped (no vendor call is repeated), a client that
 * leaves stops the vendor calls made for it, and a computed range has a cap.
 */
const NOW = '2024-06-05T15:00:00Z';
const BASE = '/unified/conversational-intelligence';
// Mon 2024-05-27 .. Mon 2024-06-03: about 40 calls in the simulated company
const WEEK = { start_time: '2024-05-27', end_time: '2024-06-03' };
const PAGE_BUDGET_MS = 1000;

let sim: ChorusSimulator;
let t: TestParley;

beforeAll(async () => {
  sim = await startChorusSimulator({ rateLimit: null, now: () => Date.parse(NOW) });
  t = await startTestParley({}, { clock: clockAt(NOW), pageBudgetMs: PAGE_BUDGET_MS });
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

/** A Chorus account paced at `perMinute` requests by Parley itself (the simulator grants any rate). */
async function account(perMinute: number): Promise<string> {
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'chorus',
    credentials: { api_token: sim.token, base_url: sim.url, rate_limit_per_minute: perMinute },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const url = (id: string, params: Record<string, string>) =>
  `${BASE}/interactions?${new URLSearchParams({ integrated_account_id: id, aggregation_period: 'day', ...params })}`;

/** Every page of a listing: the records of each page and their count. */
async function pages(u: string, limit: number): Promise<{ records: any[]; sizes: number[] }> {
  const records: any[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  do {
    const res = await t.call('GET', `${u}&limit=${limit}${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    records.push(...res.body.result);
    sizes.push(res.body.result.length);
    cursor = res.body.next_cursor;
  } while (cursor && sizes.length < 500);
  return { records, sizes };
}

const comparable = (r: any) => ({ user: r.user.id, start: r.start_time, end: r.end_time, metrics: r.metrics, additional: r.additional_metrics });

describe('computed Interactions, page by page', () => {
  it('answers within the page budget with a cursor, continues where it stopped, and never repeats a vendor call or a record', async () => {
    const fast = await account(6000);
    const reference = await pages(url(fast, WEEK), 1000);
    expect(reference.records.length).toBeGreaterThan(5);

    // 300 requests/minute: ~40 transcripts take ~8 s, far more than one page's 1 s
    const slow = await account(300);
    const before = sim.requests.length;
    const paged = await pages(url(slow, WEEK), 1000);
    expect(paged.sizes.length).toBeGreaterThan(3);
    // pages that ran out of time hold fewer records than the limit (often none), with a cursor
    expect(paged.sizes.slice(0, -1).some((n) => n < 1000)).toBe(true);
    expect(paged.records.map(comparable)).toEqual(reference.records.map(comparable));
    expect(new Set(paged.records.map((r) => r.id)).size).toBe(paged.records.length);

    // progress was kept between pages: every conversation was asked for exactly once
    const conversations = sim.requests.slice(before).filter((r) => r.path.startsWith('/api/v1/conversations/')).map((r) => r.path);
    expect(conversations.length).toBeGreaterThan(20);
    expect(new Set(conversations).size).toBe(conversations.length);
  });

  it('pages through a finished listing with a small limit, by start_time then user id, without skips or repeats', async () => {
    const id = await account(6000);
    const all = await pages(url(id, WEEK), 1000);
    const small = await pages(url(id, WEEK), 2);
    expect(small.records.map((r) => r.id)).toEqual(all.records.map((r) => r.id));
    const keys = all.records.map((r) => `${Date.parse(r.start_time)}|${r.user.id}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('stops calling the vendor once the client has gone', async () => {
    // a page budget long enough that only the client's leaving can stop the work
    const patient = await startTestParley({}, { clock: clockAt(NOW), pageBudgetMs: 60_000 });
    try {
      const created = await patient.call('POST', '/integrated-accounts', {
        integration: 'chorus',
        credentials: { api_token: sim.token, base_url: sim.url, rate_limit_per_minute: 300 },
      });
      await patient.parley.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (patient.parley.app.server.address() as AddressInfo).port;
      const before = sim.requests.length;
      const client = new AbortController();
      // the page would read a whole month (~150 conversations at 5/s, half a minute)
      const longPage = `${url(created.body.id, { start_time: '2024-05-01', end_time: '2024-06-01', aggregation_period: 'week' })}&limit=1000`;
      const pending = request(`http://127.0.0.1:${port}${longPage}`, {
        headers: { authorization: `Bearer ${patient.token}` },
        signal: client.signal,
      }).catch(() => undefined);
      await sleep(1500);
      client.abort();
      await pending;
      await sleep(700); // a vendor call already in flight may still land
      const settled = sim.requests.length;
      await sleep(2000); // at 5 requests/s, work running on would add ~10 more
      expect(sim.requests.length).toBe(settled);
      expect(settled - before).toBeGreaterThan(2);
    } finally {
      await patient.close();
    }
  });

  it('caps a computed range at 366 days, clipped to what can exist, naming the cap', async () => {
    const id = await account(6000);
    const hostile = await t.call('GET', url(id, { start_time: '0001-01-01', end_time: '9999-12-31', aggregation_period: 'total' }));
    expect(hostile.status).toBe(400);
    expect(hostile.body.message).toMatch(/at most 366 days/);
    const long = await t.call('GET', url(id, { start_time: '2023-01-01', end_time: '2024-06-01', aggregation_period: 'total' }));
    expect(long.status).toBe(400);
    // a leap year is 366 days; the part after today does not count, it cannot hold calls
    const before = sim.requests.length;
    const year = await t.call('GET', url(id, { start_time: '2023-06-06', end_time: '2025-01-01', aggregation_period: 'total', limit: '1' }));
    expect(year.status, JSON.stringify(year.body)).toBe(200);
    expect(sim.requests.slice(before).every((r) => r.path !== '/v3/engagements' || Date.parse(String(r.query.max_date)) <= Date.parse(NOW) + 86_400_000)).toBe(true);
  });
});
