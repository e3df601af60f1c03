import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { Agent } from 'undici';
import { startClariCopilotSimulator, type ClariCopilotSimulator, type ClariSimCall, type RecordedRequest } from '../../sandbox/clari_copilot/index.js';
import { callsPages } from '../../src/connectors/clari_copilot/paging.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { RateBudget } from '../../src/upstream/rate-budget.js';
import { clockAt } from '../../src/domain/clock.js';
import { expectPaced } from '../helpers/pacing.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The Clari Copilot connector end to end: Parley's API → connector → loopback HTTP → the Clari
 * simulator. Assertions are on what Parley returns AND on the exact requests it sent to Clari.
 * Most accounts claim a raised rate limit (rate_limit_per_second) so the suite stays fast; the
 * pacing test uses a small one.
 */
let sim: ClariCopilotSimulator;
let t: TestParley;
const KEY = 'clari-key-7d1e';
const PASSWORD = 'clari-password-93fa';
const FAST = 60;
// The simulators admit half as much again as the accounts send: arrivals bunch on a loaded machine,
// and a 429 there would be the test's jitter, not Parley's pacing (the pacing test has its own).
const SIM_RATE = FAST * 1.5;
// Parley and the simulators share one calendar, pinned to a Wednesday afternoon a month after the
// fixed weeks below: those are settled, and the last 30 days end in a week still under way.
const NOW = Date.parse('2025-04-16T15:00:00Z');
const simNow = () => new Date(NOW);

