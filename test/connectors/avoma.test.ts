import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startAvomaSimulator, type AvomaSimulator, type AvomaSimulatorOptions } from '../../sandbox/avoma/index.js';
import { SANDBOX_VENDORS, sandboxAccountId, startSandbox } from '../../src/sandbox.js';
import { SECONDS_PER_WORD } from '../../src/connectors/end-times.js';
import { clockAt } from '../../src/domain/clock.js';
import { expectPaced } from '../helpers/pacing.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The Avoma connector end to end: Parley's API → connector → loopback HTTP → the Avoma simulator.
 * Assertions are on what Parley returns AND on the exact requests it sent to Avoma.
 */
let sim: AvomaSimulator;
let t: TestParley;
const sims: AvomaSimulator[] = [];

// Parley and the simulators share one calendar, pinned to a Monday afternoon: three days ahead
// (Thursday) has scheduled meetings, and the 30 days before hold four weeks of transcribed ones.
const NOW = Date.parse('2025-06-09T15:00:00Z');
const simNow = () => new Date(NOW);

const BASE = '/unified/conversational-intelligence';
// Accounts in these tests may send 100 requests/s; only the pacing test uses the published budget shape.
const FAST = 6000;

beforeAll(async () => {
  sim = await startAvomaSimulator({ rateLimit: Infinity, now: simNow });
  t = await startTestParley({}, { clock: clockAt(NOW) });
});
afterAll(async () => {
  await t.close();
  await Promise.all([sim, ...sims].map((s) => s.close()));
});

async function extraSim(options: AvomaSimulatorOptions): Promise<AvomaSimulator> {
  const s = await startAvomaSimulator({ rateLimit: Infinity, now: simNow, ...options });
  sims.push(s);
  return s;
}

/**
 * `revoked`: credentials the vendor refuses, stored without the verification a create does (a key
 * revoked after it was connected), to see how reads answer the vendor's 401.
 */
