import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startAvomaSimulator, type AvomaSimulator } from '../../sandbox/avoma/index.js';
import { startClariCopilotSimulator, type ClariCopilotSimulator } from '../../sandbox/clari_copilot/index.js';
import { GongDataset, MAX_DAYS_PER_QUERY, QueryTooLargeError } from '../../sandbox/gong/index.js';

/**
 * A simulator is asked for 0001..9999 the way a careless client would: it must answer (a vendor
 * clips or refuses), never generate every day until 9999. Each simulator's calendar is pinned.
 */
const NOW = Date.parse('2024-06-05T15:00:00Z');
const DAY = 86_400_000;
const HORIZON = 30 * DAY; // both vendors list scheduled meetings up to a month ahead

let avoma: AvomaSimulator;
let clari: ClariCopilotSimulator;

beforeAll(async () => {
  avoma = await startAvomaSimulator({ rateLimit: Infinity, historyStart: '2024-01-01', now: () => new Date(NOW) });
  clari = await startClariCopilotSimulator({ ratePerSecond: Infinity, historyStart: '2024-01-01', now: () => new Date(NOW) });
});
afterAll(async () => {
  await avoma.close();
  await clari.close();
});

describe('simulators bound their own work', () => {
  it('Avoma lists 0001..9999 only up to its calendar horizon', async () => {
    const res = await request(`${avoma.url}/v1/meetings/?from_date=0001-01-01T00:00:00Z&to_date=9999-12-31T00:00:00Z&page_size=100&o=-start_at`, {
      headers: { authorization: `Bearer ${avoma.apiKey}` },
    });
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as { count: number; results: { start_at: string }[] };
    expect(body.count).toBeGreaterThan(0);
    // newest first: the first meeting is the latest one that exists
    expect(Date.parse(body.results[0]!.start_at)).toBeLessThanOrEqual(NOW + HORIZON);
    expect(body.count).toBe(avoma.dataset.meetingsBetween(Date.parse('2023-12-31T00:00:00Z'), NOW + HORIZON).length);
  });

  it('Clari lists 0001..9999 only up to its calendar horizon', async () => {
    const res = await request(`${clari.url}/calls?filterTimeGt=0001-01-01T00:00:00Z&filterTimeLt=9999-12-31T00:00:00Z&sortTime=desc&limit=5`, {
      headers: { 'x-api-key': 'sandbox-key', 'x-api-password': 'sandbox-password' },
    });
    expect(res.statusCode).toBe(200);
    const body = (await res.body.json()) as { calls: { time: string }[] };
    expect(body.calls.length).toBe(5);
    for (const c of body.calls) expect(Date.parse(c.time)).toBeLessThanOrEqual(NOW + HORIZON);
  });

  it('the shared synthetic world refuses to generate more than MAX_DAYS_PER_QUERY days in one query', () => {
    const world = new GongDataset({ seed: 3, timeZone: 'UTC', userCount: 2, historyStart: '2000-01-01' });
    expect(() => world.callsBetween(Date.parse('2000-01-01T00:00:00Z'), Date.parse('9999-12-31T00:00:00Z'))).toThrow(QueryTooLargeError);
    expect(() => world.callsBetween(Date.parse('2000-01-01T00:00:00Z'), Infinity)).toThrow(/at most 3660 days/);
    const ok = world.callsBetween(Date.parse('2000-01-01T00:00:00Z'), Date.parse('2000-01-01T00:00:00Z') + (MAX_DAYS_PER_QUERY - 1) * DAY);
    expect(ok.length).toBeGreaterThan(0);
  });

  it('a refused range is the vendor\'s 400, not a stall or a 500', async () => {
    const old = await startAvomaSimulator({ rateLimit: Infinity, historyStart: '2000-01-01', now: () => new Date(NOW) });
    try {
      const res = await request(`${old.url}/v1/meetings/?from_date=0001-01-01T00:00:00Z&to_date=9999-12-31T00:00:00Z`, {
        headers: { authorization: `Bearer ${old.apiKey}` },
      });
      expect(res.statusCode).toBe(400);
      expect(await res.body.json()).toEqual({ detail: expect.stringMatching(/at most 3660 days/) });
    } finally {
      await old.close();
    }
  });
});
