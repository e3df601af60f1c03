import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startAvomaSimulator, type AvomaSimulator } from '../../sandbox/avoma/index.js';
import { startClariCopilotSimulator, type ClariCopilotSimulator } from '../../sandbox/clari_copilot/index.js';
import { clockAt } from '../../src/domain/clock.js';
import { EARLIEST_DATE } from '../../src/service/time-range.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * What a read path asks a vendor is clipped to what can exist, before the vendor is asked: a client
 * may send 0001-01-01..9999-12-31, the vendor sees [floor, now]. Also: a transcript of an unknown
 * meeting is a 404, of a known meeting without one (yet) an empty list.
 */
const NOW = '2024-06-05T15:00:00Z';
const NOW_MS = Date.parse(NOW);
// the pinned calendar still advances with real time while the test runs
const NOW_NOW = NOW_MS + 60_000;
const FLOOR_MS = Date.parse(`${EARLIEST_DATE}T00:00:00Z`);
const END_OF_TODAY_MS = Date.parse('2024-06-06T00:00:00Z');
const BASE = '/unified/conversational-intelligence';
const HOSTILE = { start_time: '0001-01-01', end_time: '9999-12-31' };

let avoma: AvomaSimulator;
let clari: ClariCopilotSimulator;
let t: TestParley;
let avomaId: string;
let clariId: string;

beforeAll(async () => {
  avoma = await startAvomaSimulator({ rateLimit: Infinity, historyStart: '2024-01-01', now: () => new Date(NOW) });
  clari = await startClariCopilotSimulator({ ratePerSecond: Infinity, historyStart: '2024-01-01', now: () => new Date(NOW) });
  t = await startTestParley({}, { clock: clockAt(NOW) });
  const a = await t.call('POST', '/integrated-accounts', {
    integration: 'avoma',
    credentials: { api_key: avoma.apiKey, base_url: avoma.url, rate_limit_per_minute: 6000 },
  });
  const c = await t.call('POST', '/integrated-accounts', {
    integration: 'clari_copilot',
    credentials: { api_key: 'sandbox-key', api_password: 'sandbox-password', base_url: clari.url, rate_limit_per_second: 100 },
  });
  avomaId = a.body.id;
  clariId = c.body.id;
});
afterAll(async () => {
  await t.close();
  await avoma.close();
  await clari.close();
});

const q = (path: string, params: Record<string, string>) => `${BASE}/${path}?${new URLSearchParams(params)}`;
const ms = (v: unknown) => DateTime.fromISO(String(v), { zone: 'UTC' }).toMillis();

describe('ranges are clipped before a vendor is asked', () => {
  it('meetings 0001..9999 (Avoma): a bounded first page; Avoma is asked for [floor, now] on every page', async () => {
    const before = avoma.requests.length;
    const first = await t.call('GET', q('meetings', { integrated_account_id: avomaId, ...HOSTILE, limit: '5' }));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.result).toHaveLength(5);
    const second = await t.call('GET', q('meetings', { integrated_account_id: avomaId, ...HOSTILE, limit: '5', next_cursor: first.body.next_cursor }));
    expect(second.status).toBe(200);
    const listings = avoma.requests.slice(before).filter((r) => r.path === '/v1/meetings/');
    expect(listings.length).toBeGreaterThan(0);
    for (const r of listings) {
      expect(ms(r.query.from_date)).toBeGreaterThanOrEqual(FLOOR_MS);
      expect(ms(r.query.to_date)).toBeLessThanOrEqual(NOW_NOW);
    }
    expect(new Set(listings.map((r) => r.query.to_date)).size).toBe(1);
  });

  it('meetings 0001..9999 (Clari): asked for [floor, now]', async () => {
    const before = clari.requests.length;
    const res = await t.call('GET', q('meetings', { integrated_account_id: clariId, ...HOSTILE, limit: '3' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result).toHaveLength(3);
    const listings = clari.requests.slice(before).filter((r) => r.path === '/calls');
    for (const r of listings) {
      expect(ms(r.query.filterTimeGt)).toBeGreaterThanOrEqual(FLOOR_MS);
      expect(ms(r.query.filterTimeLt)).toBeLessThanOrEqual(NOW_NOW);
    }
  });

  it('a range wholly in the future or before the floor is an empty list without a vendor call', async () => {
    const before = avoma.requests.length;
    for (const range of [
      { start_time: '9000-01-01', end_time: '9999-12-31' },
      { start_time: '0001-01-01', end_time: '2009-12-31' },
    ]) {
      const res = await t.call('GET', q('meetings', { integrated_account_id: avomaId, ...range }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ result: [], next_cursor: null, result_count: 0 });
    }
    expect(avoma.requests.slice(before).filter((r) => r.path === '/v1/meetings/')).toEqual([]);
  });

  it('interactions, native (Clari) 0001..9999: asked for [floor, end of today]', async () => {
    const before = clari.requests.length;
    const res = await t.call('GET', q('interactions', { integrated_account_id: clariId, ...HOSTILE, metrics_source: 'native' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.length).toBeGreaterThan(0);
    for (const r of res.body.result) expect(r.start_time).toBe(`${EARLIEST_DATE}T00:00:00Z`);
    const listings = clari.requests.slice(before).filter((r) => r.path === '/calls');
    expect(listings.length).toBeGreaterThan(0);
    for (const r of listings) {
      expect(ms(r.query.filterTimeGt)).toBeGreaterThanOrEqual(FLOOR_MS);
      expect(ms(r.query.filterTimeLt)).toBeLessThanOrEqual(END_OF_TODAY_MS);
    }
  });

  it('interactions, computed (Avoma) up to 9999: asked up to the end of today', async () => {
    const before = avoma.requests.length;
    const res = await t.call('GET', q('interactions', { integrated_account_id: avomaId, start_time: '2024-05-27', end_time: '9999-12-31', aggregation_period: 'week' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.length).toBeGreaterThan(0);
    const sent = avoma.requests.slice(before).filter((r) => r.query.to_date !== undefined);
    expect(sent.length).toBeGreaterThan(0);
    for (const r of sent) expect(ms(r.query.to_date)).toBeLessThanOrEqual(END_OF_TODAY_MS);
  });
});

describe('transcripts of a meeting', () => {
  it('404 for an unknown meeting, as meetings/{id} answers; an empty list for a known meeting not transcribed yet', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await t.call('GET', `${BASE}/meetings/${unknown}?integrated_account_id=${avomaId}`)).status).toBe(404);
    const res = await t.call('GET', q('transcripts', { integrated_account_id: avomaId, meeting_id: unknown }));
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringContaining(unknown) });

    const scheduled = avoma.dataset.meetingsBetween(NOW_MS + 2 * 86_400_000, NOW_MS + 4 * 86_400_000)[0]!;
    const none = await t.call('GET', q('transcripts', { integrated_account_id: avomaId, meeting_id: scheduled.uuid }));
    expect(none.status).toBe(200);
    expect(none.body.result).toEqual([]);
  });
});