async function newAccount(simulator = sim, creds: Record<string, unknown> = {}, revoked = false): Promise<string> {
  const body = {
    integration: 'avoma',
    credentials: { api_key: simulator.apiKey, base_url: simulator.url, rate_limit_per_minute: FAST, ...creds },
  };
  if (revoked) return (await t.parley.accounts.create('default', body, { skipVerification: true })).id;
  const res = await t.call('POST', '/integrated-accounts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const url = (path: string, params: Record<string, string>) => `${BASE}${path}?${new URLSearchParams(params)}`;
const since = (s: AvomaSimulator, n: number) => s.requests.slice(n);
const iso = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' }).toISO({ suppressMilliseconds: true })!;

/** What the simulator holds for [from, to): Avoma's inclusive to_date, cut half-open. */
function expectedMeetings(s: AvomaSimulator, from: string, to: string) {
  const f = Date.parse(from);
  const e = Date.parse(to);
  return s.dataset
    .meetingsBetween(f, e)
    .filter((m) => m.scheduledAt < e)
    .sort((a, b) => a.scheduledAt - b.scheduledAt || (a.uuid < b.uuid ? -1 : 1));
}

const listAll = (path: string, params: Record<string, string>, limit: number) => t.listAll(url(path, params), limit);

describe('Avoma Users', () => {
  it('GET /v1/users/ with the Bearer key, one bare array → unified users', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => [r.method, r.path, r.query])).toEqual([['GET', '/v1/users/', {}]]);
    expect(sent[0]!.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.result.map((u: any) => u.id)).toEqual(sim.dataset.users.map((u) => u.uuid));
    for (const [i, u] of res.body.result.entries()) {
      const raw = sim.dataset.users[i]!;
      expect(u).toEqual({
        id: raw.uuid,
        name: `${raw.user.first_name} ${raw.user.last_name}`,
        emails: [{ email: raw.user.email, is_primary: true }],
        remote_data: raw,
      });
    }
  });

  it('GET /v1/users/{uuid}/ for one user; an unknown uuid is 404 and a non-uuid never leaves Parley', async () => {
    const id = await newAccount();
    const user = sim.dataset.users[2]!;
    const before = sim.requests.length;
    const one = await t.call('GET', `${BASE}/users/${user.uuid}?integrated_account_id=${id}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(user.uuid);
    const missing = await t.call('GET', `${BASE}/users/00000000-0000-4000-8000-000000000000?integrated_account_id=${id}`);
    expect(missing.status).toBe(404);
    const bogus = await t.call('GET', `${BASE}/users/..%2Fmeetings?integrated_account_id=${id}`);
    expect(bogus.status).toBe(404);
    expect(since(sim, before).map((r) => r.path)).toEqual([`/v1/users/${user.uuid}/`, '/v1/users/00000000-0000-4000-8000-000000000000/']);
  });
});

describe('Avoma Meetings', () => {
  const from = '2024-05-06T00:00:00Z';
  const to = '2024-05-08T00:00:00Z';

  it('sends from_date/to_date (UTC), page_size=100 and o=start_at, and maps meetings (scheduled window, actual duration, sides)', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const res = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: from, end_time: to, limit: '1000' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before);
    expect(sent.filter((r) => r.path === '/v1/meetings/').map((r) => r.query)).toEqual([
      { from_date: '2024-05-06T00:00:00Z', to_date: '2024-05-08T00:00:00Z', page_size: '100', o: 'start_at' },
    ]);
    expect(sent.filter((r) => r.path === '/v1/users/')).toHaveLength(1);
    for (const r of sent) expect(r.headers.authorization).toBe(`Bearer ${sim.apiKey}`);

    const expected = expectedMeetings(sim, from, to);
    expect(expected.length).toBeGreaterThan(5);
    expect(res.body.result.map((m: any) => m.id)).toEqual(expected.map((m) => m.uuid));
    const userByEmail = new Map(sim.dataset.users.map((u) => [u.user.email, u.uuid]));
    for (const m of res.body.result) {
      const raw = m.remote_data;
      expect(m.start_time).toBe(raw.start_at);
      expect(m.end_time).toBe(raw.end_at);
      expect(m.duration).toBe(raw.duration); // seconds, as Avoma gives them
      expect(typeof m.duration).toBe('number');
      expect(m.title).toBe(raw.subject);
      expect(m.host_user_id).toBe(userByEmail.get(raw.organizer_email));
      expect(m.attendees).toHaveLength(raw.attendees.length);
      for (const a of m.attendees) {
        const internal = a.email.endsWith('@lumenharbor.example');
        expect(a.side).toBe(internal ? 'internal' : 'external');
        expect(a.user_id).toBe(internal ? userByEmail.get(a.email) : undefined);
        expect(a.is_host).toBe(a.email === raw.organizer_email);
        expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
    expect(res.body.result.some((m: any) => m.attendees.some((a: any) => a.side === 'external'))).toBe(true);
  });

  it('to_date is inclusive upstream: a meeting starting exactly at end_time is left out, at start_time kept', async () => {
    const id = await newAccount();
    const boundary = expectedMeetings(sim, from, to)[3]!;
    const at = iso(boundary.scheduledAt);
    const before = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: from, end_time: at, limit: '1000' }));
    expect(before.body.result.map((m: any) => m.id)).not.toContain(boundary.uuid);
    expect(before.body.result.length).toBeGreaterThanOrEqual(3);
    const after = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: at, end_time: to, limit: '1000' }));
    expect(after.body.result[0].id).toBe(boundary.uuid);
  });

  it('follows Avoma\'s next URLs to the end (small pages): same filters, every meeting exactly once', async () => {
    const small = await extraSim({ maxPageSize: 3 });
    const id = await newAccount(small);
    const { all, pages } = await listAll('/meetings', { integrated_account_id: id, start_time: from, end_time: to }, 4);
    expect(pages).toBeGreaterThan(2);
    const expected = expectedMeetings(small, from, to);
    expect(all.map((m) => m.id)).toEqual(expected.map((m) => m.uuid));
    const listing = small.requests.filter((r) => r.path === '/v1/meetings/');
    expect(listing.length).toBe(Math.ceil(expected.length / 3));
    listing.forEach((r, i) => {
      expect(r.query).toEqual({
        from_date: '2024-05-06T00:00:00Z',
        to_date: '2024-05-08T00:00:00Z',
        page_size: '100',
        o: 'start_at',
        ...(i > 0 ? { page: String(i + 1) } : {}),
      });
      expect(r.headers.authorization).toBe(`Bearer ${small.apiKey}`);
    });
  });

  it('refuses a next URL on another origin (502) and never sends anything there', async () => {
    const rogue = await extraSim({ maxPageSize: 2, linkOrigin: 'http://attacker.example:8080' });
    const id = await newAccount(rogue);
    const res = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: from, end_time: to, limit: '1000' }));
    expect(res.status).toBe(502);
    expect(res.body.is_remote_error).toBe(true);
    expect(res.body.message).toMatch(/next page URL .*attacker\.example/);
    expect(res.body.raw_response.next).toMatch(/^http:\/\/attacker\.example:8080\/v1\/meetings\/\?/);
    expect(rogue.requests.filter((r) => r.path === '/v1/meetings/')).toHaveLength(1);
  });

  it('gets one meeting by uuid; unknown → 404', async () => {
    const id = await newAccount();
    const m = expectedMeetings(sim, from, to)[0]!;
    const res = await t.call('GET', `${BASE}/meetings/${m.uuid}?integrated_account_id=${id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(m.uuid);
    expect(sim.requests.filter((r) => r.path === `/v1/meetings/${m.uuid}/`)).toHaveLength(1);
    const missing = await t.call('GET', `${BASE}/meetings/00000000-0000-4000-8000-000000000000?integrated_account_id=${id}`);
    expect(missing.status).toBe(404);
  });
});

describe('Avoma Transcripts', () => {
  it('reads the meeting, then /v1/transcriptions/?meeting_uuid=; seconds, derived ends, sides and users', async () => {
    const id = await newAccount();
    const entry = expectedMeetings(sim, '2024-05-06T00:00:00Z', '2024-05-08T00:00:00Z').find((m) => m.call.parties.filter((p) => p.affiliation === 'Internal').length === 2)!;
    expect(entry).toBeDefined();
    const before = sim.requests.length;
    const res = await t.call('GET', url('/transcripts', { integrated_account_id: id, meeting_id: entry.uuid }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before).filter((r) => r.path !== '/v1/users/');
    expect(sent.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', `/v1/meetings/${entry.uuid}/`, {}],
      ['GET', '/v1/transcriptions/', { meeting_uuid: entry.uuid }],
    ]);
    const [transcript] = res.body.result;
    const raw = sim.dataset.transcription(entry, NOW)!;
    const meeting = sim.dataset.meeting(entry, NOW);
    expect(transcript.id).toBe(raw.uuid);
    expect(transcript.meeting).toEqual({ id: entry.uuid });
    expect(transcript.entries).toHaveLength(raw.transcript.length);
    const speakers = new Map(raw.speakers.map((s) => [String(s.id), s]));
    const users = new Set<string>();
    transcript.entries.forEach((e: any, i: number) => {
      const p = raw.transcript[i]!;
      const s = speakers.get(String(p.speaker_id))!;
      expect(e.speaker_id).toBe(String(p.speaker_id));
      expect(e.speaker_name).toBe(s.name);
      expect(e.text).toBe(p.transcript);
      expect(e.start_time).toBe(p.timestamps[0]); // seconds, as Avoma gives them
      expect(e.end_time_derived).toBe(true);
      expect(e.end_time).toBeGreaterThanOrEqual(e.start_time);
      expect(e.end_time).toBeLessThanOrEqual(p.timestamps.at(-1)! + SECONDS_PER_WORD + 1e-9);
      expect(e.end_time).toBeLessThanOrEqual(meeting.duration!);
      expect(e.speaker_side).toBe(s.is_rep ? 'internal' : 'external');
      expect(e.user_id).toBe(s.is_rep ? sim.dataset.userUuidByEmail(s.email) : undefined);
      if (e.user_id) users.add(e.user_id);
      const own = transcript.entries.slice(i + 1).find((x: any) => x.speaker_id === e.speaker_id);
      if (own) expect(e.end_time).toBeLessThanOrEqual(own.start_time);
    });
    expect(users.size).toBe(2);
  });

  it('a meeting not yet transcribed (scheduled) has no transcript, and Parley does not ask for one', async () => {
    const id = await newAccount();
    const future = DateTime.fromMillis(NOW, { zone: 'utc' }).plus({ days: 3 }).startOf('day');
    const entry = sim.dataset.meetingsBetween(future.toMillis(), future.plus({ days: 2 }).toMillis())[0]!;
    expect(entry).toBeDefined();
    const before = sim.requests.length;
    const res = await t.call('GET', url('/transcripts', { integrated_account_id: id, meeting_id: entry.uuid }));
    expect(res.status).toBe(200);
    expect(res.body.result).toEqual([]);
    // the meeting is read (it says transcript_ready: false), then read again to tell "no transcript
    // yet" from "no such meeting" (with the user directory for its attendees); no transcription request
    const paths = since(sim, before).map((r) => r.path);
    expect(paths.filter((p) => p === `/v1/meetings/${entry.uuid}/`).length).toBeGreaterThanOrEqual(1);
    expect(paths.every((p) => p === `/v1/meetings/${entry.uuid}/` || p === '/v1/users/')).toBe(true);
    expect(paths).not.toContain('/v1/transcriptions/');
  });
});

describe('Avoma List Interactions (computed)', () => {
  it('last 30 days by week: two listings (meetings, transcriptions) joined, all five standard metrics per record', async () => {
    const id = await newAccount();
    const end = DateTime.fromMillis(NOW, { zone: 'utc' });
    const start = end.minus({ days: 30 });
    const before = sim.requests.length;
    const res = await t.call(
      'GET',
      url('/interactions', { integrated_account_id: id, start_time: start.toISO()!, end_time: end.toISO()!, aggregation_period: 'week', limit: '1000' }),
    );
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    const sent = since(sim, before);
    const range = { from_date: iso(start.toMillis()), to_date: iso(end.toMillis()) };
    const meetingsRequests = sent.filter((r) => r.path === '/v1/meetings/');
    const transcriptRequests = sent.filter((r) => r.path === '/v1/transcriptions/');
    expect(meetingsRequests[0]!.query).toEqual({ ...range, page_size: '100', o: 'start_at' });
    expect(transcriptRequests[0]!.query).toEqual({ ...range, page_size: '20' });
    for (const [i, r] of transcriptRequests.entries()) expect(r.query).toEqual({ ...range, page_size: '20', ...(i > 0 ? { page: String(i + 1) } : {}) });
    expect(sent.every((r) => ['/v1/meetings/', '/v1/transcriptions/', '/v1/users/'].includes(r.path))).toBe(true);
    expect(transcriptRequests.length).toBeGreaterThan(2);

    const records = res.body.result;
    expect(records.length).toBeGreaterThan(3);
    const userIds = new Set(sim.dataset.users.map((u) => u.uuid));
    for (const r of records) {
      expect(userIds.has(r.user.id)).toBe(true);
      expect(r.aggregation_period).toBe('week');
      expect(r.timezone).toBe('UTC');
      for (const k of ['longest_monologue', 'longest_customer_story', 'interactivity', 'patience', 'question_rate']) {
        expect(typeof r.metrics[k], `${r.user.id} ${r.start_time} ${k}`).toBe('number');
      }
      expect(r.metrics.interactivity).toBeLessThanOrEqual(10);
      expect(r.additional_metrics.find((m: any) => m.name === 'call_count').value).toBeGreaterThan(0);
    }
    // every company user who spoke in a transcribed meeting of the range has records, and only they
    const speaking = new Set<string>();
    let transcribed = 0;
    for (const m of expectedMeetings(sim, start.toISO()!, end.toISO()!)) {
      const tr = sim.dataset.transcription(m, NOW);
      if (!tr) continue;
      transcribed += 1;
      const spoke = new Set(tr.transcript.map((p) => p.speaker_id));
      for (const s of tr.speakers) if (s.is_rep && spoke.has(s.id)) speaking.add(sim.dataset.userUuidByEmail(s.email)!);
    }
    expect(new Set(records.map((r: any) => r.user.id))).toEqual(speaking);
    expect(transcribed).toBeGreaterThan(40);
    const callsPerUser = records.reduce((n: number, r: any) => n + r.additional_metrics.find((m: any) => m.name === 'call_count').value, 0);
    expect(callsPerUser).toBeGreaterThanOrEqual(transcribed);
  });
});

describe('Avoma rate limits', () => {
  it('paces requests under the account budget: one per 200 ms at 300/min, and no 429', async () => {
    // 300/min paces one request per 200 ms; the vendor admits 6 a second (a margin for network jitter)
    const strict = await extraSim({ maxPageSize: 2, rateLimit: 6, rateWindowMs: 1000 });
    const id = await newAccount(strict, { rate_limit_per_minute: 300 });
    const res = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: '2024-05-06T00:00:00Z', end_time: '2024-05-08T00:00:00Z', limit: '1000' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = strict.requests;
    expect(sent.length).toBeGreaterThan(6);
    expect(sent.every((r) => r.status === 200)).toBe(true);
    expectPaced(sent.map((r) => r.at), 200); // 300/min = one per 200 ms
  });

  it('honours 429 Retry-After from the vendor, and retries a 429 without it after a backoff', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'rate-limit', path: '/v1/users/', retryAfterSeconds: 1 }, { kind: 'rate-limit', path: '/v1/users/', retryAfterSeconds: null });
    const before = sim.requests.length;
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(990);
    expect(sent[2]!.at - sent[1]!.at).toBeGreaterThan(20);
  });

  it('waits out the simulator\'s own throttle (429 + Retry-After) and completes', async () => {
    const tight = await extraSim({ maxPageSize: 2, rateLimit: 3, rateWindowMs: 1000 });
    const id = await newAccount(tight);
    const res = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: '2024-05-06T00:00:00Z', end_time: '2024-05-07T00:00:00Z', limit: '1000' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.map((m: any) => m.id)).toEqual(expectedMeetings(tight, '2024-05-06T00:00:00Z', '2024-05-07T00:00:00Z').map((m) => m.uuid));
    const sent = tight.requests;
    const throttled = sent.flatMap((r, i) => (r.status === 429 ? [i] : []));
    expect(throttled.length).toBeGreaterThan(0);
    for (const i of throttled) {
      if (sent[i + 1]) expect(sent[i + 1]!.at - sent[i]!.at).toBeGreaterThanOrEqual(900);
    }
  });

  it('a 429 that outlasts the request\'s patience becomes 429 with Retry-After', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'rate-limit', path: '/v1/users/', retryAfterSeconds: 120 });
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status).toBe(429);
    expect(res.body.is_remote_error).toBe(true);
    expect(res.body.raw_response).toEqual({ detail: 'API request limit exceeded' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(100);
  });
});

