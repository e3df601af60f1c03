import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startChorusSimulator, type ChorusSimulator, type RecordedRequest } from '../../sandbox/chorus/index.js';
import { computeInteractions } from '../../src/metrics/index.js';
import { chorusProvider, DEFAULT_CHORUS_REQUESTS_PER_MINUTE } from '../../src/connectors/chorus/provider.js';
import { TRANSCRIPT_FIELDS } from '../../src/connectors/chorus/conversations.js';
import { companyDirectory, mapChorusTranscript, resolvePerson, SNIPPET_SECONDS_PER_UNIT } from '../../src/connectors/chorus/mappers.js';
import { clockAt } from '../../src/domain/clock.js';
import { expectPaced } from '../helpers/pacing.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The Chorus connector end to end: Parley's API → connector → loopback HTTP → the Chorus simulator.
 * Assertions are on what Parley returns AND on the exact requests it sent to Chorus.
 */
// Parley and the simulators share one calendar, pinned to a Thursday 11:00 in the company's zone
// (America/New_York): the meetings window below (8 to 5 days back: Wed–Fri) holds calls whose co-host
// Chorus left unlinked, 6 days back is a Friday with calls to pace, and the last two days hold
// calls still processing.
const NOW = Date.parse('2025-06-12T15:00:00Z');
const TODAY = DateTime.fromMillis(NOW, { zone: 'utc' }).startOf('day');
const BASE = '/unified/conversational-intelligence';

let sim: ChorusSimulator;
let t: TestParley;

