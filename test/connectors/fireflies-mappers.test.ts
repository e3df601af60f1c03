import { describe, expect, it } from 'vitest';
import { mapFfMeeting, mapFfTranscript, mapFfUserAnalytics, hasActivity } from '../../src/connectors/fireflies/mappers.js';
import { companyDirectory, nameKey, resolveParties } from '../../src/connectors/fireflies/participants.js';
import { classify } from '../../src/connectors/fireflies/graphql.js';
import { FfTranscript, FfUserAnalytics } from '../../src/connectors/fireflies/schemas.js';
import { firefliesProvider, firefliesRateLimit } from '../../src/connectors/fireflies/provider.js';

/** Pure Fireflies → unified mapping, with plain inputs. */

const users = [
  { user_id: 'U1', email: 'maya.chen@acme.example', name: 'Maya Chen' },
  { user_id: 'U2', email: 'Kofi.Mensah@acme.example', name: 'Kofi Mensah' },
  { user_id: 'U3', email: 'solo@gmail.com', name: 'Solo Founder' },
];
const dir = companyDirectory(users);

const transcript = FfTranscript.parse({
  id: '01HXTEST',
  title: 'Acme / Globex discovery',
  date: 1_715_007_600_000, // 2024-05-06T15:00:00Z
  duration: 31.4, // minutes
  organizer_email: 'maya.chen@acme.example',
  // Fireflies sometimes packs every address into one string
  participants: ['maya.chen@acme.example,bob.buyer@globex.example; vera.varga@acme.example'],
  meeting_attendees: [{ displayName: 'Bob Buyer', email: 'bob.buyer@globex.example', name: null }],
  user: { user_id: 'U1', email: 'maya.chen@acme.example', name: 'Maya Chen' },
  speakers: [
    { id: 0, name: 'Maya Chen' },
    { id: 1, name: 'Bob Buyer' },
    { id: 2, name: 'Vera Varga' },
    { id: 3, name: '+1 415-555-0100' },
    { id: 4, name: 'kofi mensah' },
  ],
  sentences: [
    { index: 0, speaker_id: '0', speaker_name: 'Maya Chen', text: 'Thanks for joining. How are you?', start_time: 1.92, end_time: 3.4 },
    { index: 1, speaker_id: '1', speaker_name: 'Bob Buyer', text: 'Good, thanks.', start_time: '3.9', end_time: '5.1' },
    { index: 2, speaker_id: '2', speaker_name: 'Vera Varga', text: 'Hi all.', start_time: 5.5, end_time: 6.5 },
    { index: 3, speaker_id: '3', speaker_name: '+1 415-555-0100', text: 'Hello?', start_time: 7, end_time: 8 },
    { index: 4, speaker_id: '4', speaker_name: 'kofi mensah', text: 'Joining late.', start_time: 9, end_time: 10 },
    { index: 5, speaker_id: '1', speaker_name: 'Bob Buyer', text: 'garbled', start_time: 'n/a', end_time: 11 },
  ],
});

describe('Fireflies participants', () => {
  it('derives company domains from users, ignoring public mailbox providers', () => {
    expect([...dir.domains]).toEqual(['acme.example']);
    expect(nameKey('Maya Chen')).toBe(nameKey('maya.chen'));
    expect(nameKey('José Núñez')).toBe('josenunez');
  });

  it('resolves speakers to users by name and invitee, sides by user email then company domain', () => {
    const parties = resolveParties(transcript, dir);
    expect(Object.fromEntries([...parties.speakers].map(([id, s]) => [id, { side: s.side, userId: s.userId }]))).toEqual({
      '0': { side: 'internal', userId: 'U1' }, // invitee and user
      '1': { side: 'external', userId: undefined }, // customer domain
      '2': { side: 'internal', userId: undefined }, // company domain, no Fireflies seat
      '3': { side: 'external', userId: undefined }, // dial-in, named by phone number
      '4': { side: 'internal', userId: 'U2' }, // not invited, but a company user by name
    });
    expect(parties.hostUserId).toBe('U1');
  });
});