describe('Avoma errors', () => {
  it('a vendor 401 stays 401, with is_remote_error and Avoma\'s body', async () => {
    const id = await newAccount(sim, { api_key: 'not-the-key' }, true);
    const before = sim.requests.length;
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, is_remote_error: true, raw_response: { detail: 'Invalid Token' } });
    expect(since(sim, before).map((r) => r.headers.authorization)).toEqual(['Bearer not-the-key']);
  });

  it('a body that is not JSON → 502 with the text as raw_response', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'malformed', path: '/v1/users/', body: '[{"uuid": "a", "user": {' });
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ is_remote_error: true, raw_response: '[{"uuid": "a", "user": {' });
  });

  it('JSON of the wrong shape → 502 naming the endpoint and the field, with the body', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'malformed', variant: 'wrong-shape', path: '/v1/meetings/' });
    const res = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: '2024-05-06', end_time: '2024-05-07' }));
    expect(res.status).toBe(502);
    expect(res.body.is_remote_error).toBe(true);
    expect(res.body.message).toMatch(/^Avoma returned an unexpected body for GET \/v1\/meetings\/: /);
    expect(res.body.raw_response).toEqual({ count: 'unknown', next: 42, results: { detail: 'this body has the wrong shape on purpose' } });
  });

  it('retries a 5xx and succeeds', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'status', status: 503, path: '/v1/users/' });
    const before = sim.requests.length;
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status).toBe(200);
    expect(since(sim, before).map((r) => r.status)).toEqual([503, 200]);
  });

  it('a request Avoma never answers times out and is retried', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'timeout', path: '/v1/users/' });
    const before = sim.requests.length;
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => r.fault ?? r.status)).toEqual(['timeout', 200]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(1900); // the test server's 2 s upstream timeout
  });
});

describe('Avoma sandbox entry', () => {
  it('starts a simulator whose credentials the connector accepts', async () => {
    const entry = SANDBOX_VENDORS.find((v) => v.integration === 'avoma')!;
    expect(entry).toBeDefined();
    const running = await startSandbox(t.parley, [entry]);
    try {
      expect(running.accounts.map((a) => a.id)).toEqual([sandboxAccountId('avoma')]);
      const res = await t.call('GET', url('/users', { integrated_account_id: 'sandbox-avoma' }));
      expect(res.status).toBe(200);
      expect(res.body.result.length).toBeGreaterThan(3);
    } finally {
      await running.close();
    }
  });
});
