import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/** Gong through the unified Users, Meetings and Transcripts, and computed Interactions. */
let sim: GongSimulator;
let t: TestParley;
let account: string;
const CI = '/unified/conversational-intelligence';
// Parley and the simulators share one calendar, pinned a month after the May 2024 weeks read here.
const NOW = Date.parse('2024-06-13T17:00:00Z');
const simNow = () => new Date(NOW);

beforeAll(async () => {
  sim = await startGongSimulator({ pageSize: 4, now: simNow });
  t = await startTestParley({}, { clock: clockAt(NOW) });
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
  });
  account = res.body.id;
});
afterAll(async () => {
  await t.close();
  await sim.close();
});

const listAll = async (url: string, limit: number) => (await t.listAll(url, limit)).all;

describe('Gong Users', () => {
  it('lists every user across Gong pages (GET /v2/users with cursor), ids as strings', async () => {
    const before = sim.requests.length;
    const users = await listAll(`${CI}/users?integrated_account_id=${account}`, 3);
    expect(users.length).toBe(sim.dataset.users.length);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    // a 429 of the simulator's strict 3/s window (arrivals bunch on a busy machine) is retried: not a page asked twice
    const sent = sim.requests.slice(before).filter((r) => r.status !== 429);
    expect(sent.every((r) => r.method === 'GET' && r.path === '/v2/users')).toBe(true);
    expect(sent.length).toBe(Math.ceil(sim.dataset.users.length / 4));
    expect(sent[0]!.query.cursor).toBeUndefined();
    for (const r of sent.slice(1)) expect(typeof r.query.cursor).toBe('string');
    for (const u of users) {
      expect(u.id).toMatch(/^\d+$/);
      expect(u.emails[0].is_primary).toBe(true);
      expect(u.remote_data.id).toBe(u.id);
    }
    expect(users.some((u) => u.emails.length > 1 && u.emails.slice(1).every((e: any) => !e.is_primary))).toBe(true);
  });

  it('gets one user, and 404s an unknown or malformed id without asking Gong for the malformed one', async () => {
    const first = sim.dataset.users[0]!;
    const res = await t.call('GET', `${CI}/users/${first.id}?integrated_account_id=${account}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(String(first.id));
    expect((await t.call('GET', `${CI}/users/1234567890123?integrated_account_id=${account}`)).status).toBe(404);
    const before = sim.requests.length;
    expect((await t.call('GET', `${CI}/users/not-a-gong-id?integrated_account_id=${account}`)).status).toBe(404);
    expect(sim.requests.length).toBe(before);
    expect((await t.call('GET', `${CI}/users/${first.id}`)).status).toBe(400);
  });
});

describe('Gong Meetings and Transcripts', () => {
  it('lists meetings of a period via /v2/calls/extensive with parties, following the cursor', async () => {
    const before = sim.requests.length;
    const meetings = await listAll(`${CI}/meetings?integrated_account_id=${account}&start_time=2024-05-06&end_time=2024-05-09`, 5);
    expect(meetings.length).toBeGreaterThan(4);
    const sent = sim.requests.slice(before);
    for (const r of sent) {
      expect(r.path).toBe('/v2/calls/extensive');
      expect((r.body as any).filter).toEqual({ fromDateTime: '2024-05-06T00:00:00Z', toDateTime: '2024-05-09T00:00:00Z' });
      expect((r.body as any).contentSelector.exposedFields.parties).toBe(true);
    }
    for (const m of meetings) {
      const started = Date.parse(m.start_time);
      expect(started).toBeGreaterThanOrEqual(Date.parse('2024-05-06T00:00:00Z'));
      expect(started).toBeLessThan(Date.parse('2024-05-09T00:00:00Z'));
      expect(m.duration).toBeGreaterThan(0);
      expect(m.attendees.some((a: any) => a.side === 'internal' && a.user_id)).toBe(true);
      expect(m.attendees.some((a: any) => a.side === 'external' && !a.user_id)).toBe(true);
      expect(m.host_user_id).toMatch(/^\d+$/);
    }
    expect(new Set(meetings.map((m) => m.id)).size).toBe(meetings.length);
  });

  it('gets a meeting and its transcript in seconds, speakers joined to parties', async () => {
    const [m] = (await t.call('GET', `${CI}/meetings?integrated_account_id=${account}&start_time=2024-05-06&end_time=2024-05-07&limit=1`)).body.result;
    const got = await t.call('GET', `${CI}/meetings/${m.id}?integrated_account_id=${account}`);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(m.id);
    const before = sim.requests.length;
    const tr = await t.call('GET', `${CI}/transcripts?integrated_account_id=${account}&meeting_id=${m.id}`);
    expect(tr.status).toBe(200);
    expect(tr.body.result).toHaveLength(1);
    const transcript = tr.body.result[0];
    expect(transcript.meeting.id).toBe(m.id);
    const sentTranscript = sim.requests.slice(before).find((r) => r.path === '/v2/calls/transcript')!;
    expect((sentTranscript.body as any).filter).toEqual({ callIds: [m.id] });
    // Gong's milliseconds become seconds
    const raw = transcript.remote_data.transcript[0].sentences[0];
    const firstOfSpeaker = transcript.entries.find((e: any) => e.text === raw.text);
    expect(firstOfSpeaker.start_time).toBeCloseTo(raw.start / 1000, 6);
    expect(firstOfSpeaker.end_time).toBeCloseTo(raw.end / 1000, 6);
    const speakerIds = new Set(got.body.attendees.map((a: any) => a.speaker_id));
    for (const e of transcript.entries) {
      expect(speakerIds.has(e.speaker_id)).toBe(true);
      expect(e.end_time).toBeGreaterThanOrEqual(e.start_time);
      expect(e.end_time).toBeLessThanOrEqual(m.duration + 1);
      if (e.speaker_side === 'internal') expect(e.user_id).toMatch(/^\d+$/);
    }
  });

  it('404s unknown meetings, 400s a missing meeting_id and bad meeting filters', async () => {
    expect((await t.call('GET', `${CI}/meetings/123456789?integrated_account_id=${account}`)).status).toBe(404);
    // the transcript of a meeting Gong does not know is as missing as the meeting
    expect((await t.call('GET', `${CI}/transcripts?integrated_account_id=${account}&meeting_id=abc`)).status).toBe(404);
    expect((await t.call('GET', `${CI}/transcripts?integrated_account_id=${account}&meeting_id=123456789`)).status).toBe(404);
    const missing = await t.call('GET', `${CI}/transcripts?integrated_account_id=${account}`);
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/meeting_id/);
    const bad = await t.call('GET', `${CI}/meetings?integrated_account_id=${account}&start_time=2024-05-09&end_time=2024-05-06`);
    expect(bad.status).toBe(400);
    expect((await t.call('GET', `${CI}/meetings?integrated_account_id=${account}&start_time=soon`)).status).toBe(400);
  });
});

describe('Gong Interactions, computed from calls and transcripts', () => {
  // Gong's own page size (100) here: small pages would only make this slower at 3 requests/s
  let big: GongSimulator;
  let account: string;
  beforeAll(async () => {
    big = await startGongSimulator({ now: simNow });
    const res = await t.call('POST', '/integrated-accounts', {
      integration: 'gong',
      credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: big.url },
    });
    account = res.body.id;
  });
  afterAll(() => big.close());
  it('computes the five metrics per user per week from the same conversations Gong\'s stats come from', async () => {
    const url = `${CI}/interactions?integrated_account_id=${account}&start_time=2024-05-06&end_time=2024-05-20&aggregation_period=week`;
    const before = big.requests.length;
    const computed = await listAll(`${url}&metrics_source=computed`, 1000);
    const sent = big.requests.slice(before);
    expect(sent.filter((r) => r.path === '/v2/stats/interaction' && !(r.body as any).cursor).length).toBeLessThanOrEqual(1); // zone discovery only
    expect(sent.some((r) => r.path === '/v2/calls/extensive')).toBe(true);
    expect(sent.some((r) => r.path === '/v2/calls/transcript')).toBe(true);
    expect(computed.length).toBeGreaterThan(0);
    for (const r of computed) {
      expect(r.timezone).toBe('US/Pacific');
      expect(r.start_time).toMatch(/^2024-05-(06|13)T00:00:00-07:00$/);
      expect(Object.keys(r.metrics).sort()).toEqual(
        ['interactivity', 'longest_customer_story', 'longest_monologue', 'patience', 'question_rate'].filter((k) => k in r.metrics).sort(),
      );
      expect(r.additional_metrics.find((m: any) => m.name === 'call_count').value).toBeGreaterThan(0);
      expect(r.metrics.interactivity).toBeLessThanOrEqual(10);
    }
    expect(computed.some((r) => Object.keys(r.metrics).length === 5)).toBe(true);

    const native = await listAll(url, 1000);
    const nativeKeys = new Set(native.map((r) => `${r.start_time}|${r.user.id}`));
    const overlap = computed.filter((r) => nativeKeys.has(`${r.start_time}|${r.user.id}`));
    // the same users are active in the same weeks in both sources
    expect(overlap.length).toBeGreaterThanOrEqual(Math.min(computed.length, native.length) * 0.8);
    // ids differ between sources, so a client never mixes them up
    expect(new Set(native.map((r) => r.id)).has(computed[0].id)).toBe(false);
  });

  it('computes in any zone (native cannot), and pages computed records with a cursor', async () => {
    const url = `${CI}/interactions?integrated_account_id=${account}&start_time=2024-05-06&end_time=2024-05-13&aggregation_period=day&metrics_source=computed&timezone=Europe/Berlin`;
    const all = await listAll(url, 1000);
    const paged = await listAll(url, 2);
    expect(paged.map((r) => r.id)).toEqual(all.map((r) => r.id));
    for (const r of all) expect(r.start_time).toMatch(/T00:00:00\+02:00$/);
  });
});

describe('compute route', () => {
  it('answers like the engine and 400s bad calls naming the call and field', async () => {
    const body = {
      start_time: '2024-03-01',
      end_time: '2024-04-01',
      aggregation_period: 'total',
      timezone: 'UTC',
      calls: [
        {
          id: 'c1',
          started_at: '2024-03-04T15:00:00Z',
          duration_s: 60,
          participants: [
            { speaker_id: 'a', side: 'internal', user_id: 'u1' },
            { speaker_id: 'b', side: 'external' },
          ],
          utterances: [
            { speaker_id: 'a', start_s: 0, end_s: 10, text: 'Hello there. How is the rollout going?' },
            { speaker_id: 'b', start_s: 11, end_s: 31, text: 'Slowly.' },
          ],
        },
      ],
    };
    const ok = await t.call('POST', `${CI}/interactions/compute`, body);
    expect(ok.status).toBe(200);
    expect(ok.body.result[0]).toMatchObject({ user: { id: 'u1' }, metrics: { longest_monologue: 10, longest_customer_story: 20, question_rate: 60 } });
    const bad = structuredClone(body) as any;
    bad.calls[0].utterances[1].start_s = 'x';
    const res = await t.call('POST', `${CI}/interactions/compute`, bad);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/calls\[0\] \(id "c1"\): utterances\[1\]\.start_s/);
    for (const broken of [{ ...body, timezone: 'Nowhere/X' }, { ...body, end_time: '2024-02-01' }, { ...body, calls: 'no' }, null, []]) {
      const r = await t.call('POST', `${CI}/interactions/compute`, broken);
      expect(r.status, JSON.stringify(broken)).toBe(400);
    }
  });
});
