import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, isSafeNumber } from 'lossless-json';
import { DateTime } from 'luxon';
import { startGongSimulator, validateGongResponse, type GongSimulator } from '../../sandbox/gong/index.js';

/** The Gong simulator's activity and scorecard routes: Gong's document, and data consistent with its calls. */

const NOW = new Date('2024-06-15T19:00:00Z'); // 12:00 in US/Pacific
const AUTH = `Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}`;

let sim: GongSimulator;
beforeAll(async () => {
  sim = await startGongSimulator({ now: () => NOW, ratePerSecond: Infinity, perDay: Infinity, pageSize: 5 });
});
afterAll(async () => sim?.close());

async function call(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; json: any }> {
  const res = await fetch(sim.url + path, {
    method,
    headers: { authorization: AUTH, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
}

async function all(path: string, body: Record<string, unknown>): Promise<{ pages: any[]; texts: string[] }> {
  const pages: any[] = [];
  const texts: string[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 200; i++) {
    const a = await call('POST', path, cursor ? { cursor, ...body } : body);
    expect(a.status, a.text).toBe(200);
    expect(validateGongResponse('POST', path, 200, a.json).errors).toEqual([]);
    pages.push(a.json);
    texts.push(a.text);
    cursor = a.json.records?.cursor;
    if (!cursor) return { pages, texts };
  }
  throw new Error('cursor never ended');
}

describe('Gong simulator: activity stats', () => {
  const filter = { fromDate: '2024-05-01', toDate: '2024-06-01' };

  it('aggregate-by-period: consecutive periods per user, weeks from Monday, counts = calls hosted and attended', async () => {
    const { pages } = await all('/v2/stats/activity/aggregate-by-period', { filter, aggregationPeriod: 'WEEK' });
    expect(pages.length).toBeGreaterThan(1);
    const users = pages.flatMap((p) => p.usersAggregateActivity);
    expect(users.length).toBeGreaterThan(3);
    const from = DateTime.fromISO('2024-05-01', { zone: 'US/Pacific' }).toMillis();
    const to = DateTime.fromISO('2024-06-01', { zone: 'US/Pacific' }).toMillis();
    const calls = sim.dataset.callsBetween(from, to).filter((c) => c.endedAt <= NOW.getTime());
    for (const u of users) {
      const periods = u.userAggregateActivity;
      expect(periods[0].fromDate).toBe('2024-05-01T00:00:00-07:00'); // mid-week: starts at fromDate
      expect(DateTime.fromISO(periods[1].fromDate, { setZone: true }).weekday).toBe(1);
      expect(periods.at(-1).toDate).toBe('2024-06-01T00:00:00-07:00');
      const hosted = periods.reduce((n: number, p: any) => n + p.callsAsHost, 0);
      const attended = periods.reduce((n: number, p: any) => n + p.callsAttended, 0);
      expect(hosted).toBe(calls.filter((c) => c.metaData.primaryUserId === u.userId).length);
      expect(attended).toBe(
        calls.filter((c) => c.metaData.primaryUserId !== u.userId && c.parties.some((p) => p.userId === u.userId && p.speakerId !== undefined)).length,
      );
    }
  });

  it('aggregate (total) equals the sum of the periods, and filters by userIds', async () => {
    const byDay = (await all('/v2/stats/activity/aggregate-by-period', { filter, aggregationPeriod: 'DAY' })).pages.flatMap((p) => p.usersAggregateActivity);
    const total = (await all('/v2/stats/activity/aggregate', { filter })).pages;
    expect(total[0].timeZone).toBe('US/Pacific');
    const totals = total.flatMap((p) => p.usersAggregateActivityStats);
    expect(totals.map((t: any) => t.userId)).toEqual(byDay.map((u: any) => u.userId));
    for (const t of totals) {
      const days = byDay.find((u: any) => u.userId === t.userId).userAggregateActivity;
      for (const [k, v] of Object.entries(t.userAggregateActivityStats)) expect(days.reduce((n: number, d: any) => n + d[k], 0)).toBe(v);
    }
    const one = totals[1].userId;
    const only = (await all('/v2/stats/activity/aggregate', { filter: { ...filter, userIds: [one] } })).pages.flatMap((p) => p.usersAggregateActivityStats);
    expect(only.map((t: any) => t.userId)).toEqual([one]);
  });

  it('404 when nothing, 400 for toDate after today, 400 for a missing aggregationPeriod', async () => {
    expect((await call('POST', '/v2/stats/activity/aggregate', { filter: { fromDate: '2019-01-01', toDate: '2019-01-02' } })).status).toBe(404);
    expect((await call('POST', '/v2/stats/activity/aggregate', { filter: { fromDate: '2024-06-01', toDate: '2024-06-17' } })).status).toBe(400);
    expect((await call('POST', '/v2/stats/activity/aggregate-by-period', { filter })).status).toBe(400);
  });
});

describe('Gong simulator: scorecards', () => {
  it('answered scorecards: int64 ids beyond 2^53 as JSON numbers; their calls exist; filters hold', async () => {
    const { pages, texts } = await all('/v2/stats/activity/scorecards', { filter: { callFromDate: '2024-05-01', callToDate: '2024-06-01', reviewMethod: 'BOTH' } });
    const lossless = texts.flatMap((t) => (parse(t) as any).answeredScorecards);
    expect(lossless.length).toBeGreaterThan(5);
    for (const s of lossless) {
      expect(s.answeredScorecardId.isLosslessNumber).toBe(true);
      expect(isSafeNumber(s.answeredScorecardId.value)).toBe(false);
      const c = sim.dataset.call(s.callId.value);
      expect(c).toBeDefined();
      expect(s.reviewedUserId.value).toBe(c!.metaData.primaryUserId);
      if (s.reviewMethod === 'AUTOMATIC') expect(s.reviewerUserId).toBeUndefined();
      else expect(s.reviewerUserId.isLosslessNumber).toBe(true);
    }
    expect(new Set(lossless.map((s: any) => s.reviewMethod))).toEqual(new Set(['MANUAL', 'AUTOMATIC']));
    expect(pages.length).toBeGreaterThan(1);
    const manual = (await all('/v2/stats/activity/scorecards', { filter: { callFromDate: '2024-05-01', callToDate: '2024-06-01' } })).texts.flatMap(
      (t) => (parse(t) as any).answeredScorecards,
    );
    expect(manual.every((s: any) => s.reviewMethod === 'MANUAL')).toBe(true); // Gong's default
  });

  it('templates: GET /v2/settings/scorecards', async () => {
    const a = await call('GET', '/v2/settings/scorecards');
    expect(a.status).toBe(200);
    expect(validateGongResponse('GET', '/v2/settings/scorecards', 200, a.json).errors).toEqual([]);
    const t = (parse(a.text) as any).scorecards;
    expect(t.map((x: any) => x.reviewMethod)).toEqual(['MANUAL', 'AUTOMATIC']);
    expect(t[0].scorecardId.value).toBe(sim.activity.templates[0]!.scorecardId);
  });
});
