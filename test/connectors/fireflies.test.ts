import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startFirefliesSimulator, type FirefliesSimulator, type RecordedRequest } from '../../sandbox/fireflies/index.js';
import { analyticsOf } from '../../sandbox/fireflies/analytics.js';
import { STANDARD_METRICS } from '../../src/domain/interaction.js';
import { SANDBOX_VENDORS, sandboxAccountId, startSandbox } from '../../src/sandbox.js';
import { clockAt } from '../../src/domain/clock.js';
import { expectPaced } from '../helpers/pacing.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The Fireflies connector end to end: Parley's API → connector → loopback HTTP → the Fireflies
 * GraphQL simulator. Assertions are on what Parley returns AND on the exact GraphQL requests sent.
 */
let sim: FirefliesSimulator;
let small: FirefliesSimulator;
let t: TestParley;

const BASE = '/unified/conversational-intelligence';
const FAST = 6000; // requests per minute for accounts whose pace is not under test
// Parley and the simulators share one calendar, pinned to a Thursday afternoon: the week before
// yesterday is a full working week, and the last 30 days span five ISO weeks. Known limit: a phone
// call of the customer who shares a rep's name (Oliver Costa; in the 30 days before 2025-06-12 or
// 2025-02-13) fails the call counts below, because Fireflies names speakers only and Parley matches
// that speaker to the company user of the same name.
const NOW = Date.parse('2025-07-10T15:00:00Z');
const TODAY = DateTime.fromMillis(NOW, { zone: 'utc' }).startOf('day');
const simNow = () => new Date(NOW);

beforeAll(async () => {
  [sim, small, t] = await Promise.all([
    startFirefliesSimulator({ requestsPerMinute: FAST, now: simNow }),
    startFirefliesSimulator({ requestsPerMinute: FAST, maxPageSize: 4, now: simNow }),
    startTestParley({}, { clock: clockAt(NOW) }),
  ]);
});
afterEach(() => {
  sim.faults.clear();
  small.faults.clear();
});
afterAll(async () => {
  await t.close();
  await Promise.all([sim.close(), small.close()]);
});

/**
 * `revoked`: credentials the vendor refuses, stored without the verification a create does (a key
 * revoked after it was connected), to see how reads answer the vendor's 401.
 */