describe('Fireflies meeting mapping', () => {
  it('converts epoch ms and minutes, lists every invitee once with side, user and speaker id', () => {
    const m = mapFfMeeting(transcript, dir);
    expect(m).toMatchObject({
      id: '01HXTEST',
      title: 'Acme / Globex discovery',
      start_time: '2024-05-06T15:00:00Z',
      duration: 1884,
      end_time: '2024-05-06T15:31:24Z',
      host_user_id: 'U1',
    });
    expect(m.attendees).toEqual([
      { name: 'Maya Chen', email: 'maya.chen@acme.example', side: 'internal', user_id: 'U1', is_host: true, speaker_id: '0' },
      { name: 'Bob Buyer', email: 'bob.buyer@globex.example', side: 'external', is_host: false, speaker_id: '1' },
      { name: 'Vera Varga', email: 'vera.varga@acme.example', side: 'internal', is_host: false, speaker_id: '2' },
      { name: '+1 415-555-0100', side: 'external', speaker_id: '3' },
      { name: 'Kofi Mensah', email: 'kofi.mensah@acme.example', side: 'internal', user_id: 'U2', is_host: false, speaker_id: '4' },
    ]);
    expect((m.remote_data as Record<string, unknown>).sentences).toBeUndefined();
  });

  it('falls back to dateString and omits an unknown duration', () => {
    const t = FfTranscript.parse({ id: 7, dateString: '2024-05-06T15:00:00.000Z', duration: null });
    const m = mapFfMeeting(t, dir);
    expect(m.id).toBe('7');
    expect(m.start_time).toBe('2024-05-06T15:00:00Z');
    expect(m.duration).toBeUndefined();
    expect(m.end_time).toBeUndefined();
    expect(FfTranscript.safeParse({ id: 'x' }).success).toBe(false);
    expect(FfTranscript.safeParse({ id: 'x', date: 'yesterday', dateString: 'not a date' }).success).toBe(false);
    expect(mapFfMeeting(FfTranscript.parse({ id: 'x', date: '1715007600000' }), dir).start_time).toBe('2024-05-06T15:00:00Z');
  });
});

describe('Fireflies transcript mapping', () => {
  it('keeps seconds, reads numeric strings, drops unplaceable sentences, sets side and user per entry', () => {
    const tr = mapFfTranscript(transcript, dir)!;
    expect(tr.meeting).toEqual({ id: '01HXTEST' });
    expect(tr.entries.map((e) => [e.speaker_id, e.speaker_side, e.user_id, e.start_time, e.end_time])).toEqual([
      ['0', 'internal', 'U1', 1.92, 3.4],
      ['1', 'external', undefined, 3.9, 5.1],
      ['2', 'internal', undefined, 5.5, 6.5],
      ['3', 'external', undefined, 7, 8],
      ['4', 'internal', 'U2', 9, 10],
    ]);
    expect(tr.entries[0]).toMatchObject({ speaker_name: 'Maya Chen', text: 'Thanks for joining. How are you?' });
  });

  it('has no transcript while a meeting has no sentences', () => {
    expect(mapFfTranscript(FfTranscript.parse({ id: 'x', date: 0, sentences: [] }), dir)).toBeUndefined();
    expect(mapFfTranscript(FfTranscript.parse({ id: 'x', date: 0, sentences: null }), dir)).toBeUndefined();
  });

  it('keys speakers without an id by name', () => {
    const t = FfTranscript.parse({
      id: 'y',
      date: 0,
      sentences: [{ speaker_id: null, speaker_name: 'Maya Chen', text: 'Hi', start_time: 0, end_time: 1 }],
    });
    expect(mapFfTranscript(t, dir)!.entries[0]).toMatchObject({ speaker_id: 'name:mayachen', speaker_side: 'internal', user_id: 'U1' });
  });
});

