import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { clockAt } from '../../src/domain/clock.js';
import { ACTIVITY_COUNTERS } from '../../src/domain/activity.js';
import { GONG_ACTIVITY_COUNTERS, mapGongActivityCounters } from '../../src/connectors/gong/activity-mappers.js';
import { parseJsonKeepingBigIntegers } from '../../src/upstream/lossless-json.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/** Gong through the unified Activity, Scorecards and Scorecard templates: the exact upstream requests and every field. */
let sim: GongSimulator;
let t: TestParley;
let account: string;
const CI = '/unified/conversational-intelligence';
const ZONE = 'US/Pacific';
// a Thursday; Parley and the simulator share the calendar
const NOW = Date.parse('2024-06-13T17:00:00Z');

beforeAll(async () => {
  sim = await startGongSimulator({ pageSize: 3, now: () => new Date(NOW), ratePerSecond: Infinity });
  t = await startTestParley({}, { clock: clockAt(NOW) });
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
    sync: { enabled: false },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  account = res.body.id;
}, 30_000);
afterAll(async () => {
  await t?.close();
  await sim?.close();
});

const since = (before: number, path: string) => sim.requests.slice(before).filter((r) => r.path === path && r.status !== 429);
const callsIn = (from: number, to: number) => sim.dataset.callsBetween(from, to).filter((c) => c.endedAt <= NOW);

describe('lossless JSON', () => {
  it('keeps integers above 2^53 digit for digit as strings; other numbers are numbers', () => {
    const v = parseJsonKeepingBigIntegers('{"id": 9223372036854775807, "small": 42, "f": 0.1, "neg": -12345678901234567890, "arr": [1e3]}') as any;
    expect(v).toEqual({ id: '9223372036854775807', small: 42, f: 0.1, neg: '-12345678901234567890', arr: [1000] });
  });
});

describe('the Gong activity mapper', () => {
  it('maps all 15 Gong counters to the contract names, keeps unknown ones, never invents a 0', () => {
    expect(Object.values(GONG_ACTIVITY_COUNTERS).sort()).toEqual([...ACTIVITY_COUNTERS].sort());
    const counters = Object.fromEntries(Object.keys(GONG_ACTIVITY_COUNTERS).map((k, i) => [k, i + 1]));
    const { metrics, additional_metrics } = mapGongActivityCounters({ ...counters, callsCoached: 7, fromDate: '2024-05-01', callsAsHost: null });
    for (const [g, u] of Object.entries(GONG_ACTIVITY_COUNTERS)) {
      if (g === 'callsAsHost') expect(metrics[u]).toBeUndefined();
      else expect(metrics[u]).toBe(counters[g]);
    }
    expect(additional_metrics).toEqual([{ name: 'callsCoached', value: 7 }]);
  });
});

