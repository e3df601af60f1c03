import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { startFathomSimulator, type FathomMeetingEntry, type FathomSimulator, type FathomSimulatorOptions, type RecordedRequest } from '../../sandbox/fathom/index.js';
import { fathomProvider, FATHOM_REQUESTS_PER_MINUTE } from '../../src/connectors/fathom/provider.js';
import { CREATED_AFTER_START_MAX_MS, GET_SCAN_PAGES } from '../../src/connectors/fathom/meetings.js';
import { mapFathomMeeting, mapFathomTranscript, timestampSeconds } from '../../src/connectors/fathom/mappers.js';
import { FathomMeeting } from '../../src/connectors/fathom/schemas.js';
import { companyDirectory } from '../../src/connectors/company-directory.js';
import { SECONDS_PER_WORD } from '../../src/connectors/end-times.js';
import { computeInteractions } from '../../src/metrics/index.js';
import { meetingToCall } from '../../src/metrics/from-unified.js';
import type { NormalizedCall } from '../../src/metrics/call.js';
import { SANDBOX_VENDORS, sandboxAccountId, startSandbox } from '../../src/sandbox.js';
import { clockAt } from '../../src/domain/clock.js';
import { expectPaced } from '../helpers/pacing.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The Fathom connector end to end: Parley's API → connector → loopback HTTP → the Fathom simulator.
 * Assertions are on what Parley returns AND on the exact requests it sent to Fathom.
 */
// Parley and the simulators share one calendar, pinned to a Thursday noon in the company's zone
// (America/New_York): the window 8 to 5 days back (Wed–Sat) holds a few dozen meetings, and the
// morning's meeting has ended but is not transcribed yet.
const NOW = Date.parse('2025-06-12T16:00:00Z');
const TODAY = DateTime.fromMillis(NOW, { zone: 'utc' }).startOf('day');
const BASE = '/unified/conversational-intelligence';
// Accounts here may send 100 requests/s; only the pacing tests use the published budget shape.
const FAST = 6000;

let sim: FathomSimulator;
let t: TestParley;
const sims: FathomSimulator[] = [];

beforeAll(async () => {
  [sim, t] = await Promise.all([startFathomSimulator({ rateLimit: Infinity, now: () => NOW }), startTestParley({}, { clock: clockAt(NOW) })]);
});
afterEach(() => sim.faults.clear());
afterAll(async () => {
  await t.close();
  await Promise.all([sim, ...sims].map((s) => s.close()));
});

async function extraSim(options: FathomSimulatorOptions): Promise<FathomSimulator> {
  const s = await startFathomSimulator({ rateLimit: Infinity, now: () => NOW, ...options });
  sims.push(s);
  return s;
}

/**
 * `revoked`: credentials the vendor refuses, stored without the verification a create does (a key
 * revoked after it was connected), to see how reads answer the vendor's 401.
 */