describe('Fireflies analytics mapping', () => {
  const row = FfUserAnalytics.parse({
    user_id: 'U1',
    user_name: 'Maya Chen',
    user_email: 'maya.chen@acme.example',
    conversation: { user_longest_monologue_sec: 74.2, user_questions: 12, talk_listen_ratio: 0.8, user_speak_duration: null, future_metric: 3 },
    meeting: { count: 4, duration: 120.5 },
  });
  it('maps only longest monologue to a standard metric; everything else keeps its Fireflies name', () => {
    const d = mapFfUserAnalytics(row);
    expect(d.user).toEqual({ id: 'U1', name: 'Maya Chen', emails: [{ email: 'maya.chen@acme.example', is_primary: true }] });
    expect(d.metrics).toEqual({ longest_monologue: 74.2 });
    expect(d.additional_metrics).toEqual([
      { name: 'user_questions', value: 12 },
      { name: 'talk_listen_ratio', value: 0.8 },
      { name: 'future_metric', value: 3 },
      { name: 'meeting.count', value: 4 },
      { name: 'meeting.duration', value: 120.5 },
    ]);
    // the service stamps the bucket, zone and period; the draft carries none of them
    expect(Object.keys(d).sort()).toEqual(['additional_metrics', 'metrics', 'remote_data', 'user']);
  });

  it('leaves out team members without a meeting in the window', () => {
    expect(hasActivity(row)).toBe(true);
    expect(hasActivity(FfUserAnalytics.parse({ user_id: 'U2', meeting: { count: 0 } }))).toBe(false);
    expect(hasActivity(FfUserAnalytics.parse({ user_id: 'U2' }))).toBe(true);
  });
});

describe('Fireflies errors and provider data', () => {
  it('turns GraphQL error codes into HTTP statuses', () => {
    expect(classify([{ message: 'bad', code: 'invalid_arguments', extensions: { code: 'invalid_arguments', status: 400 } }], 200).status).toBe(400);
    expect(classify([{ message: 'no key', code: 'auth_failed' }], 200).status).toBe(401);
    expect(classify([{ message: 'nope', code: 'require_elevated_privilege' }], 200).status).toBe(403);
    expect(classify([{ message: 'gone', extensions: { code: 'object_not_found' } }], 200).status).toBe(404);
    expect(classify([{ message: 'boom', code: 'internal' }], 200).status).toBe(502);
    expect(classify([{ message: 'boom', extensions: { status: 500 } }], 200).status).toBe(502);
    const limited = classify(
      [{ message: 'x', code: 'invalid_arguments' }, { message: 'slow down', code: 'too_many_requests', extensions: { metadata: { retryAfter: 123 } } }],
      200,
    );
    expect(limited).toMatchObject({ status: 429, retryAtMs: 123 });
  });

  it('paces per account: the Business plan by default, the configured plan otherwise', () => {
    expect(firefliesRateLimit({ api_key: 'k' })).toEqual({ perSecond: 1, windows: [{ limit: 60, windowMs: 60_000 }] });
    expect(firefliesRateLimit({ api_key: 'k', rate_limit_per_minute: 30, rate_limit_per_day: 50 })).toEqual({
      perSecond: 0.5,
      windows: [
        { limit: 30, windowMs: 60_000 },
        { limit: 50, windowMs: 86_400_000 },
      ],
    });
    expect(firefliesProvider.baseUrl({ api_key: 'k' })).toBe('https://api.fireflies.ai');
    expect(firefliesProvider.baseUrl({ api_key: 'k', base_url: 'https://api.fireflies.ai/graphql/' })).toBe('https://api.fireflies.ai');
    expect(firefliesProvider.authHeaders({ api_key: 'k' })).toEqual({ authorization: 'Bearer k' });
    expect(firefliesProvider.credentials.safeParse({ api_key: 'k', page_size: 51 }).success).toBe(false);
  });
});