beforeAll(async () => {
  sim = await startChorusSimulator({ pageSize: 4, rateLimit: null, now: () => NOW });
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
    integration: 'chorus',
    credentials: { api_token: simulator.token, base_url: simulator.url, rate_limit_per_minute: 6000, ...creds },
  };
  if (revoked) return (await t.parley.accounts.create('default', body, { skipVerification: true })).id;
  const res = await t.call('POST', '/integrated-accounts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const since = (s: ChorusSimulator, n: number): RecordedRequest[] => s.requests.slice(n);
const iso = (d: DateTime) => d.toUTC().toISO({ suppressMilliseconds: true });

const listAll = (url: string, limit: number) => t.listAll(url, limit);

/** Visible, transcribed calls of the simulated tenant that started in [start, end). */
function doneCalls(s: ChorusSimulator, start: DateTime, end: DateTime) {
  return s.dataset
    .conversationsBetween(start.toMillis(), end.toMillis() - 1, NOW)
    .filter((c) => s.dataset.state(c, NOW) === 'done');
}

describe('provider', () => {
  it('sends the raw token as Authorization, defaults to chorus.ai, and paces 10/min unless the account says more', () => {
    expect(chorusProvider.authHeaders({ api_token: 'tok123' })).toEqual({ authorization: 'tok123' });
    expect(chorusProvider.baseUrl({ api_token: 'x' })).toBe('https://chorus.ai');
    const rate = chorusProvider.rateLimit as (c: Record<string, unknown>) => { perSecond: number };
    expect(DEFAULT_CHORUS_REQUESTS_PER_MINUTE).toBe(10);
    expect(rate({ api_token: 'x' }).perSecond).toBeCloseTo(10 / 60);
    expect(rate({ api_token: 'x', rate_limit_per_minute: 120 }).perSecond).toBe(2);
  });

  it('rejects credentials without api_token, naming the field', async () => {
    const res = await t.call('POST', '/integrated-accounts', { integration: 'chorus', credentials: { base_url: sim.url } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('credentials.api_token');
  });
});

describe('Chorus Users', () => {
  it('reads GET /v3/users once with the raw token and maps ids as strings, names, emails, created_at', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const res = await t.call('GET', `${BASE}/users?integrated_account_id=${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => [r.method, r.path, r.query])).toEqual([['GET', '/v3/users', {}]]);
    expect(sent[0]!.headers.authorization).toBe(sim.token);
    expect(res.body.result.map((u: any) => u.id)).toEqual(sim.dataset.users.map((u) => String(u.id)));
    for (const [i, u] of res.body.result.entries()) {
      const raw = sim.dataset.users[i]!;
      expect(u).toMatchObject({ id: String(raw.id), name: raw.name, emails: [{ email: raw.email, is_primary: true }], created_at: raw.created_on });
      expect(u.remote_data).toEqual(raw);
    }
    const one = await t.call('GET', `${BASE}/users/${sim.dataset.users[1]!.id}?integrated_account_id=${id}`);
    expect(one.status).toBe(200);
    expect(one.body.name).toBe(sim.dataset.users[1]!.name);
    expect((await t.call('GET', `${BASE}/users/424242?integrated_account_id=${id}`)).status).toBe(404);
  });
});

describe('Chorus Meetings', () => {
  const start = TODAY.minus({ days: 8 });
  const end = TODAY.minus({ days: 5 });

  it('lists meetings then dialer calls, following continuation_key to the end with identical filters: every record once', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const { all, pages } = await listAll(`${BASE}/meetings?integrated_account_id=${id}&start_time=${iso(start)}&end_time=${iso(end)}`, 3);
    const expected = sim.dataset.conversationsBetween(start.toMillis(), end.toMillis() - 1, NOW);
    expect(expected.length).toBeGreaterThan(8);
    expect(pages).toBeGreaterThan(3);
    expect(all.map((m) => m.id).sort()).toEqual(expected.map((c) => sim.dataset.engagementId(c)).sort());
    expect(new Set(all.map((m) => m.id)).size).toBe(all.length);

    const sent = since(sim, before).filter((r) => r.path === '/v3/engagements');
    const filters = { min_date: iso(start), max_date: iso(end) };
    for (const r of sent) {
      expect(r.method).toBe('GET');
      expect(r.headers.authorization).toBe(sim.token);
      const { continuation_key: _key, ...rest } = r.query as Record<string, string>;
      expect(rest).toEqual({ engagement_type: expect.stringMatching(/^(meeting|dialer)$/), ...filters });
    }
    // meetings first, then dialer calls, each run starting without a key
    const types = sent.map((r) => r.query.engagement_type);
    expect(types).toEqual([...types.filter((x) => x === 'meeting'), ...types.filter((x) => x === 'dialer')]);
    expect(sent.filter((r) => r.query.continuation_key === undefined).map((r) => r.query.engagement_type)).toEqual(['meeting', 'dialer']);
    // each key sent is exactly the one Chorus returned for the previous request (replayed here); the
    // last request of a run got none back
    for (const [i, r] of sent.entries()) {
      const replay = await fetch(`${sim.url}${r.path}?${new URLSearchParams(r.query as Record<string, string>)}`, { headers: { authorization: sim.token } });
      const answer = (await replay.json()) as { continuation_key?: string };
      const next = sent[i + 1];
      const sameRun = next !== undefined && next.query.engagement_type === r.query.engagement_type;
      expect(answer.continuation_key).toBe(sameRun ? next.query.continuation_key : undefined);
    }
    expect(sent.some((r) => / /.test(String(r.query.continuation_key ?? '')))).toBe(true);
  });

  it('maps an engagement: epoch-second start, duration in seconds, host, attendees with sides and user ids', async () => {
    const id = await newAccount();
    const { all } = await listAll(`${BASE}/meetings?integrated_account_id=${id}&start_time=${iso(start)}&end_time=${iso(end)}`, 100);
    const usersByEmail = new Map(sim.dataset.users.map((u) => [u.email, String(u.id)]));
    let unlinkedSeen = 0;
    for (const m of all) {
      const call = sim.dataset.callOf(m.id)!;
      const raw = m.remote_data;
      expect(m.start_time).toBe(DateTime.fromMillis(call.startedAt, { zone: 'utc' }).toISO({ suppressMilliseconds: true }));
      expect(m.duration).toBe(call.metaData.duration);
      expect(DateTime.fromISO(m.end_time).toMillis() - DateTime.fromISO(m.start_time).toMillis()).toBe(call.metaData.duration * 1000);
      expect(m.title).toBe(call.metaData.title);
      expect(m.host_user_id).toBe(String(raw.user_id));
      expect(m.meeting_url).toBe(`https://chorus.ai/meeting/${m.id}`);
      for (const [i, a] of m.attendees.entries()) {
        const party = call.parties[i]!;
        expect(a.side).toBe(party.affiliation === 'Internal' ? 'internal' : 'external');
        if (party.affiliation === 'Internal') expect(a.user_id).toBe(usersByEmail.get(party.emailAddress!));
        else expect(a.user_id).toBeUndefined();
        if (raw.participants[i].type === null && party.affiliation === 'Internal') unlinkedSeen += 1;
      }
    }
    // a co-host Chorus left unlinked is still internal: by the company domain of the users' addresses
    expect(unlinkedSeen).toBeGreaterThan(0);
  });

  it('gets one meeting with engagement_id, and 404s for an unknown id', async () => {
    const id = await newAccount();
    const call = doneCalls(sim, start, end)[0]!;
    const eid = sim.dataset.engagementId(call);
    const before = sim.requests.length;
    const res = await t.call('GET', `${BASE}/meetings/${eid}?integrated_account_id=${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe(eid);
    expect(since(sim, before).filter((r) => r.path === '/v3/engagements').map((r) => r.query)).toEqual([{ engagement_id: eid }]);
    expect((await t.call('GET', `${BASE}/meetings/00000000000000000000000000000000?integrated_account_id=${id}`)).status).toBe(404);
  });
});

describe('Chorus Transcripts', () => {
  it('reads the conversation with sparse fields and maps utterances: seconds, sides and users from speaker_type, clusters and addresses', async () => {
    const id = await newAccount();
    const calls = doneCalls(sim, TODAY.minus({ days: 20 }), TODAY);
    // one call whose co-host Chorus did not link, one with a dial-in caller when there is one
    const unlinked = calls.find((c) => sim.dataset.speakers(c).some((s) => s.matchMethod === 'guess' && s.truth.side === 'internal'))!;
    const dialIn = calls.find((c) => sim.dataset.speakers(c).some((s) => s.clusterType === 'unknown' && s.truth.side === 'external'));
    expect(unlinked).toBeDefined();
    for (const call of [unlinked, ...(dialIn ? [dialIn] : [])]) {
      const eid = sim.dataset.engagementId(call);
      const before = sim.requests.length;
      const res = await t.call('GET', `${BASE}/transcripts?integrated_account_id=${id}&meeting_id=${eid}`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const conv = since(sim, before).filter((r) => r.path.startsWith('/api/v1/conversations/'));
      expect(conv.map((r) => [r.method, r.path, r.query])).toEqual([['GET', `/api/v1/conversations/${eid}`, { fields: TRANSCRIPT_FIELDS }]]);
      expect(conv[0]!.headers.authorization).toBe(sim.token);
      const [transcript] = res.body.result;
      expect(transcript.meeting.id).toBe(eid);
      const truth = sim.dataset.normalizedCall(call);
      const sides = new Map(truth.participants.map((p) => [p.speaker_id, p]));
      expect(transcript.entries).toHaveLength(truth.utterances.length);
      transcript.entries.forEach((e: any, i: number) => {
        const u = truth.utterances[i]!;
        expect(e.speaker_id).toBe(u.speaker_id);
        expect(e.text).toBe(u.text);
        expect(e.start_time).toBeCloseTo(u.start_s, 9);
        expect(e.end_time).toBeCloseTo(u.end_s, 9);
        expect(e.speaker_side).toBe(sides.get(u.speaker_id)!.side);
        expect(e.user_id).toBe(sides.get(u.speaker_id)!.user_id);
      });
    }
  });

  it('has no transcript for a call still processing, nor for an unknown (or private) conversation', async () => {
    const id = await newAccount();
    const recent = await startChorusSimulator({ rateLimit: null, processingMinutes: 60 * 24 * 3, now: () => NOW });
    try {
      const acc = await newAccount(recent);
      const call = recent.dataset.conversationsBetween(TODAY.minus({ days: 2 }).toMillis(), NOW, NOW).find((c) => recent.dataset.state(c, NOW) === 'processing')!;
      const res = await t.call('GET', `${BASE}/transcripts?integrated_account_id=${acc}&meeting_id=${recent.dataset.engagementId(call)}`);
      expect(res.status).toBe(200);
      expect(res.body.result).toEqual([]);
    } finally {
      await recent.close();
    }
    // no conversation and no engagement: the meeting is unknown, as meetings/{id} says
    const missing = await t.call('GET', `${BASE}/transcripts?integrated_account_id=${id}&meeting_id=0123456789ABCDEF0123456789ABCDEF`);
    expect(missing.status).toBe(404);
  });

  it('maps snippet units through one constant, and needs Chorus\'s signal or a company address to call anyone internal', () => {
    expect(SNIPPET_SECONDS_PER_UNIT).toBe(1);
    const directory = companyDirectory([{ id: 7, email: 'Ann@Acme.example' }]);
    expect(resolvePerson({ types: [null, 'unknown'], userIds: [null], email: 'ann@acme.example' }, directory)).toEqual({ side: 'internal', userId: '7', settled: true });
    expect(resolvePerson({ types: [null], userIds: [], email: 'ann@acme.example' }, undefined)).toEqual({ side: 'external', settled: false });
    expect(resolvePerson({ types: ['cust'], userIds: [], email: 'bob@acme.example' }, directory)).toEqual({ side: 'external', settled: true });
    expect(resolvePerson({ types: [null], userIds: [], email: null }, directory)).toEqual({ side: 'external', settled: true });
    const doc = {
      data: {
        id: 'C1',
        attributes: {
          recording: { utterances: [{ snippet: 'Hi?', snippet_time: 12.5, snippet_length: 2.25, speaker_id: 3, speaker_type: 'rep', participant: 9 }] },
          participants: [{ person_id: 9, user_id: 55, type: 'rep', name: 'Ann' }],
        },
      },
    };
    expect(mapChorusTranscript('M1', doc as never)!.entries).toEqual([
      { speaker_id: '3', speaker_name: 'Ann', speaker_side: 'internal', user_id: '55', text: 'Hi?', start_time: 12.5, end_time: 14.75 },
    ]);
  });
});

describe('Chorus List Interactions (computed)', () => {
  it('computes all five metrics per user and week over the last 30 days, equal to the metrics of the simulated calls', async () => {
    const id = await newAccount();
    const start = TODAY.minus({ days: 30 });
    const end = TODAY;
    const before = sim.requests.length;
    const url = `${BASE}/interactions?integrated_account_id=${id}&start_time=${start.toISODate()}&end_time=${end.toISODate()}&aggregation_period=week`;
    const { all } = await listAll(url, 1000);
    expect(all.length).toBeGreaterThan(0);
    for (const r of all) {
      expect(r.timezone).toBe('UTC');
      expect(r.aggregation_period).toBe('week');
      expect(Object.keys(r.metrics).sort()).toEqual(['interactivity', 'longest_customer_story', 'longest_monologue', 'patience', 'question_rate']);
      for (const v of Object.values(r.metrics)) expect(typeof v).toBe('number');
      expect(sim.dataset.users.some((u) => String(u.id) === r.user.id)).toBe(true);
      expect(r.user.name).toBeTruthy();
    }
    const expected = computeInteractions(
      doneCalls(sim, start, end).map((c) => sim.dataset.normalizedCall(c)),
      { start, end, period: 'week', timezone: 'UTC', notAfter: DateTime.fromMillis(NOW) },
    );
    const key = (r: any) => `${r.user.id}|${DateTime.fromISO(r.start_time).toMillis()}`;
    expect(all.map(key).sort()).toEqual(expected.map(key).sort());
    const byKey = new Map(expected.map((r) => [key(r), r]));
    for (const r of all) {
      const e = byKey.get(key(r))!;
      for (const [k, v] of Object.entries(e.metrics)) expect(r.metrics[k], `${key(r)} ${k}`).toBeCloseTo(v as number, 2);
      expect(r.additional_metrics.find((m: any) => m.name === 'call_count')).toEqual(e.additional_metrics.find((m) => m.name === 'call_count'));
    }

    // what Parley asked Chorus for: users, engagement pages of the range, one conversation per engagement
    const sent = since(sim, before);
    expect(sent.every((r) => r.headers.authorization === sim.token && r.status === 200)).toBe(true);
    const engagements = sent.filter((r) => r.path === '/v3/engagements');
    expect(new Set(engagements.map((r) => `${r.query.min_date}|${r.query.max_date}`))).toEqual(new Set([`${iso(start)}|${iso(end)}`]));
    const listed = sim.dataset.conversationsBetween(start.toMillis(), end.toMillis() - 1, NOW);
    const conversations = sent.filter((r) => r.path.startsWith('/api/v1/conversations/'));
    expect(conversations.map((r) => r.path).sort()).toEqual(listed.map((c) => `/api/v1/conversations/${sim.dataset.engagementId(c)}`).sort());
    expect(sent.filter((r) => r.path === '/v3/users').length).toBeLessThanOrEqual(2);
  });

  it('has no native metrics: metrics_source=native is a 400', async () => {
    const id = await newAccount();
    const res = await t.call('GET', `${BASE}/interactions?integrated_account_id=${id}&start_time=2024-03-01&end_time=2024-03-08&metrics_source=native`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('chorus');
  });
});

describe('Chorus errors and rate limits', () => {
  it('keeps Chorus\'s 401 for a wrong token, flagged as a remote error with its JSON:API body', async () => {
    const id = await newAccount(sim, { api_token: 'not-the-token' }, true);
    const res = await t.call('GET', `${BASE}/users?integrated_account_id=${id}`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, is_remote_error: true, raw_response: { errors: [{ status: '401', title: 'Unauthorized' }] } });
    expect(res.body.message).toContain('The API token is not valid');
  });

  it('turns a malformed or wrongly shaped body into 502 with the raw response', async () => {
    const id = await newAccount();
    sim.faults.push({ path: '/v3/users', kind: 'malformed' });
    const bad = await t.call('GET', `${BASE}/users?integrated_account_id=${id}`);
    expect(bad.status).toBe(502);
    expect(bad.body).toMatchObject({ is_remote_error: true, raw_response: expect.any(String) });

    sim.faults.push({ path: '/v3/engagements', kind: 'malformed', variant: 'wrong-shape' });
    const shape = await t.call('GET', `${BASE}/meetings?integrated_account_id=${id}&start_time=2024-03-01&end_time=2024-03-02`);
    expect(shape.status).toBe(502);
    expect(shape.body.is_remote_error).toBe(true);
    expect(shape.body.message).toMatch(/^Chorus returned an unexpected body for GET \/v3\/engagements: engagements: /);
    expect(shape.body.raw_response).toEqual({ users: 'unavailable', engagements: 'unavailable', data: 'unavailable' });
  });

  it('retries a 503 and a timeout, and stops on a repeated continuation_key', async () => {
    const id = await newAccount();
    sim.faults.push({ path: '/v3/users', kind: 'status', status: 503 });
    sim.faults.push({ path: '/v3/users', kind: 'timeout' });
    const before = sim.requests.length;
    const ok = await t.call('GET', `${BASE}/users?integrated_account_id=${id}`);
    expect(ok.status).toBe(200);
    expect(since(sim, before).map((r) => [r.path, r.fault ?? r.status])).toEqual([
      ['/v3/users', 'status'],
      ['/v3/users', 'timeout'],
      ['/v3/users', 200],
    ]);

    const key = '1700000000.0 0123456789ABCDEF0123456789ABCDEF';
    sim.faults.push({ path: '/v3/engagements', kind: 'status', status: 200, body: { continuation_key: key, engagements: [] } });
    sim.faults.push({ path: '/v3/engagements', kind: 'status', status: 200, body: { continuation_key: key, engagements: [] } });
    const loop = await t.call('GET', `${BASE}/meetings?integrated_account_id=${id}&start_time=2024-03-01&end_time=2024-03-02&limit=5`);
    expect(loop.status).toBe(502);
    expect(loop.body.message).toContain('repeated a continuation_key');
  });

  it('honours 429 with and without Retry-After, and answers 429 when the wait outlasts the request', async () => {
    const id = await newAccount();
    sim.faults.push({ path: '/v3/users', kind: 'rate-limit', retryAfterSeconds: 1 });
    sim.faults.push({ path: '/v3/users', kind: 'rate-limit', retryAfterSeconds: null });
    const before = sim.requests.length;
    const ok = await t.call('GET', `${BASE}/users?integrated_account_id=${id}`);
    expect(ok.status).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(990);

    const verified1 = await newAccount();
    sim.faults.push({ path: '/v3/users', kind: 'rate-limit', retryAfterSeconds: 120 });
    const limited = await t.call('GET', `${BASE}/users?integrated_account_id=${verified1}`);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('120');
    expect(limited.body).toMatchObject({ is_remote_error: true, raw_response: { errors: [{ status: '429' }] } });
  });

  it('paces an account under its budget: a strict simulator never answers 429', async () => {
    const strict = await startChorusSimulator({ pageSize: 1, rateLimit: { limit: 3, windowMs: 1000 }, now: () => NOW });
    try {
      const id = await newAccount(strict, { rate_limit_per_minute: 150 });
      const day = TODAY.minus({ days: 6 });
      // two requests of one account at once share its budget
      const [res, users] = await Promise.all([
        t.call('GET', `${BASE}/meetings?integrated_account_id=${id}&start_time=${iso(day)}&end_time=${iso(day.plus({ days: 1 }))}&limit=5`),
        t.call('GET', `${BASE}/users?integrated_account_id=${id}`),
      ]);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(users.status).toBe(200);
      const sent = strict.requests;
      expect(sent.length).toBeGreaterThanOrEqual(6);
      expect(sent.every((r) => r.status === 200)).toBe(true);
      expectPaced(sent.map((r) => r.at), 400); // 150/min = one per 400 ms
    } finally {
      await strict.close();
    }
  });
});
