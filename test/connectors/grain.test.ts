import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startGrainSimulator, type GrainRecordingEntry, type GrainSimulator, type GrainSimulatorOptions, type RecordedRequest } from '../../sandbox/grain/index.js';
import { grainProvider, GRAIN_API_VERSION, GRAIN_REQUESTS_PER_MINUTE } from '../../src/connectors/grain/provider.js';
import { mapGrainRecording, mapGrainTranscript } from '../../src/connectors/grain/mappers.js';
import { companyDirectory } from '../../src/connectors/company-directory.js';
import { computeInteractions } from '../../src/metrics/index.js';
import type { NormalizedCall } from '../../src/metrics/call.js';
import { SANDBOX_VENDORS, sandboxAccountId, startSandbox } from '../../src/sandbox.js';
import { clockAt } from '../../src/domain/clock.js';
import { expectPaced } from '../helpers/pacing.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The Grain connector end to end: Parley's API → connector → loopback HTTP → the Grain simulator.
 * Assertions are on what Parley returns AND on the exact requests (with their JSON bodies) it sent.
 */
// Parley and the simulators share one calendar, pinned to a Thursday noon in the company's zone
// (America/New_York): the window 8 to 5 days back holds a few dozen recordings (phone calls too),
// and the morning's recordings are not transcribed yet.
const NOW = Date.parse('2025-06-12T16:00:00Z');
const TODAY = DateTime.fromMillis(NOW, { zone: 'utc' }).startOf('day');
const BASE = '/unified/conversational-intelligence';
const API = '/_/public-api/v2';
// Accounts here may send 100 requests/s; only the pacing tests use the published budget shape.
const FAST = 6000;

let sim: GrainSimulator;
let t: TestParley;
const sims: GrainSimulator[] = [];

beforeAll(async () => {
  [sim, t] = await Promise.all([startGrainSimulator({ rateLimit: Infinity, now: () => NOW }), startTestParley({}, { clock: clockAt(NOW) })]);
});
afterEach(() => sim.faults.clear());
afterAll(async () => {
  await t.close();
  await Promise.all([sim, ...sims].map((s) => s.close()));
});

async function extraSim(options: GrainSimulatorOptions): Promise<GrainSimulator> {
  const s = await startGrainSimulator({ rateLimit: Infinity, now: () => NOW, ...options });
  sims.push(s);
  return s;
}

/**
 * `revoked`: credentials the vendor refuses, stored without the verification a create does (a key
 * revoked after it was connected), to see how reads answer the vendor's 401.
 */