describe('Gong Activity', () => {
  it('week buckets from aggregate-by-period: one listing, cursor in the body, identical filters; counts match the calls', async () => {
    const before = sim.requests.length;
    const url = `${CI}/activity?integrated_account_id=${account}&start_time=2024-05-01&end_time=2024-06-01&aggregation_period=week&read_from=live`;
    const { all } = await t.listAll(url, 4);
    const sent = since(before, '/v2/stats/activity/aggregate-by-period');
    expect(sent.length).toBeGreaterThan(1); // Gong pages of 3 users
    const first = sent[0]!.body as any;
    expect(first).toEqual({ filter: { fromDate: '2024-05-01', toDate: '2024-06-01' }, aggregationPeriod: 'WEEK' });
    for (const r of sent.slice(1)) {
      const { cursor, ...rest } = r.body as any;
      expect(typeof cursor).toBe('string');
      expect(rest).toEqual(first);
    }
    expect(sim.requests.slice(before).every((r) => r.method === 'POST' || r.path === '/v2/users')).toBe(true);
    // buckets: May 1 (Wed) .. May 6, then Mondays, clipped at the range end
    const starts = [...new Set(all.map((r) => r.start_time))].sort();
    expect(starts[0]).toBe('2024-05-01T00:00:00-07:00');
    for (const s of starts.slice(1)) expect(DateTime.fromISO(s, { setZone: true }).weekday).toBe(1);
    expect(all.every((r) => r.timezone === ZONE && r.aggregation_period === 'week')).toBe(true);
    // ordered by start_time then user id, no duplicates
    const keys = all.map((r) => `${r.start_time}|${r.user.id}`);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    for (const r of all) {
      const from = Date.parse(r.start_time);
      const to = Date.parse(r.end_time);
      const calls = callsIn(from, to);
      expect(r.metrics.calls_hosted, `${r.user.id} ${r.start_time}`).toBe(calls.filter((c) => c.metaData.primaryUserId === r.user.id).length);
      expect(r.metrics.calls_attended).toBe(
        calls.filter((c) => c.metaData.primaryUserId !== r.user.id && c.parties.some((p) => p.userId === r.user.id && p.speakerId !== undefined)).length,
      );
      // every counter of the remote period, mapped to its contract name
      for (const [g, u] of Object.entries(GONG_ACTIVITY_COUNTERS)) expect(r.metrics[u]).toBe(r.remote_data[g]);
      expect(r.additional_metrics).toEqual([]);
      expect(r.user.id).toMatch(/^\d{18,19}$/);
      const user = sim.dataset.user(r.user.id)!;
      expect(r.user.name).toBe(`${user.firstName} ${user.lastName}`);
      expect(r.user.emails[0]).toEqual({ email: user.emailAddress, is_primary: true });
    }
    // no record for a user without activity in a bucket (Gong sends zero periods)
    expect(all.every((r) => Object.values(r.metrics).some((v) => v !== 0))).toBe(true);
  });

  it('total from /v2/stats/activity/aggregate; users filter sent upstream; the same ids on a second read', async () => {
    const someone = sim.dataset.users[2]!.id;
    const before = sim.requests.length;
    const res = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2024-05-01&end_time=2024-06-01&users[][id]=${someone}&read_from=live`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(before, '/v2/stats/activity/aggregate');
    expect(sent.map((r) => r.body)).toEqual([{ filter: { fromDate: '2024-05-01', toDate: '2024-06-01', userIds: [someone] } }]);
    expect(res.body.result).toHaveLength(1);
    const r = res.body.result[0];
    expect(r.user.id).toBe(someone);
    expect(r.aggregation_period).toBe('total');
    expect([r.start_time, r.end_time]).toEqual(['2024-05-01T00:00:00-07:00', '2024-06-01T00:00:00-07:00']);
    const calls = callsIn(Date.parse(r.start_time), Date.parse(r.end_time));
    expect(r.metrics.calls_hosted).toBe(calls.filter((c) => c.metaData.primaryUserId === someone).length);
    expect(r.remote_data.timeZone).toBe(ZONE);
    const again = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2024-05-01&end_time=2024-06-01&users[][id]=${someone}&read_from=live`);
    expect(again.body.result[0].id).toBe(r.id);
  });

  it('clips toDate to today in the company zone; 404 = no records; another zone is a 400', async () => {
    const before = sim.requests.length;
    const future = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2024-06-10&end_time=2024-07-01&aggregation_period=day&read_from=live`);
    expect(future.status).toBe(200);
    const sent = since(before, '/v2/stats/activity/aggregate-by-period');
    expect((sent[0]!.body as any).filter).toEqual({ fromDate: '2024-06-10', toDate: '2024-06-13' }); // today (Thursday) is not reportable yet
    expect(future.body.result.every((r: any) => Date.parse(r.end_time) <= Date.parse('2024-06-13T00:00:00-07:00'))).toBe(true);
    const empty = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2019-01-01&end_time=2019-02-01&read_from=live`);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ result: [], next_cursor: null, result_count: 0 });
    const zone = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2024-05-01&end_time=2024-06-01&timezone=Europe/Berlin&read_from=live`);
    expect(zone.status).toBe(400);
    expect(zone.body.message).toMatch(/company time zone \(US\/Pacific\)/);
    const bad = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2024-06-01&end_time=2024-05-01`);
    expect(bad.status).toBe(400);
    // a cursor is only valid with the filters it was issued for
    const first = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2024-05-01&end_time=2024-06-01&aggregation_period=day&read_from=live&limit=2`);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const other = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2024-05-01&end_time=2024-06-01&aggregation_period=week&read_from=live&limit=2&next_cursor=${encodeURIComponent(first.body.next_cursor)}`);
    expect(other.status).toBe(400);
    const period = await t.call('GET', `${CI}/activity?integrated_account_id=${account}&start_time=2024-05-01&end_time=2024-06-01&aggregation_period=year`);
    expect(period.status).toBe(400);
    expect(period.body.message).toMatch(/aggregation_period/);
  });
});