async function newAccount(simulator: FirefliesSimulator, creds: Record<string, unknown> = {}, revoked = false): Promise<string> {
  const body = {
    integration: 'fireflies',
    credentials: { api_key: simulator.apiKey, base_url: simulator.url, rate_limit_per_minute: FAST, ...creds },
  };
  if (revoked) return (await t.parley.accounts.create('default', body, { skipVerification: true })).id;
  const res = await t.call('POST', '/integrated-accounts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const qs = (params: Record<string, string>) => new URLSearchParams(params).toString();
const ops = (sent: RecordedRequest[]) => sent.map((r) => (r.body as { operationName: string }).operationName);
const vars = (r: RecordedRequest) => (r.body as { variables: Record<string, unknown> }).variables;
const query = (r: RecordedRequest) => (r.body as { query: string }).query;
const iso = (d: DateTime) => d.toUTC().toISO();
const COMPANY_DOMAIN = '@lumenharbor.example';

const listAll = async (url: string, limit: number) => (await t.listAll(url, limit)).all;

function expectGraphQLRequest(r: RecordedRequest, simulator = sim) {
  expect(r.method).toBe('POST');
  expect(r.path).toBe('/graphql');
  expect(r.headers.authorization).toBe(`Bearer ${simulator.apiKey}`);
  expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
  expect(Object.keys(r.body as object).sort()).toEqual(['operationName', 'query', 'variables']);
}

describe('Fireflies Users', () => {
  it('lists the team with one `users` query and maps ids, names and emails', async () => {
    const id = await newAccount(sim);
    const before = sim.requests.length;
    const res = await t.call('GET', `${BASE}/users?${qs({ integrated_account_id: id })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = sim.requests.slice(before);
    expect(ops(sent)).toEqual(['Users']);
    expectGraphQLRequest(sent[0]!);
    expect(query(sent[0]!)).toBe('query Users { users { user_id email name } }');
    expect(vars(sent[0]!)).toEqual({});
    expect(res.body.result.map((u: any) => ({ id: u.id, name: u.name, emails: u.emails }))).toEqual(
      sim.dataset.users.map((u) => ({ id: u.user_id, name: u.name, emails: [{ email: u.email, is_primary: true }] })),
    );
    expect(res.body.next_cursor).toBeNull();
  });

  it('gets one user with `user(id)`; an unknown id is a 404 of Parley, not a vendor error', async () => {
    const id = await newAccount(sim);
    const user = sim.dataset.users[2]!;
    const before = sim.requests.length;
    const res = await t.call('GET', `${BASE}/users/${user.user_id}?${qs({ integrated_account_id: id })}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.user_id, name: user.name, emails: [{ email: user.email, is_primary: true }] });
    const [sent] = sim.requests.slice(before);
    expect(ops([sent!])).toEqual(['User']);
    expect(vars(sent!)).toEqual({ id: user.user_id });
    const missing = await t.call('GET', `${BASE}/users/01NOBODY?${qs({ integrated_account_id: id })}`);
    expect(missing.status).toBe(404);
    expect(missing.body.is_remote_error).toBeUndefined();
  });
});

describe('Fireflies Meetings and Transcripts', () => {
  const end = TODAY.minus({ days: 1 });
  const start = end.minus({ days: 7 });

  it('lists meetings with fromDate/toDate, follows skip/limit to the end, converts ms and minutes, resolves sides', async () => {
    const id = await newAccount(sim);
    const before = sim.requests.length;
    const all = await listAll(`${BASE}/meetings?${qs({ integrated_account_id: id, start_time: iso(start)!, end_time: iso(end)! })}`, 1000);
    const sent = sim.requests.slice(before);
    const calls = sim.dataset.transcriptsBetween(start.toMillis(), end.toMillis() - 1, NOW);
    expect(calls.length).toBeGreaterThan(20);
    expect(all.map((m) => m.id)).toEqual(calls.map((c) => sim.dataset.transcriptId(c)));

    // the team first (to tell company people from guests), then every page of 50
    const pages = Math.floor(calls.length / 50) + 1;
    expect(ops(sent)).toEqual(['Users', ...Array(pages).fill('Transcripts')]);
    sent.forEach((r) => expectGraphQLRequest(r));
    expect(sent.slice(1).map(vars)).toEqual(
      Array.from({ length: pages }, (_, i) => ({ limit: 50, skip: 50 * i, fromDate: start.toISO(), toDate: end.toISO() })),
    );
    expect(query(sent[1]!)).not.toContain('sentences');

    const seatUsers = new Map(sim.dataset.users.map((u) => [u.email, u.user_id]));
    for (const [i, m] of all.entries()) {
      const ff = sim.dataset.transcript(calls[i]!, NOW);
      expect(m.start_time).toBe(DateTime.fromMillis(ff.date, { zone: 'utc' }).toISO({ suppressMilliseconds: true })!.replace('+00:00', 'Z'));
      expect(m.duration).toBeCloseTo(ff.duration * 60, 6); // minutes → seconds
      expect(m.title).toBe(ff.title);
      expect(m.host_user_id).toBe(seatUsers.get(ff.organizer_email) ?? ff.user?.user_id);
      for (const a of m.attendees) {
        if (a.email) {
          expect(a.side).toBe(a.email.endsWith(COMPANY_DOMAIN) ? 'internal' : 'external');
          expect(a.user_id).toBe(seatUsers.get(a.email));
          expect(a.is_host).toBe(a.email === ff.organizer_email);
        }
      }
      const speakerIds = m.attendees.map((a: any) => a.speaker_id).filter(Boolean).sort();
      expect(speakerIds).toEqual(ff.speakers.map((s) => String(s.id)).sort());
      const emails = new Set(m.attendees.map((a: any) => a.email).filter(Boolean));
      for (const p of ff.participants.flatMap((x) => x.split(','))) expect(emails.has(p)).toBe(true);
    }
  });

  it('gets a meeting and its transcript by id: seconds kept, every entry with side and user', async () => {
    const id = await newAccount(sim);
    const call = sim.dataset.transcriptsBetween(start.toMillis(), end.toMillis(), NOW)
      .find((c) => c.internalUserIds.length === 2 && c.internalUserIds.every((u) => sim.dataset.userOfGongId(u)));
    expect(call).toBeDefined();
    const ff = sim.dataset.transcript(call!, NOW);
    const before = sim.requests.length;
    const meeting = await t.call('GET', `${BASE}/meetings/${ff.id}?${qs({ integrated_account_id: id })}`);
    expect(meeting.status, JSON.stringify(meeting.body)).toBe(200);
    expect(meeting.body.id).toBe(ff.id);
    const res = await t.call('GET', `${BASE}/transcripts?${qs({ integrated_account_id: id, meeting_id: ff.id })}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = sim.requests.slice(before);
    expect(ops(sent)).toEqual(['Users', 'Transcript', 'Transcript']);
    expect(vars(sent[1]!)).toEqual({ id: ff.id });
    expect(query(sent[1]!)).not.toContain('sentences');
    expect(query(sent[2]!)).toContain('sentences { index speaker_id speaker_name text raw_text start_time end_time }');

    const [tr] = res.body.result;
    expect(tr.meeting).toEqual({ id: ff.id });
    expect(tr.entries).toHaveLength(ff.sentences.length);
    const userOfSpeaker = new Map<string, string>();
    for (const p of call!.parties) {
      const user = p.userId ? sim.dataset.userOfGongId(p.userId) : undefined;
      const index = call!.speakers.findIndex((s) => s.speakerId === p.speakerId);
      if (user && index >= 0) userOfSpeaker.set(String(index), user.user_id);
    }
    expect(userOfSpeaker.size).toBe(2); // host and co-host both have seats
    tr.entries.forEach((e: any, i: number) => {
      const s = ff.sentences[i]!;
      expect([e.speaker_id, e.speaker_name, e.text, e.start_time, e.end_time]).toEqual([s.speaker_id, s.speaker_name, s.text, s.start_time, s.end_time]);
      expect(e.user_id).toBe(userOfSpeaker.get(e.speaker_id));
      expect(e.speaker_side).toBe(userOfSpeaker.has(e.speaker_id) ? 'internal' : 'external');
    });

    const missing = await t.call('GET', `${BASE}/meetings/01UNKNOWN?${qs({ integrated_account_id: id })}`);
    expect(missing.status).toBe(404);
    const none = await t.call('GET', `${BASE}/transcripts?${qs({ integrated_account_id: id, meeting_id: '01UNKNOWN' })}`);
    expect(none.status).toBe(404);
  });

  it('walks a small page size to the end: every meeting exactly once, identical filters on every page', async () => {
    const id = await newAccount(small, { page_size: 4 });
    const from = DateTime.fromMillis(NOW, { zone: 'utc' }).minus({ days: 6 });
    const before = small.requests.length;
    const all = await listAll(`${BASE}/meetings?${qs({ integrated_account_id: id, start_time: iso(from)! })}`, 3);
    const sent = small.requests.slice(before).filter((r) => ops([r])[0] === 'Transcripts');
    const expected = small.dataset.transcriptsBetween(from.toMillis(), NOW, NOW).map((c) => small.dataset.transcriptId(c));
    expect(expected.length).toBeGreaterThan(8);
    expect(all.map((m) => m.id)).toEqual(expected);
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);
    // without an end, the first page froze toDate at "now" so later pages cannot shift
    const frozen = vars(sent[0]!).toDate as string;
    expect(DateTime.fromISO(frozen).isValid).toBe(true);
    expect(sent.map(vars)).toEqual(sent.map((_, i) => ({ limit: 4, skip: 4 * i, fromDate: from.toISO(), toDate: frozen })));
    expect(sent).toHaveLength(Math.floor(expected.length / 4) + 1);
  });

  it('keeps a vendor 4xx: a page larger than Fireflies accepts is its invalid_arguments (400)', async () => {
    const id = await newAccount(small, { page_size: 10 });
    const res = await t.call('GET', `${BASE}/meetings?${qs({ integrated_account_id: id, start_time: iso(start)!, end_time: iso(end)! })}`);
    expect(res.status).toBe(400);
    expect(res.body.is_remote_error).toBe(true);
    expect(res.body.raw_response.errors[0]).toMatchObject({ code: 'invalid_arguments', extensions: { status: 400 } });
    expect(res.body.message).toMatch(/invalid_arguments/);
  });
});

describe('Fireflies Interactions', () => {
  it('computes all five standard metrics per user and week over the last 30 days from bulk pages with sentences', async () => {
    const id = await newAccount(sim);
    const start = TODAY.minus({ days: 30 });
    const before = sim.requests.length;
    const url = `${BASE}/interactions?${qs({ integrated_account_id: id, start_time: start.toISODate()!, end_time: TODAY.plus({ days: 1 }).toISODate()!, aggregation_period: 'week' })}`;
    const records = await listAll(url, 1000);
    const sent = sim.requests.slice(before);
    expect(ops(sent)[0]).toBe('Users');
    const pages = sent.filter((r) => ops([r])[0] === 'Transcripts');
    expect(pages.length).toBe(sent.length - 1);
    expect(pages.length).toBeLessThan(20); // 50 meetings with their sentences per request, never one per meeting
    for (const [i, r] of pages.entries()) {
      expect(query(r)).toContain('sentences {');
      expect(vars(r)).toMatchObject({ limit: 50, skip: 50 * i, fromDate: start.toISO(), toDate: vars(pages[0]!).toDate });
    }

    expect(records.length).toBeGreaterThan(5);
    const userIds = new Set(sim.dataset.users.map((u) => u.user_id));
    let complete = 0;
    for (const r of records) {
      expect(userIds.has(r.user.id)).toBe(true);
      expect(r.timezone).toBe('UTC');
      expect(r.aggregation_period).toBe('week');
      expect(r.additional_metrics.map((a: any) => a.name)).toEqual(expect.arrayContaining(['talk_ratio', 'call_count']));
      const talkRatio = r.additional_metrics.find((a: any) => a.name === 'talk_ratio').value;
      // patience is undefined (METRICS.md) for a co-host who only said hello: no customer turn was answered
      const expected = talkRatio < 0.01 ? STANDARD_METRICS.filter((m) => m !== 'patience') : STANDARD_METRICS;
      for (const m of expected) expect(typeof r.metrics[m], `${m} of ${r.user.id} ${r.start_time}`).toBe('number');
      if (STANDARD_METRICS.every((m) => typeof r.metrics[m] === 'number')) complete += 1;
    }
    expect(complete / records.length).toBeGreaterThan(0.9);

    // every transcribed meeting a seat holder spoke in is counted for them, in the week it started
    // (this morning's meetings Fireflies is still transcribing have no sentences yet)
    const counted = new Map<string, number>();
    for (const r of records) counted.set(`${r.user.id}|${r.start_time}`, r.additional_metrics.find((a: any) => a.name === 'call_count').value);
    const expected = new Map<string, number>();
    const buckets = [...new Set(records.map((r) => `${r.start_time}|${r.end_time}`))].map((b) => b.split('|') as [string, string]);
    for (const [bs, be] of buckets) {
      for (const call of sim.dataset.transcriptsBetween(DateTime.fromISO(bs).toMillis(), DateTime.fromISO(be).toMillis() - 1, NOW)) {
        if (!sim.dataset.isTranscribed(call, NOW)) continue;
        const spoke = new Set(sim.dataset.utterances(call).map((u) => u.speakerId));
        for (const p of call.parties) {
          const user = p.userId ? sim.dataset.userOfGongId(p.userId) : undefined;
          if (user && p.speakerId && spoke.has(p.speakerId)) expected.set(`${user.user_id}|${bs}`, (expected.get(`${user.user_id}|${bs}`) ?? 0) + 1);
        }
      }
    }
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(expected));
  });

  it('serves Fireflies analytics as native metrics: one query per bucket, only longest_monologue standard', async () => {
    const id = await newAccount(sim);
    const end = TODAY;
    const start = end.minus({ days: 14 });
    const before = sim.requests.length;
    const url = `${BASE}/interactions?${qs({ integrated_account_id: id, start_time: start.toISODate()!, end_time: end.toISODate()!, aggregation_period: 'week', metrics_source: 'native' })}`;
    const records = await listAll(url, 1000);
    const sent = sim.requests.slice(before);
    const weeks: [DateTime, DateTime][] = [];
    for (let s = start; s < end; ) {
      const e = DateTime.min(s.startOf('week').plus({ weeks: 1 }), end);
      weeks.push([s, e]);
      s = e;
    }
    expect(ops(sent)).toEqual(weeks.map(() => 'Analytics'));
    expect(sent.map(vars)).toEqual(weeks.map(([s, e]) => ({ startTime: s.toISO(), endTime: e.minus({ milliseconds: 1 }).toISO() })));
    expect(query(sent[0]!)).toContain('user_longest_monologue_sec');

    const expected = weeks.flatMap(([s, e]) =>
      (analyticsOf(sim.dataset, s.toMillis(), e.toMillis() - 1, NOW).users as any[])
        .filter((u) => u.meeting.count > 0)
        .map((u) => ({ user: u.user_id, start: s.toISO({ suppressMilliseconds: true })!.replace('+00:00', 'Z'), lm: u.conversation.user_longest_monologue_sec, q: u.conversation.user_questions })),
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(
      records.map((r) => ({
        user: r.user.id,
        start: r.start_time,
        lm: r.metrics.longest_monologue,
        q: r.additional_metrics.find((a: any) => a.name === 'user_questions').value,
      })),
    ).toEqual(expect.arrayContaining(expected));
    expect(records).toHaveLength(expected.length);
    for (const r of records) {
      expect(Object.keys(r.metrics)).toEqual(['longest_monologue']);
      expect(r.additional_metrics.map((a: any) => a.name)).toEqual(expect.arrayContaining(['talk_listen_ratio', 'user_speak_duration', 'meeting.count', 'meeting.duration']));
      expect(r.additional_metrics.map((a: any) => a.name)).not.toContain('user_longest_monologue_sec');
    }

    // users[][id] is applied to Fireflies' answer (the query has no user filter)
    const one = records[0].user.id;
    const filtered = await listAll(`${url}&users[][id]=${one}`, 1000);
    expect(new Set(filtered.map((r) => r.user.id))).toEqual(new Set([one]));
  });
});

describe('Fireflies rate limits', () => {
  it('paces concurrent requests under the account budget (no 429 from a 1-per-80 ms vendor window)', async () => {
    const strict = await startFirefliesSimulator({ rateWindows: [{ limit: 1, windowMs: 80 }], rateLimitResponse: 'http', now: simNow });
    try {
      // sent 153 ms apart: the vendor's 80 ms window catches any two that bunch up, with room for jitter
      const id = await newAccount(strict, { rate_limit_per_minute: 400 });
      const verified = strict.requests.length;
      const get = (userId: string) => t.call('GET', `${BASE}/users/${userId}?${qs({ integrated_account_id: id })}`);
      // a first request opens a connection, so that connection set-up does not skew arrival times
      expect((await get(strict.dataset.users[0]!.user_id)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const users = strict.dataset.users.slice(1, 7);
      const results = await Promise.all(users.map((u) => get(u.user_id)));
      expect(results.map((r) => r.status)).toEqual(users.map(() => 200));
      expect(strict.requests.slice(verified).map((r) => r.status)).toEqual([200, ...users.map(() => 200)]);
      const at = strict.requests.slice(verified).map((r) => r.at);
      expectPaced(at, 150);
    } finally {
      await strict.close();
    }
  });

  it('honours an HTTP 429 Retry-After, and backs off on a 429 without it', async () => {
    const id = await newAccount(sim);
    const url = `${BASE}/users?${qs({ integrated_account_id: id })}`;
    sim.faults.push({ kind: 'rate-limit', path: '/graphql', retryAfterSeconds: 1 });
    let before = sim.requests.length;
    expect((await t.call('GET', url)).status).toBe(200);
    let sent = sim.requests.slice(before);
    expect(sent.map((r) => r.status)).toEqual([429, 200]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(990);

    sim.faults.push({ kind: 'rate-limit', path: '/graphql', retryAfterSeconds: null });
    before = sim.requests.length;
    const res = await t.call('GET', `${BASE}/users/${sim.dataset.users[0]!.user_id}?${qs({ integrated_account_id: id })}`);
    expect(res.status).toBe(200);
    sent = sim.requests.slice(before);
    expect(sent.map((r) => r.status)).toEqual([429, 200]);
    expect(sent[0]!.headers['retry-after']).toBeUndefined();
  });

  it('waits out a rate limit Fireflies reports in a 200 body (extensions.metadata.retryAfter, epoch ms)', async () => {
    const limited = await startFirefliesSimulator({ rateWindows: [{ limit: 2, windowMs: 1000 }], now: simNow });
    try {
      const id = await newAccount(limited);
      // the account's verification request leaves the vendor's window first
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const verified = limited.requests.length;
      const before = performance.now();
      for (const u of limited.dataset.users.slice(0, 3)) {
        const res = await t.call('GET', `${BASE}/users/${u.user_id}?${qs({ integrated_account_id: id })}`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.id).toBe(u.user_id);
      }
      const sent = limited.requests.slice(verified);
      expect(sent.map((r) => r.status)).toEqual([200, 200, 200, 200]); // the third was refused in its body
      expect(performance.now() - before).toBeGreaterThanOrEqual(900);
      expect(sent[3]!.at - sent[0]!.at).toBeGreaterThanOrEqual(990);
    } finally {
      await limited.close();
    }
  });

  it('answers 429 with Retry-After when Fireflies asks for a long wait in a 200 body', async () => {
    const id = await newAccount(sim);
    // retryAfter is an instant of the wall clock Fireflies and Parley share, not of the pinned calendar
    const body = {
      data: null,
      errors: [{ message: 'Too many requests', code: 'too_many_requests', friendly: true, extensions: { code: 'too_many_requests', status: 429, metadata: { retryAfter: Date.now() + 120_000 } } }],
    };
    sim.faults.push({ kind: 'status', status: 200, path: '/graphql', body });
    const res = await t.call('GET', `${BASE}/users?${qs({ integrated_account_id: id })}`);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(119);
    expect(res.body).toMatchObject({ statusCode: 429, is_remote_error: true, raw_response: body });
  });
});

describe('Fireflies errors', () => {
  it('turns a malformed body into 502 with the raw response', async () => {
    const id = await newAccount(sim);
    const url = `${BASE}/users?${qs({ integrated_account_id: id })}`;
    sim.faults.push({ kind: 'malformed', path: '/graphql' });
    const broken = await t.call('GET', url);
    expect(broken.status).toBe(502);
    expect(broken.body.is_remote_error).toBe(true);
    expect(typeof broken.body.raw_response).toBe('string');

    sim.faults.push({ kind: 'malformed', variant: 'wrong-shape', path: '/graphql' });
    const shaped = await t.call('GET', url);
    expect(shaped.status).toBe(502);
    expect(shaped.body.message).toMatch(/^Fireflies returned an unexpected body for query Users: data\.users: /);
    expect(shaped.body.raw_response).toEqual({ data: { users: {}, user: [], transcripts: {}, transcript: [], analytics: [] } });
  });

  it('answers 401 for a bad API key, whether Fireflies says so in a 200 body or with HTTP 401', async () => {
    const id = await newAccount(sim, { api_key: 'wrong-key' }, true);
    const res = await t.call('GET', `${BASE}/users?${qs({ integrated_account_id: id })}`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, is_remote_error: true });
    expect(res.body.raw_response.errors[0]).toMatchObject({ code: 'auth_failed', extensions: { status: 401 } });
    expect(res.body.message).toMatch(/auth_failed.*credentials\.api_key/);
    expect(sim.requests.at(-1)!.headers.authorization).toBe('Bearer wrong-key');

    const good = await newAccount(sim);
    sim.faults.push({ kind: 'status', status: 401, path: '/graphql' });
    const http401 = await t.call('GET', `${BASE}/users?${qs({ integrated_account_id: good })}`);
    expect(http401.status).toBe(401);
    expect(http401.body.is_remote_error).toBe(true);
    expect(http401.body.raw_response.errors[0].code).toBe('auth_failed');
  });

  it('retries 5xx and timeouts, and gives up with 502 when they persist', async () => {
    const id = await newAccount(sim);
    const url = `${BASE}/users?${qs({ integrated_account_id: id })}`;
    sim.faults.push({ kind: 'status', status: 503, path: '/graphql' }, { kind: 'timeout', path: '/graphql' });
    const before = sim.requests.length;
    expect((await t.call('GET', url)).status).toBe(200);
    expect(sim.requests.slice(before).map((r) => r.fault ?? 'ok')).toEqual(['status', 'timeout', 'ok']);

    // (the users listing is now cached by Parley's pager: a single user is read instead)
    sim.faults.push({ kind: 'status', status: 500, path: '/graphql', times: 10 });
    const failed = await t.call('GET', `${BASE}/users/${sim.dataset.users[0]!.user_id}?${qs({ integrated_account_id: id })}`);
    expect(failed.status).toBe(502);
    expect(failed.body.is_remote_error).toBe(true);
    expect(failed.body.raw_response.errors[0].extensions.status).toBe(500);
  });
});

describe('Fireflies sandbox', () => {
  it('starts the simulator with an account at the real Business-plan pace', async () => {
    const entry = SANDBOX_VENDORS.find((v) => v.integration === 'fireflies');
    expect(entry).toBeDefined();
    const running = await startSandbox(t.parley, [entry!]);
    try {
      expect(running.accounts.map((a) => a.id)).toEqual([sandboxAccountId('fireflies')]);
      const users = await t.call('GET', `${BASE}/users?${qs({ integrated_account_id: 'sandbox-fireflies' })}`);
      expect(users.status).toBe(200);
      expect(users.body.result.length).toBeGreaterThan(3);
      // the built-in sandbox's simulator runs on the real calendar: a fixed past week, before the pinned one
      const meetings = await t.call('GET', `${BASE}/meetings?${qs({ integrated_account_id: 'sandbox-fireflies', start_time: '2025-06-02', end_time: '2025-06-06' })}`);
      expect(meetings.status).toBe(200);
      expect(meetings.body.result.length).toBeGreaterThan(0);
    } finally {
      await running.close();
    }
  });
});