async function newAccount(simulator = sim, creds: Record<string, unknown> = {}, revoked = false): Promise<string> {
  const body = {
    integration: 'grain',
    credentials: { api_token: simulator.token, base_url: simulator.url, rate_limit_per_minute: FAST, ...creds },
  };
  if (revoked) return (await t.parley.accounts.create('default', body, { skipVerification: true })).id;
  const res = await t.call('POST', '/integrated-accounts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const since = (s: GrainSimulator, n: number): RecordedRequest[] => s.requests.slice(n);
const iso = (d: DateTime | number) => (typeof d === 'number' ? DateTime.fromMillis(d, { zone: 'utc' }) : d.toUTC()).toISO({ suppressMilliseconds: true })!;
const url = (path: string, params: Record<string, string>) => `${BASE}${path}?${new URLSearchParams(params)}`;

/** Recordings that started in [start, end) and are listed at NOW, newest first as Grain lists them. */
function expectedRecordings(s: GrainSimulator, start: DateTime, end: DateTime): GrainRecordingEntry[] {
  return s.dataset.world
    .callsBetween(start.toMillis(), end.toMillis())
    .filter((c) => s.dataset.visible(c, NOW))
    .map((c) => s.dataset.entry(c))
    .sort((a, b) => b.key - a.key);
}

/** The truth of a call (the synthetic world's own speakers, sides and times), with Grain's user ids. */
function truthCall(s: GrainSimulator, e: GrainRecordingEntry): NormalizedCall {
  const input = s.dataset.world.metricsInput(e.call);
  return {
    ...input,
    participants: input.participants.map((p) => ({ ...p, ...(p.user_id ? { user_id: s.dataset.userIdOfWorldUser(p.user_id) } : {}) })),
  };
}

describe('Grain provider', () => {
  it('sends the token as Bearer with Public-Api-Version 2025-10-31, defaults to api.grain.com, paces 300/min unless the account says more', () => {
    expect(grainProvider.authHeaders({ api_token: 'tok' })).toEqual({ authorization: 'Bearer tok', 'public-api-version': '2025-10-31' });
    expect(GRAIN_API_VERSION).toBe('2025-10-31');
    expect(grainProvider.baseUrl({ api_token: 'tok' })).toBe('https://api.grain.com');
    const rate = grainProvider.rateLimit as (c: Record<string, unknown>) => { perSecond: number };
    expect(GRAIN_REQUESTS_PER_MINUTE).toBe(300);
    expect(rate({ api_token: 'x' })).toEqual({ perSecond: 5, windows: [{ limit: 300, windowMs: 60_000 }] });
    expect(rate({ api_token: 'x', rate_limit_per_minute: 60 }).perSecond).toBe(1);
    expect(grainProvider.resources).toEqual({ users: ['native'], meetings: ['native'], transcripts: ['native'], interactions: ['computed'], activity: ['computed'] });
  });

  it('the simulator refuses a request without the version header (400) or with another version', async () => {
    const headers = { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' };
    const none = await fetch(`${sim.url}${API}/users`, { method: 'POST', headers, body: '{}' });
    expect(none.status).toBe(400);
    expect(await none.json()).toEqual({ errors: { detail: 'The Public-Api-Version header is required' } });
    const other = await fetch(`${sim.url}${API}/users`, { method: 'POST', headers: { ...headers, 'public-api-version': '2024-01-01' }, body: '{}' });
    expect(other.status).toBe(400);
  });
});

describe('Grain mapping rules', () => {
  const dir = companyDirectory([
    { id: 'u-ann', email: 'ann@acme.example', name: 'Ann Lee' },
    { id: 'u-bo', email: 'bo@acme.example', name: 'Bo Park' },
  ]);
  const participants = [
    { id: 'p1', name: 'Ann Lee', email: 'ANN@acme.example', scope: 'internal', confirmed_attendee: true },
    { id: 'p2', name: 'Cy Doe', email: 'cy@acme.example', scope: 'unknown', confirmed_attendee: true },
    { id: 'p3', name: '+1 555 0100', email: null, scope: 'unknown', confirmed_attendee: true },
    { id: 'p4', name: 'Bo Park', email: null, scope: 'external', confirmed_attendee: true },
    { id: 'p5', name: 'Dee Roe', email: 'dee@client.example', scope: 'external', confirmed_attendee: false },
  ];
  const recording = { id: 'r1', title: ' Kickoff ', start_datetime: '2025-06-02T14:00:00Z', end_datetime: '2025-06-02T14:30:00Z', duration_ms: 1_800_500, participants };

  it('a participant is a user by address (any case), else by name unless Grain calls them external; else Grain\'s scope; unknown → company domains', () => {
    const m = mapGrainRecording(recording, dir)!;
    expect(m).toMatchObject({ id: 'r1', title: 'Kickoff', start_time: '2025-06-02T14:00:00Z', end_time: '2025-06-02T14:30:00Z', duration: 1800.5 });
    expect(m.host_user_id).toBeUndefined();
    expect(m.attendees.map((a) => [a.id, a.side, a.user_id, a.speaker_id])).toEqual([
      ['p1', 'internal', 'u-ann', 'p1'],
      ['p2', 'internal', undefined, 'p2'],
      ['p3', 'external', undefined, 'p3'],
      ['p4', 'external', undefined, 'p4'], // a customer who shares a rep's name stays a customer
      ['p5', 'external', undefined, 'p5'],
    ]);
  });

  it('transcript sections: ms → s; a section without participant is a user by its speaker name, else external', () => {
    const sections = [
      { participant_id: 'p1', speaker: 'Ann Lee', start: 1500, end: 4250, text: 'Hi?' },
      { participant_id: null, speaker: 'Bo Park', start: 4300, end: 5000, text: 'Hello.' },
      { participant_id: null, speaker: '+1 555 0100', start: 5100, end: 6000, text: 'Yes.' },
    ];
    expect(mapGrainTranscript('r1', sections, participants, dir)!.entries).toEqual([
      { speaker_id: 'p1', speaker_name: 'Ann Lee', speaker_side: 'internal', user_id: 'u-ann', text: 'Hi?', start_time: 1.5, end_time: 4.25 },
      { speaker_id: 'name:bopark', speaker_name: 'Bo Park', speaker_side: 'internal', user_id: 'u-bo', text: 'Hello.', start_time: 4.3, end_time: 5 },
      { speaker_id: 'name:15550100', speaker_name: '+1 555 0100', speaker_side: 'external', text: 'Yes.', start_time: 5.1, end_time: 6 },
    ]);
    expect(mapGrainTranscript('r1', [], participants, dir)).toBeUndefined();
  });
});

describe('Grain Users', () => {
  it('POSTs /users with an empty body once: ids, names, emails', async () => {
    const id = await newAccount();
    const before = sim.requests.length;
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => [r.method, r.path, r.body])).toEqual([['POST', `${API}/users`, {}]]);
    expect(sent[0]!.headers.authorization).toBe(`Bearer ${sim.token}`);
    expect(sent[0]!.headers['public-api-version']).toBe('2025-10-31');
    expect(res.body.next_cursor).toBeNull();
    expect(res.body.result).toEqual(sim.dataset.users.map((u) => ({ id: u.id, name: u.name, emails: [{ email: u.email, is_primary: true }], remote_data: u })));
    const one = await t.call('GET', `${BASE}/users/${sim.dataset.users[1]!.id}?integrated_account_id=${id}`);
    expect(one.status).toBe(200);
    expect(one.body.name).toBe(sim.dataset.users[1]!.name);
    expect((await t.call('GET', `${BASE}/users/00000000-0000-4000-8000-000000000000?integrated_account_id=${id}`)).status).toBe(404);
  });
});

describe('Grain Meetings', () => {
  const start = TODAY.minus({ days: 8 });
  const end = TODAY.minus({ days: 5 });

  it('POSTs /recordings with the range as filter and participants included, follows cursor to the end with the same filter: every recording once', async () => {
    const small = await extraSim({ pageSize: 4 });
    const id = await newAccount(small);
    const before = small.requests.length;
    const { all, pages } = await t.listAll(url('/meetings', { integrated_account_id: id, start_time: iso(start), end_time: iso(end) }), 3);
    const expected = expectedRecordings(small, start, end);
    expect(expected.length).toBeGreaterThan(15);
    expect(pages).toBeGreaterThan(4);
    expect(all.map((m) => m.id)).toEqual(expected.map((e) => e.id));
    const sent = since(small, before).filter((r) => r.path === `${API}/recordings`);
    // after_datetime a second early: Grain's reference swaps the two bounds' inclusiveness
    const first = { filter: { after_datetime: iso(start.minus({ seconds: 1 })), before_datetime: iso(end) }, include: { participants: true } };
    expect(sent[0]!.body).toEqual(first);
    for (const r of sent.slice(1)) expect(r.body).toEqual({ ...first, cursor: expect.any(String) });
    expect(sent.every((r) => r.method === 'POST')).toBe(true);
    expect(sent).toHaveLength(Math.ceil(expected.length / 4));
    // each cursor sent is the one Grain returned for the request before
    for (const [i, r] of sent.slice(1).entries()) {
      const replay = await fetch(`${small.url}${r.path}`, { method: 'POST', headers: { authorization: `Bearer ${small.token}`, 'public-api-version': GRAIN_API_VERSION, 'content-type': 'application/json' }, body: JSON.stringify(sent[i]!.body) });
      expect(((await replay.json()) as { cursor: string }).cursor).toBe((r.body as { cursor: string }).cursor);
    }
    expect(all.some((m) => m.remote_data.source === 'aircall')).toBe(true); // phone calls are recordings too
  });

  it('maps every field: recording window, duration in ms → s, title, attendees with Grain\'s scope, user ids and speaker ids; no host', async () => {
    const id = await newAccount();
    const { all } = await t.listAll(url('/meetings', { integrated_account_id: id, start_time: iso(start), end_time: iso(end) }), 100);
    const userByEmail = new Map(sim.dataset.users.map((u) => [u.email, u.id]));
    const sides = new Set<string>();
    for (const m of all) {
      const entry = sim.dataset.entryOf(m.id)!;
      const raw = sim.dataset.recording(entry, NOW, { participants: true });
      expect(m).toEqual({
        id: raw.id,
        title: raw.title,
        start_time: raw.start_datetime,
        end_time: raw.end_datetime,
        duration: entry.call.metaData.duration,
        attendees: raw.participants!.map((p) => ({
          id: p.id,
          name: p.name,
          ...(p.email ? { email: p.email } : {}),
          side: p.scope === 'internal' ? 'internal' : 'external',
          ...(p.email && userByEmail.has(p.email) ? { user_id: userByEmail.get(p.email) } : {}),
          speaker_id: p.id,
        })),
        meeting_url: raw.url,
        remote_data: raw,
      });
      for (const p of raw.participants!) sides.add(p.scope);
    }
    expect(sides.has('internal') && sides.has('external')).toBe(true);
  });

  it('gets one recording with POST /recordings/{id}; unknown → 404, and a non-UUID never leaves Parley', async () => {
    const id = await newAccount();
    const entry = expectedRecordings(sim, start, end)[0]!;
    const before = sim.requests.length;
    const res = await t.call('GET', `${BASE}/meetings/${entry.id}?integrated_account_id=${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe(entry.id);
    expect((await t.call('GET', `${BASE}/meetings/00000000-0000-4000-8000-000000000000?integrated_account_id=${id}`)).status).toBe(404);
    expect((await t.call('GET', `${BASE}/meetings/..%2Fusers?integrated_account_id=${id}`)).status).toBe(404);
    expect(since(sim, before).filter((r) => r.path !== `${API}/users`).map((r) => [r.method, r.path, r.body])).toEqual([
      ['POST', `${API}/recordings/${entry.id}`, { include: { participants: true } }],
      ['POST', `${API}/recordings/00000000-0000-4000-8000-000000000000`, { include: { participants: true } }],
    ]);
  });
});

describe('Grain Transcripts', () => {
  it('reads the recording (participants) and GET …/transcript: ms → s, speakers by participant, else by name; sides and users as the truth', async () => {
    const id = await newAccount();
    const entries = expectedRecordings(sim, TODAY.minus({ days: 20 }), TODAY);
    const unmatched = entries.find((e) => sim.dataset.unmatchedCohost(e.call) !== undefined && e.call.transcriptReadyAt <= NOW)!;
    const dialIn = entries.find((e) => e.call.parties.some((p) => p.affiliation === 'Unknown' && p.speakerId) && e.call.transcriptReadyAt <= NOW);
    expect(unmatched).toBeDefined();
    for (const entry of [unmatched, ...(dialIn ? [dialIn] : [])]) {
      const before = sim.requests.length;
      const res = await t.call('GET', url('/transcripts', { integrated_account_id: id, meeting_id: entry.id }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(since(sim, before).filter((r) => r.path !== `${API}/users`).map((r) => [r.method, r.path])).toEqual([
        ['POST', `${API}/recordings/${entry.id}`],
        ['GET', `${API}/recordings/${entry.id}/transcript`],
      ]);
      const [transcript] = res.body.result;
      const raw = sim.dataset.transcript(entry, NOW);
      expect(transcript).toMatchObject({ id: entry.id, meeting: { id: entry.id }, remote_data: raw });
      const truth = truthCall(sim, entry);
      const who = new Map(truth.participants.map((p) => [p.speaker_id, p]));
      expect(transcript.entries).toHaveLength(truth.utterances.length);
      transcript.entries.forEach((e: any, i: number) => {
        const u = truth.utterances[i]!;
        expect(e.text).toBe(u.text);
        expect(e.start_time).toBe(u.start_s);
        expect(e.end_time).toBe(u.end_s);
        expect(e.end_time_derived).toBeUndefined();
        expect(e.speaker_name).toBe(raw[i]!.speaker);
        expect(e.speaker_id).toBe(raw[i]!.participant_id ?? `name:${raw[i]!.speaker.toLowerCase().replace(/[^a-z0-9]/g, '')}`);
        expect(e.speaker_side).toBe(who.get(u.speaker_id)!.side);
        expect(e.user_id).toBe(who.get(u.speaker_id)!.user_id);
      });
    }
  });

  it('after a listing, a transcript costs one request (the listing brought the participants)', async () => {
    const id = await newAccount();
    const start = TODAY.minus({ days: 8 });
    await t.listAll(url('/meetings', { integrated_account_id: id, start_time: iso(start), end_time: iso(start.plus({ days: 1 })) }), 100);
    const entry = expectedRecordings(sim, start, start.plus({ days: 1 }))[0]!;
    const before = sim.requests.length;
    const res = await t.call('GET', url('/transcripts', { integrated_account_id: id, meeting_id: entry.id }));
    expect(res.status).toBe(200);
    expect(res.body.result).toHaveLength(1);
    expect(since(sim, before).map((r) => r.path)).toEqual([`${API}/recordings/${entry.id}/transcript`]);
  });

  it('a recording not transcribed yet (an empty array) has an empty list; an unknown recording is a 404', async () => {
    const id = await newAccount();
    const pending = expectedRecordings(sim, TODAY, DateTime.fromMillis(NOW)).find((e) => e.call.transcriptReadyAt > NOW)!;
    expect(pending).toBeDefined();
    const res = await t.call('GET', url('/transcripts', { integrated_account_id: id, meeting_id: pending.id }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result).toEqual([]);
    expect((await t.call('GET', url('/transcripts', { integrated_account_id: id, meeting_id: '00000000-0000-4000-8000-000000000000' }))).status).toBe(404);
  });
});

describe('Grain simulator over time', () => {
  it('lists a recording once it ended, shows its transcript once ready and a title edited after the call from the edit on', async () => {
    let clock = NOW;
    const moving = await extraSim({ now: () => clock });
    const entry = expectedRecordings(moving, TODAY.minus({ days: 30 }), TODAY).find((e) => e.call.edit && e.call.edit.at > e.call.transcriptReadyAt)!;
    expect(entry).toBeDefined();
    const range = { start_time: iso(entry.call.startedAt), end_time: iso(entry.call.startedAt + 1000) };
    // a new account per read: Parley keeps vendor pages (and participants) for a few minutes
    const listed = async () => (await t.call('GET', url('/meetings', { integrated_account_id: await newAccount(moving), ...range }))).body.result;
    const transcript = async () => (await t.call('GET', url('/transcripts', { integrated_account_id: await newAccount(moving), meeting_id: entry.id }))).body.result;

    clock = entry.call.endedAt; // still being processed
    expect(await listed()).toEqual([]);
    clock = entry.call.endedAt + 60_000;
    expect((await listed()).map((m: any) => [m.id, m.title])).toEqual([[entry.id, entry.call.metaData.title]]);
    clock = entry.call.transcriptReadyAt - 1000;
    expect(await transcript()).toEqual([]);
    clock = entry.call.transcriptReadyAt;
    expect((await transcript())[0].entries.length).toBeGreaterThan(10);
    clock = entry.call.edit!.at;
    expect((await listed()).map((m: any) => m.title)).toEqual([entry.call.edit!.title]);
  });
});

describe('Grain List Interactions (computed)', () => {
  it('computes all five metrics per user and week, equal to METRICS.md on the simulated calls\' truth; one transcript request per recording', async () => {
    const id = await newAccount();
    const start = TODAY.minus({ days: 21 });
    const end = TODAY;
    const before = sim.requests.length;
    const { all } = await t.listAll(url('/interactions', { integrated_account_id: id, start_time: start.toISODate()!, end_time: end.toISODate()!, aggregation_period: 'week' }), 1000);
    const entries = expectedRecordings(sim, start, end);
    const transcribed = entries.filter((e) => e.call.transcriptReadyAt <= NOW);
    expect(transcribed.length).toBeGreaterThan(60);
    const expected = computeInteractions(transcribed.map((e) => truthCall(sim, e)), { start, end, period: 'week', timezone: 'UTC', notAfter: DateTime.fromMillis(NOW) });
    const key = (r: any) => `${r.user.id}|${DateTime.fromISO(r.start_time).toMillis()}`;
    expect(all.map(key).sort()).toEqual(expected.map(key).sort());
    const byKey = new Map(expected.map((r) => [key(r), r]));
    for (const r of all) {
      const e = byKey.get(key(r))!;
      expect(Object.keys(r.metrics).sort()).toEqual(['interactivity', 'longest_customer_story', 'longest_monologue', 'patience', 'question_rate']);
      for (const [k, v] of Object.entries(e.metrics)) expect(r.metrics[k], `${key(r)} ${k}`).toBeCloseTo(v as number, 6);
      expect(r.additional_metrics).toEqual(e.additional_metrics);
      expect(r.timezone).toBe('UTC');
    }
    // what Parley asked: recordings pages, then each recording's transcript once (participants came with the listing)
    const sent = since(sim, before);
    const transcripts = sent.filter((r) => r.path.endsWith('/transcript'));
    expect(transcripts.map((r) => r.path).sort()).toEqual(entries.map((e) => `${API}/recordings/${e.id}/transcript`).sort());
    expect(sent.filter((r) => /\/recordings\/[0-9a-f-]{36}$/.test(r.path))).toEqual([]);
  });
});

describe('Grain sync', () => {
  it('stores recordings and their transcripts: one transcript request per recording, participants from the listing', async () => {
    const small = await extraSim({ pageSize: 5 });
    const res = await t.call('POST', '/integrated-accounts', {
      integration: 'grain',
      credentials: { api_token: small.token, base_url: small.url, rate_limit_per_minute: FAST },
      sync: { backfill_days: 10 },
    });
    expect(res.status).toBe(201);
    expect(await t.parley.engine.run(res.body.id)).toBe('completed');
    const synced = expectedRecordings(small, TODAY.minus({ days: 10 }), DateTime.fromMillis(NOW));
    const transcripts = small.requests.filter((r) => r.path.endsWith('/transcript'));
    expect(transcripts.map((r) => r.path).sort()).toEqual(synced.map((e) => `${API}/recordings/${e.id}/transcript`).sort());
    expect(small.requests.filter((r) => /\/recordings\/[0-9a-f-]{36}$/.test(r.path))).toEqual([]);
    const status = (await t.call('GET', `/integrated-accounts/${res.body.id}/sync`)).body;
    expect(status.counts.meetings).toBe(synced.length);
    expect(status.counts.transcripts).toBe(synced.filter((e) => e.call.transcriptReadyAt <= NOW).length);
    expect(status.counts.users).toBe(small.dataset.users.length);
  });
});

describe('Grain rate limits', () => {
  it('paces requests under the account budget: one per 200 ms at 300/min, and no 429', async () => {
    const strict = await extraSim({ pageSize: 2, rateLimit: 6, rateWindowMs: 1000 });
    const id = await newAccount(strict, { rate_limit_per_minute: 300 });
    const res = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: iso(TODAY.minus({ days: 6 })), end_time: iso(TODAY.minus({ days: 5 })), limit: '1000' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(strict.requests.length).toBeGreaterThan(6);
    expect(strict.requests.every((r) => r.status === 200)).toBe(true);
    expectPaced(strict.requests.map((r) => r.at), 200);
  });

  it('honours 429 with and without Retry-After, waits out its own throttle, and answers 429 when the wait outlasts the request', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'rate-limit', path: `${API}/users`, retryAfterSeconds: 1 }, { kind: 'rate-limit', path: `${API}/users`, retryAfterSeconds: null });
    const before = sim.requests.length;
    expect((await t.call('GET', url('/users', { integrated_account_id: id }))).status).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(990);

    const tight = await extraSim({ pageSize: 2, rateLimit: 3, rateWindowMs: 1000 });
    const acc = await newAccount(tight);
    const res = await t.call('GET', url('/meetings', { integrated_account_id: acc, start_time: iso(TODAY.minus({ days: 6 })), end_time: iso(TODAY.minus({ days: 5 })), limit: '1000' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(tight.requests.some((r) => r.status === 429)).toBe(true);

    const verified1 = await newAccount();
    sim.faults.push({ kind: 'rate-limit', path: `${API}/users`, retryAfterSeconds: 120 });
    const limited = await t.call('GET', url('/users', { integrated_account_id: verified1 }));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('120');
    expect(limited.body).toMatchObject({ is_remote_error: true, raw_response: { errors: { detail: 'API request limit exceeded' } } });
  });
});

describe('Grain errors', () => {
  it('keeps Grain\'s 401 for a wrong token, with its body and reason', async () => {
    const id = await newAccount(sim, { api_token: 'not-the-token' }, true);
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, is_remote_error: true, raw_response: { errors: { detail: 'Unauthorized' } } });
    expect(res.body.message).toBe('Grain refused the request (POST /_/public-api/v2/users): Unauthorized');
  });

  it('turns a malformed or wrongly shaped body into a 502 naming the endpoint; retries a 503 and a hang; stops on a repeated cursor', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'malformed', variant: 'wrong-shape', path: `${API}/recordings` });
    const shape = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: '2025-06-02T00:00:00Z', end_time: '2025-06-03T00:00:00Z' }));
    expect(shape.status).toBe(502);
    expect(shape.body.message).toMatch(/^Grain returned an unexpected body for POST \/_\/public-api\/v2\/recordings: /);
    expect(shape.body.raw_response).toEqual({ cursor: 12, recordings: { detail: 'this body has the wrong shape on purpose' }, users: 'none' });

    sim.faults.push({ kind: 'status', status: 503, path: `${API}/users` }, { kind: 'timeout', path: `${API}/users` });
    const before = sim.requests.length;
    expect((await t.call('GET', url('/users', { integrated_account_id: id }))).status).toBe(200);
    expect(since(sim, before).map((r) => r.fault ?? r.status)).toEqual(['status', 'timeout', 200]);

    sim.faults.push({ kind: 'status', status: 200, path: `${API}/recordings`, body: { cursor: 'same', recordings: [] }, times: 2 });
    const loop = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: '2025-06-02T00:00:00Z', end_time: '2025-06-03T00:00:00Z', limit: '5' }));
    expect(loop.status).toBe(502);
    expect(loop.body.message).toContain('Grain repeated a cursor');
  });
});

describe('Grain sandbox entry', () => {
  it('starts a simulator whose credentials the connector accepts (sandbox-grain)', async () => {
    const entry = SANDBOX_VENDORS.find((v) => v.integration === 'grain')!;
    const running = await startSandbox(t.parley, [entry]);
    try {
      expect(running.accounts.map((a) => a.id)).toEqual([sandboxAccountId('grain')]);
      const res = await t.call('GET', url('/users', { integrated_account_id: 'sandbox-grain' }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.result.length).toBeGreaterThan(3);
    } finally {
      await running.close();
    }
  });
});