describe('Gong Scorecards', () => {
  it('lists answered scorecards with 64-bit ids digit for digit, every field mapped, Gong filters sent and kept while paging', async () => {
    const before = sim.requests.length;
    const { all } = await t.listAll(`${CI}/scorecards?integrated_account_id=${account}&start_time=2024-05-01&end_time=2024-05-06&read_from=live`, 5);
    const sent = since(before, '/v2/stats/activity/scorecards');
    expect(sent.length).toBeGreaterThan(1);
    const first = sent[0]!.body as any;
    expect(first).toEqual({ filter: { callFromDate: '2024-05-01', callToDate: '2024-05-06', reviewMethod: 'BOTH' } });
    for (const r of sent.slice(1)) {
      const { cursor, ...rest } = r.body as any;
      expect(typeof cursor).toBe('string');
      expect(rest).toEqual(first);
    }
    const expected = sim.activity.scorecards({ callFrom: Date.parse('2024-05-01T07:00:00Z'), callTo: Date.parse('2024-05-06T07:00:00Z'), asOf: NOW });
    expect(all.map((s) => s.id).sort()).toEqual(expected.map((s) => s.answeredScorecardId).sort());
    const byId = new Map(expected.map((s) => [s.answeredScorecardId, s]));
    const templates = new Map(sim.activity.templates.map((x) => [x.scorecardId, x]));
    for (const s of all) {
      const e = byId.get(s.id)!;
      expect(s.id).toMatch(/^\d{19}$/);
      expect(BigInt(s.id) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
      expect(s.meeting).toEqual({ id: e.callId, start_time: e.callStartTime });
      expect(sim.dataset.call(s.meeting.id)).toBeDefined();
      expect(s.scorecard_template).toEqual({ id: e.scorecardId, name: e.scorecardName });
      const reviewee = sim.dataset.user(e.reviewedUserId)!;
      expect(s.reviewee).toEqual({ id: e.reviewedUserId, name: `${reviewee.firstName} ${reviewee.lastName}`, email: reviewee.emailAddress });
      if (e.reviewMethod === 'AUTOMATIC') expect(s.reviewer).toBeUndefined();
      else expect(s.reviewer.id).toBe(e.reviewerUserId);
      expect(s.review_method).toBe(e.reviewMethod.toLowerCase());
      expect(s.reviewed_at).toBe(e.reviewTime);
      expect(s.visibility).toBe(e.visibilityType.toLowerCase());
      const overall = e.answers.find((a) => a.isOverall)!;
      if (overall.score !== undefined) expect(s.overall_score).toBe(overall.score);
      const questions = new Map(templates.get(e.scorecardId)!.questions.map((q) => [q.questionId, q.questionText]));
      expect(s.answers).toHaveLength(e.answers.length);
      s.answers.forEach((a: any, i: number) => {
        const ea = e.answers[i]!;
        expect(a.question).toEqual({ id: ea.questionId, text: questions.get(ea.questionId) });
        expect(a.is_overall).toBe(ea.isOverall);
        expect(a.not_applicable).toBe(ea.notApplicable);
        expect(a.score).toBe(ea.score);
        expect(a.text).toBe(ea.answerText);
        expect(a.selected_options).toEqual(ea.selectedOptions);
      });
      expect(s.remote_data.answeredScorecardId).toBe(s.id);
    }
  });

  it('reviewees, templates and method go to Gong; reviewers and exact instants are applied by Parley', async () => {
    const manual = sim.activity.templates.find((x) => x.reviewMethod === 'MANUAL')!;
    const expected = sim.activity
      .scorecards({ callFrom: Date.parse('2024-05-01T07:00:00Z'), callTo: Date.parse('2024-06-01T07:00:00Z'), asOf: NOW })
      .filter((s) => s.reviewMethod === 'MANUAL');
    const reviewer = expected[0]!.reviewerUserId!;
    const reviewee = expected[0]!.reviewedUserId;
    const before = sim.requests.length;
    const res = await t.call(
      'GET',
      `${CI}/scorecards?integrated_account_id=${account}&start_time=2024-05-01T12:00:00Z&end_time=2024-06-01&reviewees[][id]=${reviewee}&reviewers[][id]=${reviewer}&scorecard_templates[][id]=${manual.scorecardId}&review_method=manual&read_from=live&limit=1000`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(since(before, '/v2/stats/activity/scorecards')[0]!.body).toEqual({
      filter: { callFromDate: '2024-05-01', callToDate: '2024-06-01', reviewedUserIds: [reviewee], scorecardIds: [manual.scorecardId], reviewMethod: 'MANUAL' },
    });
    const want = expected.filter((s) => s.reviewerUserId === reviewer && s.reviewedUserId === reviewee && Date.parse(s.callStartTime) >= Date.parse('2024-05-01T12:00:00Z'));
    expect(res.body.result.map((s: any) => s.id).sort()).toEqual(want.map((s) => s.answeredScorecardId).sort());
    expect(want.length).toBeGreaterThan(0);
  });

  it('lists scorecard templates from GET /v2/settings/scorecards', async () => {
    const before = sim.requests.length;
    const res = await t.call('GET', `${CI}/scorecard-templates?integrated_account_id=${account}&read_from=live`);
    expect(res.status).toBe(200);
    expect(since(before, '/v2/settings/scorecards').map((r) => r.method)).toEqual(['GET']);
    const t0 = sim.activity.templates[0]!;
    const a = res.body.result.find((x: any) => x.id === t0.scorecardId);
    const b = res.body.result.find((x: any) => x.id !== t0.scorecardId);
    expect(res.body.result.map((x: any) => x.id)).toEqual([...sim.activity.templates.map((x) => x.scorecardId)].sort());
    expect(a).toMatchObject({ id: t0.scorecardId, name: t0.scorecardName, enabled: true, review_method: 'manual', created_at: t0.created, updated_at: t0.updated });
    expect(a.questions[0]).toEqual({ id: t0.questions[0]!.questionId, text: t0.questions[0]!.questionText, type: 'SCALE', is_overall: true, min: 1, max: 5 });
    expect(a.questions[2].options).toEqual([{ id: '1', text: 'Demo' }, { id: '2', text: 'Proposal' }, { id: '3', text: 'None' }]);
    expect(b.review_method).toBe('automatic');
    expect(a.id).toMatch(/^\d{19}$/);
  });
});