beforeAll(async () => {
  sim = await startClariCopilotSimulator({ apiKey: KEY, apiPassword: PASSWORD, userCount: 6, ratePerSecond: SIM_RATE, now: simNow });
  t = await startTestParley({}, { clock: clockAt(NOW) });
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

/**
 * `revoked`: credentials the vendor refuses, stored without the verification a create does (a key
 * revoked after it was connected), to see how reads answer the vendor's 401.
 */
async function newAccount(simulator = sim, creds: Record<string, unknown> = {}, revoked = false): Promise<string> {
  const body = {
    integration: 'clari_copilot',
    credentials: { api_key: KEY, api_password: PASSWORD, base_url: simulator.url, rate_limit_per_second: FAST, ...creds },
  };
  if (revoked) return (await t.parley.accounts.create('default', body, { skipVerification: true })).id;
  const res = await t.call('POST', '/integrated-accounts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const BASE = '/unified/conversational-intelligence';
const url = (resource: string, params: Record<string, string>) => `${BASE}/${resource}?${new URLSearchParams(params)}`;
const since = (simulator: ClariCopilotSimulator, n: number): RecordedRequest[] => simulator.requests.slice(n);
const ms = (iso: string) => DateTime.fromISO(iso, { setZone: true }).toMillis();

const listAll = (path: string, limit: number) => t.listAll(path, limit);

/** What Clari lists for [start, end): recorded, not private, in time order. */
function expectedCalls(simulator: ClariCopilotSimulator, start: string, end: string, nowMs = NOW, processedOnly = false): ClariSimCall[] {
  const endMs = ms(end);
  return simulator.dataset
    .callsBetween(ms(start), endMs)
    .filter((c) => !c.isPrivate && c.time < endMs && (!processedOnly || simulator.dataset.isProcessed(c, nowMs)));
}

function expectClariAuth(requests: RecordedRequest[]) {
  for (const r of requests) {
    expect(r.headers['x-api-key']).toBe(KEY);
    expect(r.headers['x-api-password']).toBe(PASSWORD);
    expect(r.headers.authorization).toBeUndefined();
  }
}

// A past week, so every call in it is settled (processed or missed).
const WEEK_START = '2025-03-03T00:00:00Z';
const WEEK_END = '2025-03-10T00:00:00Z';

describe('Clari Copilot Users', () => {
  it('GET /users once, mapped with ids as strings; seatless colleagues are not users', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const res = await t.call('GET', url('users', { integrated_account_id: id }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => [r.method, r.path, r.query])).toEqual([['GET', '/users', {}]]);
    expectClariAuth(sent);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.result.map((u: any) => u.id)).toEqual(sim.dataset.users.map((u) => u.id));
    const first = sim.dataset.users[0]!;
    expect(res.body.result[0]).toEqual({ id: first.id, name: first.name, emails: [{ email: first.email, is_primary: true }], remote_data: first });
    // the solutions engineer of the synthetic company has no Copilot seat
    const people = sim.dataset.world.users.filter((u) => u.active);
    expect(res.body.result).toHaveLength(people.length - 1);

    const one = await t.call('GET', `${BASE}/users/${first.id}?integrated_account_id=${id}`);
    expect(one.body.id).toBe(first.id);
    expect((await t.call('GET', `${BASE}/users/nope?integrated_account_id=${id}`)).status).toBe(404);
  });
});

describe('Clari Copilot Meetings and Transcripts', () => {
  it('lists a week with the exact filters, time ascending, and maps people to sides and users', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const { all } = await listAll(url('meetings', { integrated_account_id: id, start_time: WEEK_START, end_time: WEEK_END }), 1000);
    const sent = since(sim, before);
    expectClariAuth(sent);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /users', 'GET /calls']);
    expect(sent[1]!.query).toEqual({
      skip: '0',
      limit: '100',
      sortTime: 'asc',
      includePagination: 'true',
      filterTimeGt: '2025-03-03T00:00:00Z',
      filterTimeLt: '2025-03-10T00:00:00Z',
    });
    const expected = expectedCalls(sim, WEEK_START, WEEK_END);
    expect(expected.length).toBeGreaterThan(20);
    expect(all.map((m) => m.id)).toEqual(expected.map((c) => c.id));

    const userIds = new Set(sim.dataset.users.map((u) => u.id));
    let seatless = 0;
    for (const m of all) {
      const call = sim.dataset.callJson(sim.dataset.call(m.id)!, NOW) as any;
      expect(m.start_time).toBe(call.time);
      expect(ms(m.start_time)).toBeGreaterThanOrEqual(ms(WEEK_START));
      expect(ms(m.start_time)).toBeLessThan(ms(WEEK_END));
      expect(m.remote_data.id).toBe(m.id);
      if (call.metrics) {
        expect(m.duration).toBe(call.metrics.call_duration); // seconds
        expect(ms(m.end_time) - ms(m.start_time)).toBe(call.metrics.call_duration * 1000);
      }
      const organizer = call.users.find((u: any) => u.isOrganizer);
      if (organizer) expect(m.host_user_id).toBe(organizer.userId);
      // one attendee per person (invited and joined entries merged by personId)
      const speakerIds = m.attendees.map((a: any) => a.speaker_id);
      expect(new Set(speakerIds).size).toBe(speakerIds.length);
      for (const a of m.attendees) {
        if (a.user_id) {
          expect(userIds.has(a.user_id)).toBe(true);
          expect(a.side).toBe('internal');
        } else if (a.email?.endsWith(`@${sim.dataset.companyDomain}`)) {
          expect(a.side).toBe('internal'); // a colleague without a seat: the email domain says so
          seatless += 1;
        } else {
          expect(a.side).toBe('external');
        }
      }
    }
    expect(seatless).toBeGreaterThan(0);
  });

  it('gets one meeting and its transcript from GET /call-details, in seconds with speakers resolved', async () => {
    const id = await newAccount();
    const call = expectedCalls(sim, WEEK_START, WEEK_END, NOW, true).find((c) => {
      const json = sim.dataset.callJson(c, NOW) as any;
      return json.externalParticipants.some((p: any) => p.email?.endsWith(`@${sim.dataset.companyDomain}`));
    })!;
    expect(call).toBeDefined();
    const before = sim.requests.length;
    const meeting = await t.call('GET', `${BASE}/meetings/${call.id}?integrated_account_id=${id}`);
    expect(meeting.status).toBe(200);
    expect(meeting.body.id).toBe(call.id);
    expect(meeting.body.remote_data.transcript).toBeUndefined();

    const res = await t.call('GET', url('transcripts', { integrated_account_id: id, meeting_id: call.id }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const details = since(sim, before).filter((r) => r.path === '/call-details');
    // a processed call's details are kept a few minutes: the transcript did not ask again
    expect(details.map((r) => r.query)).toEqual([{ id: call.id }]);
    const [transcript] = res.body.result;
    const turns = sim.dataset.transcript(call);
    expect(transcript.meeting).toEqual({ id: call.id });
    expect(transcript.entries).toHaveLength(turns.length);
    const json = sim.dataset.callJson(call, NOW) as any;
    const userOf = new Map<number, string>(json.users.map((u: any) => [u.personId, u.userId]));
    const sides = new Set<string>();
    transcript.entries.forEach((e: any, i: number) => {
      const turn = turns[i]!;
      expect(e.start_time).toBe(turn.start);
      expect(e.end_time).toBe(turn.end);
      expect(e.text).toBe(turn.text);
      expect(e.speaker_id).toBe(String(turn.personId));
      const user = userOf.get(turn.personId);
      if (user) {
        expect(e).toMatchObject({ speaker_side: 'internal', user_id: user });
      } else {
        expect(e.user_id).toBeUndefined();
      }
      sides.add(`${e.speaker_side}:${e.user_id ? 'user' : 'no-user'}`);
    });
    // reps with seats, the seatless colleague (internal by domain) and the customers all speak
    expect([...sides].sort()).toEqual(['external:no-user', 'internal:no-user', 'internal:user']);
    // seconds, not milliseconds: a sentence lasts seconds and the call ends within its duration
    const last = transcript.entries[transcript.entries.length - 1];
    expect(last.end_time).toBeLessThanOrEqual(json.metrics.call_duration);
    expect(last.end_time).toBeGreaterThan(json.metrics.call_duration * 0.8);
  });

  it('answers 404 for an unknown meeting and no transcript for a call that never happened', async () => {
    const id = await newAccount();
    expect((await t.call('GET', `${BASE}/meetings/0123abc?integrated_account_id=${id}`)).status).toBe(404);
    const missed = sim.dataset
      .callsBetween(ms('2025-01-01T00:00:00Z'), ms('2025-04-01T00:00:00Z'))
      .find((c) => sim.dataset.status(c, NOW) === 'NOBODY_JOINED_CALL')!;
    const res = await t.call('GET', url('transcripts', { integrated_account_id: id, meeting_id: missed.id }));
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual([]);
  });

  it('follows nextPageSkip over many small vendor pages: every call once, same filters on every page', async () => {
    const small = await startClariCopilotSimulator({ apiKey: KEY, apiPassword: PASSWORD, userCount: 6, ratePerSecond: SIM_RATE, pageSize: 4, now: simNow });
    try {
      const id = await newAccount(small);
      const before = small.requests.length;
      const { all, pages } = await listAll(url('meetings', { integrated_account_id: id, start_time: WEEK_START, end_time: WEEK_END }), 7);
      expect(pages).toBeGreaterThan(3);
      const expected = expectedCalls(small, WEEK_START, WEEK_END);
      expect(all.map((m) => m.id)).toEqual(expected.map((c) => c.id));
      const calls = since(small, before).filter((r) => r.path === '/calls');
      // each vendor page asked once: Parley caches the page it cut its own page from
      expect(calls.map((r) => r.query.skip)).toEqual(Array.from({ length: Math.ceil(expected.length / 4) }, (_, i) => String(i * 4)));
      for (const r of calls) {
        expect(r.query).toMatchObject({ limit: '100', sortTime: 'asc', filterTimeGt: '2025-03-03T00:00:00Z', filterTimeLt: '2025-03-10T00:00:00Z' });
      }
    } finally {
      await small.close();
    }
  });

  it('starts a new time window when the next skip would pass the skip cap, without losing or repeating a call', async () => {
    // 10,000 is Clari's cap; a simulator with a cap of 7 and pages of 3 makes the connector move its window often.
    const tiny = await startClariCopilotSimulator({ apiKey: KEY, apiPassword: PASSWORD, userCount: 6, ratePerSecond: Infinity, pageSize: 3, maxSkip: 7, now: simNow });
    const dispatcher = new Agent();
    try {
      const http = new UpstreamClient({
        vendor: 'Clari Copilot',
        baseUrl: tiny.url,
        headers: { 'x-api-key': KEY, 'x-api-password': PASSWORD },
        budget: new RateBudget({ perSecond: 1000 }),
        dispatcher,
        timeoutMs: 2000,
        patienceMs: 5000,
      });
      const start = DateTime.fromISO('2025-03-03T00:00:00Z', { zone: 'UTC' });
      const end = start.plus({ days: 3 });
      const got: string[] = [];
      for await (const page of callsPages(http, { start, end }, { maxSkip: 7 })) got.push(...page.map((c) => String(c.id)));
      const expected = expectedCalls(tiny, start.toISO()!, end.toISO()!).map((c) => c.id);
      expect(got).toEqual(expected);
      const sent = tiny.requests.filter((r) => r.path === '/calls');
      expect(sent.every((r) => r.status === 200 && Number(r.query.skip) <= 7)).toBe(true);
      const windows = sent.filter((r) => r.query.skip === '0').map((r) => r.query.filterTimeGt as string);
      expect(windows.length).toBeGreaterThan(2);
      expect(windows.map(ms)).toEqual([...windows.map(ms)].sort((a, b) => a - b));
      // several calls share a start time (the 15-minute grid): the new window re-reads them and drops them
      const times = expected.map((cid) => tiny.dataset.call(cid)!.time);
      expect(new Set(times).size).toBeLessThan(times.length);
    } finally {
      await dispatcher.close();
      await tiny.close();
    }
  });
});

describe('Clari Copilot List Interactions', () => {
  it('computes all five standard metrics over the last 30 days by week, from processed calls and their transcripts', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const now = DateTime.fromMillis(NOW, { zone: 'utc' });
    const start = now.minus({ days: 30 }).startOf('day');
    const res = await t.call('GET', url('interactions', {
      integrated_account_id: id,
      start_time: start.toISODate()!,
      end_time: now.plus({ days: 1 }).toISODate()!,
      aggregation_period: 'week',
      limit: '1000',
    }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before);
    expectClariAuth(sent);
    const listing = sent.filter((r) => r.path === '/calls');
    expect(listing.length).toBeGreaterThan(0);
    for (const r of listing) {
      expect(r.query).toMatchObject({
        sortTime: 'asc',
        limit: '100',
        filterStatus: ['PROCESSED', 'POST_PROCESSING_DONE'],
        filterTimeGt: `${start.toISODate()}T00:00:00Z`,
      });
      // the range is clipped to the end of today (UTC here): no call starts in the future, and the
      // current week's bucket keeps one end (and one id) all day
      expect(ms(r.query.filterTimeLt as string)).toBeLessThanOrEqual(now.startOf('day').plus({ days: 1 }).toMillis());
    }
    // one GET /call-details per processed call of the range, nothing else
    const processed = expectedCalls(sim, start.toISO()!, listing[0]!.query.filterTimeLt as string, NOW, true);
    const details = sent.filter((r) => r.path === '/call-details').map((r) => r.query.id);
    expect(new Set(details)).toEqual(new Set(processed.map((c) => c.id)));
    expect(details).toHaveLength(processed.length);

    const records = res.body.result;
    const userIds = new Set(sim.dataset.users.map((u) => u.id));
    expect(records.length).toBeGreaterThan(4);
    let allFive = 0;
    for (const r of records) {
      expect(userIds.has(r.user.id)).toBe(true);
      expect(r.timezone).toBe('UTC');
      expect(r.aggregation_period).toBe('week');
      expect(DateTime.fromISO(r.start_time, { zone: 'UTC' }).weekday === 1 || r.start_time === `${start.toISODate()}T00:00:00Z`).toBe(true);
      for (const v of Object.values(r.metrics)) expect(Number.isFinite(v)).toBe(true);
      // call_count: the user's processed calls of the bucket (every rep on a call speaks)
      const bucket = processed.filter((c) => c.time >= ms(r.start_time) && c.time < ms(r.end_time));
      const own = bucket.filter((c) => (sim.dataset.callJson(c, NOW) as any).users.some((u: any) => u.userId === r.user.id));
      const hosted = own.some((c) => (sim.dataset.callJson(c, NOW) as any).users.some((u: any) => u.userId === r.user.id && u.isOrganizer));
      // patience needs a customer turn answered by the user: a host always has one, a silent guest may not
      const standard = ['interactivity', 'longest_customer_story', 'longest_monologue', 'question_rate', ...(hosted ? ['patience'] : [])];
      expect(Object.keys(r.metrics)).toEqual(expect.arrayContaining(standard));
      if (hosted) allFive += 1;
      expect(r.additional_metrics.find((m: any) => m.name === 'call_count')?.value).toBe(own.length);
      expect(r.user.name).toBe(sim.dataset.users.find((u) => u.id === r.user.id)!.name);
    }
    expect(allFive).toBeGreaterThan(records.length / 2);
  });

  it('maps Clari\'s per-call metrics natively: organizer attribution, documented conversions, absent metrics', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const res = await t.call('GET', url('interactions', {
      integrated_account_id: id,
      start_time: '2025-03-03',
      end_time: '2025-03-17',
      aggregation_period: 'week',
      timezone: 'Europe/Berlin',
      metrics_source: 'native',
    }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const listing = since(sim, before).filter((r) => r.path === '/calls');
    // one listing per bucket, bounds at Berlin midnight in UTC
    expect(listing.map((r) => [r.query.filterTimeGt, r.query.filterTimeLt])).toEqual([
      ['2025-03-02T23:00:00Z', '2025-03-09T23:00:00Z'],
      ['2025-03-09T23:00:00Z', '2025-03-16T23:00:00Z'],
    ]);
    for (const r of listing) expect(r.query.filterStatus).toEqual(['PROCESSED', 'POST_PROCESSING_DONE']);
    expect(since(sim, before).some((r) => r.path === '/call-details')).toBe(false);

    const records = res.body.result;
    expect(records.length).toBeGreaterThan(3);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const round3 = (x: number) => Math.round(x * 1000) / 1000;
    for (const r of records) {
      expect(r.timezone).toBe('Europe/Berlin');
      expect(r.start_time).toMatch(/^2025-03-(03|10)T00:00:00\+01:00$/);
      const calls = expectedCalls(sim, r.start_time, r.end_time, NOW, true)
        .map((c) => sim.dataset.callJson(c, NOW) as any)
        .filter((c) => (c.users.find((u: any) => u.isOrganizer) ?? c.users[0]).userId === r.user.id);
      expect(calls.length).toBeGreaterThan(0);
      expect(r.remote_data.calls.map((c: any) => c.id)).toEqual(calls.map((c) => c.id));
      expect(r.metrics).toEqual({
        longest_monologue: round3(mean(calls.map((c) => c.metrics.longest_monologue_duration))),
        question_rate: round3(mean(calls.map((c) => (c.metrics.num_questions_asked_by_reps * 3600) / c.metrics.call_duration))),
      });
      const extra = Object.fromEntries(r.additional_metrics.map((m: any) => [m.name, m.value]));
      expect(extra.talk_listen_ratio).toBe(round3(mean(calls.map((c) => c.metrics.talk_listen_ratio))));
      expect(extra.call_duration).toBe(round3(mean(calls.map((c) => c.metrics.call_duration))));
      expect(extra.engaging_questions).toBe(round3(mean(calls.map((c) => c.metrics.engaging_questions))));
      expect(extra.call_count).toBe(calls.length);
      expect(extra.longest_monologue_duration).toBeUndefined();
    }
  });

  it('sends a users filter upstream as filterUser emails', async () => {
    const id = await newAccount();
    const user = sim.dataset.users.find((u) => u.role === 'REP')!;
    const before = sim.requests.length;
    const res = await t.call('GET', `${url('interactions', {
      integrated_account_id: id,
      start_time: '2025-03-03',
      end_time: '2025-03-10',
      metrics_source: 'native',
    })}&users[0][id]=${user.id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const listing = since(sim, before).filter((r) => r.path === '/calls');
    expect(listing.map((r) => r.query.filterUser)).toEqual([user.email]);
    expect(res.body.result.map((r: any) => r.user.id)).toEqual([user.id]);
  });
});

describe('Clari Copilot vendor etiquette and errors', () => {
  it('paces an account under its per-second budget: the simulator never answers 429', async () => {
    // 3/s paces one request per 337 ms, 3 in any 1.03 s; the vendor admits 4 a second (a margin for arrival jitter)
    const strict = await startClariCopilotSimulator({ apiKey: KEY, apiPassword: PASSWORD, userCount: 6, ratePerSecond: 4, pageSize: 3, now: simNow });
    try {
      const id = await newAccount(strict, { rate_limit_per_second: 3 });
      await listAll(url('meetings', { integrated_account_id: id, start_time: '2025-03-04T00:00:00Z', end_time: '2025-03-07T00:00:00Z' }), 1000);
      const sent = strict.requests;
      expect(sent.length).toBeGreaterThan(5);
      expect(sent.every((r) => r.status === 200)).toBe(true);
      expectPaced(sent.map((r) => r.at), 340);
    } finally {
      await strict.close();
    }
  });

  it('waits out a 429 with Retry-After, backs off on one without (Clari declares none), retries a 503', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    sim.faults.push({ path: '/users', kind: 'rate-limit', retryAfterSeconds: 1 });
    sim.faults.push({ path: '/calls', kind: 'rate-limit', retryAfterSeconds: null });
    sim.faults.push({ path: '/calls', kind: 'status', status: 503 });
    const res = await t.call('GET', url('meetings', { integrated_account_id: id, start_time: WEEK_START, end_time: '2025-03-04T00:00:00Z' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => `${r.path} ${r.status}`)).toEqual(['/users 429', '/users 200', '/calls 429', '/calls 503', '/calls 200']);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(990);
    expect(sent[4]!.query).toEqual(sent[2]!.query);
    expect(res.body.result.map((m: any) => m.id)).toEqual(expectedCalls(sim, WEEK_START, '2025-03-04T00:00:00Z').map((c) => c.id));
  });

  it('turns a malformed or wrongly shaped body into 502 with the raw response', async () => {
    const verified1 = await newAccount();
    sim.faults.push({ path: '/calls', kind: 'malformed' });
    const bad = await t.call('GET', url('meetings', { integrated_account_id: verified1, start_time: WEEK_START, end_time: WEEK_END }));
    expect(bad.status).toBe(502);
    expect(bad.body).toMatchObject({ statusCode: 502, is_remote_error: true, message: expect.stringMatching(/Clari Copilot returned a body that is not valid JSON \(GET \/calls\)/) });
    expect(typeof bad.body.raw_response).toBe('string');

    const verified2 = await newAccount();
    sim.faults.push({ path: '/users', kind: 'malformed', variant: 'wrong-shape' });
    const shape = await t.call('GET', url('users', { integrated_account_id: verified2 }));
    expect(shape.status).toBe(502);
    expect(shape.body.message).toMatch(/^Clari Copilot returned an unexpected body for GET \/users: users: /);
    expect(shape.body.raw_response).toEqual({ errorMessage: null, data: 'this body has the wrong shape on purpose' });
  });

  it('keeps Clari\'s 401 for wrong credentials, flagged as a remote error with Clari\'s body', async () => {
    const id = await newAccount(sim, { api_password: 'wrong' }, true);
    const res = await t.call('GET', url('users', { integrated_account_id: id }));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, is_remote_error: true, raw_response: { errorMessage: expect.stringMatching(/^Invalid credentials/) } });
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
  });

  it('rejects missing credential fields with the field named', async () => {
    const res = await t.call('POST', '/integrated-accounts', { integration: 'clari_copilot', credentials: { api_key: 'k' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/credentials\.api_password/);
  });
});