async function newAccount(simulator = sim, creds: Record<string, unknown> = {}, revoked = false): Promise<string> {
  const body = {
    integration: 'fathom',
    credentials: { api_key: simulator.apiKey, base_url: simulator.baseUrl, rate_limit_per_minute: FAST, ...creds },
  };
  if (revoked) return (await t.parley.accounts.create('default', body, { skipVerification: true })).id;
  const res = await t.call('POST', '/integrated-accounts', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const since = (s: FathomSimulator, n: number): RecordedRequest[] => s.requests.slice(n);
const iso = (d: DateTime | number) => (typeof d === 'number' ? DateTime.fromMillis(d, { zone: 'utc' }) : d.toUTC()).toISO({ suppressMilliseconds: true })!;
const url = (path: string, params: Record<string, string>) => `${BASE}${path}?${new URLSearchParams(params)}`;
const API = '/external/v1';

/** Fathom meetings that started in [start, end) and exist at NOW, in the order Fathom lists them. */
function expectedMeetings(s: FathomSimulator, start: DateTime, end: DateTime): FathomMeetingEntry[] {
  return s.dataset.world
    .callsBetween(start.toMillis(), end.toMillis())
    .filter((c) => s.dataset.isFathomMeeting(c))
    .map((c) => s.dataset.entry(c))
    .filter((e) => e.createdAt <= NOW)
    .sort((a, b) => b.createdAt - a.createdAt || b.recordingId - a.recordingId);
}

const NO_EXTRAS = { transcript: false, summary: false, actionItems: false, crmMatches: false };
const dirOf = (s: FathomSimulator) => companyDirectory(s.dataset.teamMembers.map((m) => ({ id: m.email.toLowerCase(), email: m.email, name: m.name })));

describe('Fathom provider', () => {
  it('sends the key as X-Api-Key, defaults to api.fathom.ai/external/v1, and paces 60/min unless the account says more', () => {
    expect(fathomProvider.authHeaders({ api_key: 'k1' })).toEqual({ 'x-api-key': 'k1' });
    expect(fathomProvider.baseUrl({ api_key: 'k1' })).toBe('https://api.fathom.ai/external/v1');
    const rate = fathomProvider.rateLimit as (c: Record<string, unknown>) => { perSecond: number; windows?: unknown };
    expect(FATHOM_REQUESTS_PER_MINUTE).toBe(60);
    expect(rate({ api_key: 'k' })).toEqual({ perSecond: 1, windows: [{ limit: 60, windowMs: 60_000 }] });
    expect(rate({ api_key: 'k', rate_limit_per_minute: 120 }).perSecond).toBe(2);
    expect(fathomProvider.resources).toEqual({ users: ['native'], meetings: ['native'], transcripts: ['native'], interactions: ['computed'], activity: ['computed'] });
  });

  it('rejects credentials without api_key, naming the field', async () => {
    const res = await t.call('POST', '/integrated-accounts', { integration: 'fathom', credentials: { base_url: sim.baseUrl } });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('credentials.api_key is required (a non-empty string of at most 2048 characters) (body)');
  });

  it('reads HH:MM:SS (and MM:SS, fractions, long hours) as seconds; anything else is unreadable', () => {
    expect(timestampSeconds('00:05:32')).toBe(332);
    expect(timestampSeconds('01:00:00')).toBe(3600);
    expect(timestampSeconds('12:07')).toBe(727);
    expect(timestampSeconds('100:00:01.5')).toBe(360_001.5);
    for (const bad of ['', '5', '00:61:00', 'aa:bb:cc', null, undefined]) expect(timestampSeconds(bad)).toBeUndefined();
  });
});

describe('Fathom mapping rules', () => {
  const dir = companyDirectory([
    { id: 'ann@acme.example', email: 'ann@acme.example', name: 'Ann Lee' },
    { id: 'bo@acme.example', email: 'bo@acme.example', name: 'Bo Park' },
  ]);

  it('attendees: a user by address, else Fathom\'s is_external, else the company domains; the recorder is the host', () => {
    const m = mapFathomMeeting(
      {
        recording_id: 7,
        title: '',
        meeting_title: 'Calendar title',
        recording_start_time: '2025-06-02T14:00:05Z',
        recording_end_time: '2025-06-02T14:30:05Z',
        created_at: '2025-06-02T14:31:00Z',
        recorded_by: { name: 'Bo Park', email: 'BO@acme.example' },
        calendar_invitees: [
          { name: 'Ann Lee', email: 'Ann@Acme.example', is_external: false },
          { name: 'Bo Park', email: 'bo@acme.example', is_external: false },
          { name: 'Cy Doe', email: 'cy@acme.example' },
          { name: 'Dee Roe', email: 'dee@client.example' },
          { name: 'Eve', email: 'eve@acme.example', is_external: true },
        ],
        transcript: [{ speaker: { display_name: 'Ann Lee' }, text: 'Hi', timestamp: '00:00:01' }],
      },
      dir,
    )!;
    expect(m).toMatchObject({ id: '7', title: 'Calendar title', start_time: '2025-06-02T14:00:05Z', end_time: '2025-06-02T14:30:05Z', duration: 1800, host_user_id: 'bo@acme.example' });
    expect(m.attendees.map((a) => [a.email, a.side, a.user_id, a.is_host])).toEqual([
      ['Ann@Acme.example', 'internal', 'ann@acme.example', false],
      ['bo@acme.example', 'internal', 'bo@acme.example', true],
      ['cy@acme.example', 'internal', undefined, false],
      ['dee@client.example', 'external', undefined, false],
      ['eve@acme.example', 'external', undefined, false],
    ]);
    expect((m.remote_data as Record<string, unknown>).transcript).toBeUndefined();
  });

  it('speakers: a user by the matched address, else (no address) by display name; others by domain; unreadable timestamps left out; ends derived', () => {
    const t = mapFathomTranscript(
      '7',
      [
        { speaker: { display_name: 'Ann', matched_calendar_invitee_email: 'ann@acme.example' }, text: 'So what is the plan?', timestamp: '00:00:01' },
        { speaker: { display_name: 'Bo Park', matched_calendar_invitee_email: null }, text: 'Right.', timestamp: '00:00:02' },
        { speaker: { display_name: 'Bo Park', matched_calendar_invitee_email: 'bo.park@client.example' }, text: 'We ship in June and then we see.', timestamp: '00:00:04' },
        { speaker: { display_name: 'Cy', matched_calendar_invitee_email: 'cy@acme.example' }, text: 'Noted.', timestamp: 'soon' },
      ],
      dir,
    )!;
    expect(t.entries).toEqual([
      { speaker_id: 'ann@acme.example', speaker_name: 'Ann', speaker_side: 'internal', user_id: 'ann@acme.example', text: 'So what is the plan?', start_time: 1, end_time: 2, end_time_derived: true },
      { speaker_id: 'name:bopark', speaker_name: 'Bo Park', speaker_side: 'internal', user_id: 'bo@acme.example', text: 'Right.', start_time: 2, end_time: 2.4, end_time_derived: true },
      { speaker_id: 'bo.park@client.example', speaker_name: 'Bo Park', speaker_side: 'external', text: 'We ship in June and then we see.', start_time: 4, end_time: 7.2, end_time_derived: true },
    ]);
    expect(mapFathomTranscript('7', [], dir)).toBeUndefined();
    expect(mapFathomTranscript('7', null, dir)).toBeUndefined();
  });
});

describe('Fathom Users', () => {
  it('pages GET /team_members with next_cursor to the end: every member once, id = address, name, created_at', async () => {
    const small = await extraSim({ pageSize: 3 });
    const id = await newAccount(small);
    const verified = small.requests.length;
    const { all, pages } = await t.listAll(url('/users', { integrated_account_id: id }), 2);
    expect(pages).toBeGreaterThan(2);
    const members = small.dataset.teamMembers;
    expect(all.map((u) => u.id)).toEqual(members.map((m) => m.email.toLowerCase()));
    all.forEach((u, i) => expect(u).toEqual({ id: members[i]!.email.toLowerCase(), name: members[i]!.name, emails: [{ email: members[i]!.email, is_primary: true }], created_at: members[i]!.created_at, remote_data: members[i] }));
    const sent = small.requests.slice(verified).filter((r) => r.path === `${API}/team_members`);
    expect(sent.map((r) => r.query)).toEqual([{}, { cursor: Buffer.from('{"page_num":2}').toString('base64') }, { cursor: Buffer.from('{"page_num":3}').toString('base64') }]);
    for (const r of sent) expect(r.headers['x-api-key']).toBe(small.apiKey);
  });

  it('answers users/{id} from the team listing; an unknown address is 404', async () => {
    const id = await newAccount();
    const member = sim.dataset.teamMembers[2]!;
    const one = await t.call('GET', `${BASE}/users/${encodeURIComponent(member.email.toLowerCase())}?integrated_account_id=${id}`);
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.name).toBe(member.name);
    expect((await t.call('GET', `${BASE}/users/${encodeURIComponent('nobody@lumenharbor.example')}?integrated_account_id=${id}`)).status).toBe(404);
  });
});

describe('Fathom Meetings', () => {
  const start = TODAY.minus({ days: 8 });
  const end = TODAY.minus({ days: 5 });

  it('asks created_after=start and created_before=end+4 h (Fathom filters on created_at), pages with the same filters, keeps [start, end)', async () => {
    const small = await extraSim({ pageSize: 4 });
    const id = await newAccount(small);
    const before = small.requests.length;
    const { all, pages } = await t.listAll(url('/meetings', { integrated_account_id: id, start_time: iso(start), end_time: iso(end) }), 3);
    const expected = expectedMeetings(small, start, end);
    expect(expected.length).toBeGreaterThan(15);
    expect(pages).toBeGreaterThan(4);
    expect(all.map((m) => m.id)).toEqual(expected.map((e) => String(e.recordingId)));
    const sent = since(small, before).filter((r) => r.path === `${API}/meetings`);
    const filters = { created_after: iso(start), created_before: iso(end.plus(CREATED_AFTER_START_MAX_MS)) };
    expect(sent[0]!.query).toEqual(filters);
    sent.slice(1).forEach((r, i) => expect(r.query).toEqual({ ...filters, cursor: Buffer.from(`{"page_num":${i + 2}}`).toString('base64') }));
    // the listing reaches past end_time (recordings are created after they end) and stops at Fathom's last page
    const listedByFathom = small.dataset.world.callsBetween(start.toMillis() - 86_400_000, end.plus(CREATED_AFTER_START_MAX_MS).toMillis()).filter((c) => small.dataset.isFathomMeeting(c)).map((c) => small.dataset.entry(c)).filter((e) => e.createdAt > start.toMillis() && e.createdAt < end.plus(CREATED_AFTER_START_MAX_MS).toMillis());
    expect(sent).toHaveLength(Math.ceil(listedByFathom.length / 4));
    // video meetings only: the synthetic world's phone calls are not Fathom's
    expect(small.dataset.world.callsBetween(start.toMillis(), end.toMillis()).some((c) => c.metaData.media === 'Audio')).toBe(true);
  });

  it('freezes created_before at the first page\'s now when the range has no end', async () => {
    const small = await extraSim({ pageSize: 2 });
    const id = await newAccount(small);
    const from = DateTime.fromMillis(NOW, { zone: 'utc' }).minus({ days: 4 });
    const first = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: iso(from), limit: '2' }));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: iso(from), limit: '50', next_cursor: first.body.next_cursor }));
    expect(second.status).toBe(200);
    const sent = small.requests.filter((r) => r.path === `${API}/meetings`);
    // one value on every page: the first page's now (Parley's pinned calendar, still advancing)
    const frozen = new Set(sent.map((r) => r.query.created_before));
    expect(sent.length).toBeGreaterThan(1);
    expect(frozen.size).toBe(1);
    expect(Date.parse([...frozen][0] as string) - NOW).toBeGreaterThanOrEqual(0);
    expect(Date.parse([...frozen][0] as string) - NOW).toBeLessThan(5_000);
  });

  it('maps every field: recording window, duration, title, host, attendees with Fathom\'s is_external, url, created_at; remote_data without transcript', async () => {
    const id = await newAccount();
    const { all } = await t.listAll(url('/meetings', { integrated_account_id: id, start_time: iso(start), end_time: iso(end) }), 100);
    const byEmail = new Map(sim.dataset.teamMembers.map((m) => [m.email, m.email.toLowerCase()]));
    let external = 0;
    for (const m of all) {
      const entry = sim.dataset.entryOf(Number(m.id))!;
      const raw = sim.dataset.meeting(entry, NOW, NO_EXTRAS);
      expect(m.start_time).toBe(raw.recording_start_time);
      expect(m.end_time).toBe(raw.recording_end_time);
      expect(m.duration).toBe(entry.call.metaData.duration);
      expect(m.title).toBe(raw.title);
      expect(m.host_user_id).toBe(byEmail.get(raw.recorded_by.email));
      expect(m.meeting_url).toBe(`https://fathom.video/calls/${m.id}`);
      expect(m.created_at).toBe(raw.created_at);
      // as the listing without include_transcript shows it: no matched speaker names
      expect(m.remote_data).toEqual({ ...raw, calendar_invitees: raw.calendar_invitees.map(({ matched_speaker_display_name: _m, ...i }) => i) });
      expect(m.attendees).toEqual(
        raw.calendar_invitees.map((i) => ({
          name: i.name,
          email: i.email,
          side: i.is_external ? 'external' : 'internal',
          ...(byEmail.has(i.email) ? { user_id: byEmail.get(i.email) } : {}),
          is_host: i.email === raw.recorded_by.email,
        })),
      );
      external += m.attendees.filter((a: any) => a.side === 'external').length;
    }
    expect(external).toBeGreaterThan(0);
  });

  it('finds one meeting by id: one narrow listing around the created_at it saw; a new account scans the newest pages; unknown ids are 404s', async () => {
    const id = await newAccount();
    const entry = expectedMeetings(sim, start, end)[0]!;
    await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: iso(start), end_time: iso(end) }));
    let before = sim.requests.length;
    const res = await t.call('GET', `${BASE}/meetings/${entry.recordingId}?integrated_account_id=${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe(String(entry.recordingId));
    expect(since(sim, before).filter((r) => r.path === `${API}/meetings`).map((r) => r.query)).toEqual([{ created_after: iso(entry.createdAt - 1000), created_before: iso(entry.createdAt + 1000) }]);

    // a recent meeting, on an account that never listed it: the newest pages, no filter
    const fresh = await newAccount();
    const recent = expectedMeetings(sim, TODAY.minus({ days: 7 }), DateTime.fromMillis(NOW))[12]!; // on Fathom's second page
    before = sim.requests.length;
    const found = await t.call('GET', `${BASE}/meetings/${recent.recordingId}?integrated_account_id=${fresh}`);
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    const scan = since(sim, before).filter((r) => r.path === `${API}/meetings`);
    expect(scan[0]!.query).toEqual({});
    expect(scan.length).toBe(2);

    // an old one is past the newest pages: a 404 that says why and what to do
    const old = await t.call('GET', `${BASE}/meetings/${expectedMeetings(sim, TODAY.minus({ days: 60 }), TODAY.minus({ days: 55 }))[0]!.recordingId}?integrated_account_id=${fresh}`);
    expect(old.status).toBe(404);
    expect(old.body.message).toContain(`not among the ${GET_SCAN_PAGES} newest pages`);
    before = sim.requests.length;
    expect((await t.call('GET', `${BASE}/meetings/not-a-number?integrated_account_id=${fresh}`)).status).toBe(404);
    expect(since(sim, before)).toEqual([]);
  });
});

describe('Fathom Transcripts', () => {
  it('reads GET /recordings/{id}/transcript: HH:MM:SS starts, derived ends, speakers by matched address, else by name; sides', async () => {
    const id = await newAccount();
    const calls = expectedMeetings(sim, TODAY.minus({ days: 20 }), TODAY.minus({ days: 1 }));
    // a call whose co-host Fathom matched to no invitee address: found by display name
    const unmatched = calls.find((e) => sim.dataset.unmatchedCohost(e.call) !== undefined)!;
    expect(unmatched).toBeDefined();
    const before = sim.requests.length;
    const res = await t.call('GET', url('/transcripts', { integrated_account_id: id, meeting_id: String(unmatched.recordingId) }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = since(sim, before).filter((r) => r.path !== `${API}/team_members`);
    expect(sent.map((r) => [r.method, r.path, r.query])).toEqual([['GET', `${API}/recordings/${unmatched.recordingId}/transcript`, {}]]);
    const [transcript] = res.body.result;
    const raw = sim.dataset.transcript(unmatched, NOW)!;
    expect(transcript.id).toBe(String(unmatched.recordingId));
    expect(transcript.meeting).toEqual({ id: String(unmatched.recordingId) });
    expect(transcript.remote_data).toEqual({ transcript: raw });
    expect(transcript.entries).toHaveLength(raw.length);
    const users = new Map(sim.dataset.teamMembers.map((m) => [m.name, m.email.toLowerCase()]));
    const truth = new Map(unmatched.call.parties.map((p) => [p.name, p]));
    const seen = new Set<string>();
    transcript.entries.forEach((e: any, i: number) => {
      const item = raw[i]!;
      const party = truth.get(item.speaker.display_name)!;
      expect(e.speaker_id).toBe(item.speaker.matched_calendar_invitee_email?.toLowerCase() ?? `name:${item.speaker.display_name.toLowerCase().replace(/[^a-z0-9]/g, '')}`);
      expect(e.speaker_name).toBe(item.speaker.display_name);
      expect(e.text).toBe(item.text);
      expect(e.start_time).toBe(timestampSeconds(item.timestamp));
      expect(e.end_time_derived).toBe(true);
      expect(e.end_time).toBeGreaterThanOrEqual(e.start_time);
      expect(e.end_time).toBeLessThanOrEqual(e.start_time + SECONDS_PER_WORD * item.text.split(/\s+/).length + 1e-9);
      const own = transcript.entries.slice(i + 1).find((x: any) => x.speaker_id === e.speaker_id);
      if (own) expect(e.end_time).toBeLessThanOrEqual(own.start_time);
      expect(e.speaker_side).toBe(party.affiliation === 'Internal' ? 'internal' : 'external');
      expect(e.user_id).toBe(party.affiliation === 'Internal' ? users.get(party.name) : undefined);
      if (item.speaker.matched_calendar_invitee_email === null && party.affiliation === 'Internal') seen.add(e.user_id);
    });
    expect(seen.size).toBe(1); // the unmatched co-host, by name
  });

  it('a meeting not transcribed yet has an empty list (the meeting exists); an unknown recording is a 404', async () => {
    const id = await newAccount();
    const pending = expectedMeetings(sim, TODAY, DateTime.fromMillis(NOW)).find((e) => e.call.transcriptReadyAt > NOW)!;
    expect(pending).toBeDefined();
    const res = await t.call('GET', url('/transcripts', { integrated_account_id: id, meeting_id: String(pending.recordingId) }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result).toEqual([]);
    const unknown = await t.call('GET', url('/transcripts', { integrated_account_id: id, meeting_id: '100000042' }));
    expect(unknown.status).toBe(404);
  });
});

describe('Fathom simulator over time', () => {
  it('lists a meeting once Fathom created it, shows its transcript once ready and a title edited after the call from the edit on', async () => {
    let clock = NOW;
    const moving = await extraSim({ now: () => clock });
    const entry = expectedMeetings(moving, TODAY.minus({ days: 30 }), TODAY).find((e) => e.call.edit && e.call.edit.at > e.call.transcriptReadyAt)!;
    expect(entry).toBeDefined();
    const range = { start_time: iso(entry.call.startedAt), end_time: iso(entry.call.startedAt + 1000) };
    // a new account per read: Parley keeps vendor pages for a few minutes
    const listed = async () => (await t.call('GET', url('/meetings', { integrated_account_id: await newAccount(moving), ...range }))).body.result;
    const transcript = async () => (await t.call('GET', url('/transcripts', { integrated_account_id: await newAccount(moving), meeting_id: String(entry.recordingId) }))).body.result;

    clock = entry.createdAt - 1000; // the call has ended, Fathom has not created the recording yet
    expect(await listed()).toEqual([]);
    clock = entry.createdAt;
    expect((await listed()).map((m: any) => [m.id, m.title])).toEqual([[String(entry.recordingId), entry.call.metaData.title]]);
    clock = entry.call.transcriptReadyAt - 1000;
    expect(await transcript()).toEqual([]);
    clock = entry.call.transcriptReadyAt;
    expect((await transcript())[0].entries.length).toBeGreaterThan(10);
    clock = entry.call.edit!.at;
    expect((await listed()).map((m: any) => m.title)).toEqual([entry.call.edit!.title]);
  });
});

describe('Fathom List Interactions (computed)', () => {
  it('lists meetings with include_transcript (one request per page) and computes the METRICS.md numbers of those calls', async () => {
    const small = await extraSim({ pageSize: 5 });
    const id = await newAccount(small);
    const start = TODAY.minus({ days: 21 });
    const end = TODAY;
    const before = small.requests.length;
    const { all } = await t.listAll(url('/interactions', { integrated_account_id: id, start_time: start.toISODate()!, end_time: end.toISODate()!, aggregation_period: 'week' }), 1000);
    const sent = since(small, before);
    // users once, then pages of meetings with their transcripts: never one request per meeting
    expect(sent.every((r) => r.path === `${API}/meetings` || r.path === `${API}/team_members`)).toBe(true);
    const listings = sent.filter((r) => r.path === `${API}/meetings`);
    for (const r of listings) expect(r.query).toMatchObject({ include_transcript: 'true' });
    expect(new Set(listings.filter((r) => !r.query.cursor).map((r) => r.query.created_after))).toEqual(new Set(listings.filter((r) => !r.query.cursor).map((r) => r.query.created_after)));

    // the expectation: the simulator's own records through the documented mapping, then METRICS.md
    const dir = dirOf(small);
    const calls = expectedMeetings(small, start, end).flatMap((e) => {
      const raw = FathomMeeting.parse(small.dataset.meeting(e, NOW, { ...NO_EXTRAS, transcript: true }));
      const call = meetingToCall(mapFathomMeeting(raw, dir)!, mapFathomTranscript(String(raw.recording_id), raw.transcript, dir));
      return call ? [call as NormalizedCall] : [];
    });
    expect(calls.length).toBeGreaterThan(40);
    const expected = computeInteractions(calls, { start, end, period: 'week', timezone: 'UTC', notAfter: DateTime.fromMillis(NOW) });
    const key = (r: any) => `${r.user.id}|${DateTime.fromISO(r.start_time).toMillis()}`;
    expect(all.map(key).sort()).toEqual(expected.map(key).sort());
    const byKey = new Map(expected.map((r) => [key(r), r]));
    for (const r of all) {
      const e = byKey.get(key(r))!;
      for (const [k, v] of Object.entries(e.metrics)) expect(r.metrics[k], `${key(r)} ${k}`).toBeCloseTo(v as number, 6);
      expect(r.additional_metrics).toEqual(e.additional_metrics);
    }
    // every company user who spoke got records, under their team-member id
    const speakers = new Set(calls.flatMap((c) => c.participants.filter((p) => p.side === 'internal' && p.user_id).map((p) => p.user_id!)));
    expect(new Set(all.map((r) => r.user.id))).toEqual(speakers);
    for (const u of speakers) expect(small.dataset.teamMember(u)).toBeDefined();
  });

  it('has no native metrics: metrics_source=native is a 400', async () => {
    const id = await newAccount();
    const res = await t.call('GET', url('/interactions', { integrated_account_id: id, start_time: '2025-06-01', end_time: '2025-06-08', metrics_source: 'native' }));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('fathom');
  });
});

describe('Fathom sync', () => {
  it('stores meetings with their transcripts in one request per page (include_transcript): no transcript request per meeting', async () => {
    const small = await extraSim({ pageSize: 5 });
    const res = await t.call('POST', '/integrated-accounts', {
      integration: 'fathom',
      credentials: { api_key: small.apiKey, base_url: small.baseUrl, rate_limit_per_minute: FAST },
      sync: { backfill_days: 10 },
    });
    expect(res.status).toBe(201);
    expect(await t.parley.engine.run(res.body.id)).toBe('completed');
    const paths = new Set(small.requests.map((r) => r.path));
    expect(paths).toEqual(new Set([`${API}/team_members`, `${API}/meetings`]));
    for (const r of small.requests.filter((x) => x.path === `${API}/meetings`)) expect(r.query.include_transcript).toBe('true');
    const status = (await t.call('GET', `/integrated-accounts/${res.body.id}/sync`)).body;
    const synced = expectedMeetings(small, TODAY.minus({ days: 10 }), DateTime.fromMillis(NOW));
    expect(status.counts.meetings).toBe(synced.length);
    expect(status.counts.transcripts).toBe(synced.filter((e) => e.call.transcriptReadyAt <= NOW).length);
    expect(status.counts.users).toBe(small.dataset.teamMembers.length);
  });
});

describe('Fathom rate limits', () => {
  it('paces requests under the account budget: one per 200 ms at 300/min, and no 429', async () => {
    const strict = await extraSim({ pageSize: 2, rateLimit: 6, rateWindowMs: 1000 });
    const id = await newAccount(strict, { rate_limit_per_minute: 300 });
    const res = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: iso(TODAY.minus({ days: 6 })), end_time: iso(TODAY.minus({ days: 5 })), limit: '1000' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const sent = strict.requests;
    expect(sent.length).toBeGreaterThan(6);
    expect(sent.every((r) => r.status === 200)).toBe(true);
    expectPaced(sent.map((r) => r.at), 200);
  });

  it('honours 429 with Retry-After (and RateLimit-* headers), retries a 429 without it after a backoff, and answers 429 when the wait outlasts the request', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'rate-limit', path: `${API}/team_members`, retryAfterSeconds: 1 }, { kind: 'rate-limit', path: `${API}/team_members`, retryAfterSeconds: null });
    const before = sim.requests.length;
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status).toBe(200);
    const sent = since(sim, before);
    expect(sent.map((r) => r.status)).toEqual([429, 429, 200]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(990);

    const verified1 = await newAccount();
    sim.faults.push({ kind: 'rate-limit', path: `${API}/team_members`, retryAfterSeconds: 120 });
    const limited = await t.call('GET', url('/users', { integrated_account_id: verified1 }));
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('120');
    expect(limited.body).toMatchObject({ is_remote_error: true, raw_response: { error: 'API request limit exceeded' } });
  });

  it('waits out the simulator\'s own 60-a-minute style throttle (429 + Retry-After) and completes', async () => {
    const tight = await extraSim({ pageSize: 2, rateLimit: 3, rateWindowMs: 1000 });
    const id = await newAccount(tight);
    const res = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: iso(TODAY.minus({ days: 6 })), end_time: iso(TODAY.minus({ days: 5 })), limit: '1000' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.result.map((m: any) => m.id)).toEqual(expectedMeetings(tight, TODAY.minus({ days: 6 }), TODAY.minus({ days: 5 })).map((e) => String(e.recordingId)));
    const throttled = tight.requests.flatMap((r, i) => (r.status === 429 ? [i] : []));
    expect(throttled.length).toBeGreaterThan(0);
    for (const i of throttled) if (tight.requests[i + 1]) expect(tight.requests[i + 1]!.at - tight.requests[i]!.at).toBeGreaterThanOrEqual(900);
  });
});

describe('Fathom errors', () => {
  it('keeps Fathom\'s 401 for a wrong key, with its body and reason', async () => {
    const id = await newAccount(sim, { api_key: 'not-the-key' }, true);
    const res = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, is_remote_error: true, raw_response: { error: 'Unauthorized - missing or invalid X-Api-Key header' } });
    expect(res.body.message).toContain('Fathom refused the request (GET /team_members): Unauthorized - missing or invalid X-Api-Key header');
  });

  it('turns a body that is not JSON, or of the wrong shape, into a 502 naming the endpoint, with the body', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'malformed', path: `${API}/team_members` });
    const bad = await t.call('GET', url('/users', { integrated_account_id: id }));
    expect(bad.status).toBe(502);
    expect(bad.body).toMatchObject({ is_remote_error: true, raw_response: expect.any(String) });
    sim.faults.push({ kind: 'malformed', variant: 'wrong-shape', path: `${API}/meetings` });
    const shape = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: '2025-06-02T00:00:00Z', end_time: '2025-06-03T00:00:00Z' }));
    expect(shape.status).toBe(502);
    expect(shape.body.message).toMatch(/^Fathom returned an unexpected body for GET \/meetings: limit: /);
    expect(shape.body.raw_response).toEqual({ limit: 'ten', next_cursor: 7, items: { error: 'this body has the wrong shape on purpose' } });
  });

  it('retries a 503 and a request that hangs, and stops on a repeated next_cursor', async () => {
    const id = await newAccount();
    sim.faults.push({ kind: 'status', status: 503, path: `${API}/team_members` }, { kind: 'timeout', path: `${API}/team_members` });
    const before = sim.requests.length;
    expect((await t.call('GET', url('/users', { integrated_account_id: id }))).status).toBe(200);
    expect(since(sim, before).map((r) => r.fault ?? r.status)).toEqual(['status', 'timeout', 200]);

    const page = { limit: 10, next_cursor: 'eyJwYWdlX251bSI6Mn0=', items: [] };
    sim.faults.push({ kind: 'status', status: 200, path: `${API}/meetings`, body: page, times: 2 });
    const loop = await t.call('GET', url('/meetings', { integrated_account_id: id, start_time: '2025-06-02T00:00:00Z', end_time: '2025-06-03T00:00:00Z', limit: '5' }));
    expect(loop.status).toBe(502);
    expect(loop.body.message).toContain('Fathom repeated a next_cursor');
  });
});

describe('Fathom sandbox entry', () => {
  it('starts a simulator whose credentials the connector accepts (sandbox-fathom)', async () => {
    const entry = SANDBOX_VENDORS.find((v) => v.integration === 'fathom')!;
    const running = await startSandbox(t.parley, [entry]);
    try {
      expect(running.accounts.map((a) => a.id)).toEqual([sandboxAccountId('fathom')]);
      const res = await t.call('GET', url('/users', { integrated_account_id: 'sandbox-fathom' }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.result.length).toBeGreaterThan(3);
      // the simulator's control plane is at its origin, where the banner points (the API is under /external/v1)
      expect((await fetch(`${running.accounts[0]!.vendorUrl}/__sandbox/faults`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
