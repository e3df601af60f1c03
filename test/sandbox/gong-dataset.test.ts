import { describe, expect, it } from 'vitest';
import { GongDataset } from '../../sandbox/gong/dataset.js';
import type { Utterance } from '../../sandbox/gong/conversation.js';
import { computeNativeCallStats, userInteractionStats } from '../../sandbox/gong/native-stats.js';

/** The synthetic Gong tenant and the simulator's native stats, without HTTP. */

const dataset = (seed = 42, userCount = 12): GongDataset => new GongDataset({ seed, timeZone: 'US/Pacific', userCount });
const MAY_FROM = '2024-05-01T00:00:00-07:00';
const MAY_TO = '2024-06-01T00:00:00-07:00';

describe('GongDataset', () => {
  it('is deterministic per (seed, day), whatever order days are generated in', () => {
    const a = dataset();
    const b = dataset();
    const aDay = a.callsOnDay('2024-05-14');
    b.callsBetween('2024-05-20T00:00:00Z', '2024-05-25T00:00:00Z'); // other days first
    const bDay = b.callsBetween('2024-05-14T00:00:00-07:00', '2024-05-15T00:00:00-07:00');
    expect(bDay.map((c) => c.metaData)).toEqual(aDay.map((c) => c.metaData));
    expect(b.utterances(bDay[0]!)).toEqual(a.utterances(aDay[0]!));
    expect(b.users).toEqual(a.users);

    const other = dataset(43);
    expect(other.users.map((u) => u.id)).not.toEqual(a.users.map((u) => u.id));
    expect(other.callsOnDay('2024-05-14').map((c) => c.id)).not.toEqual(aDay.map((c) => c.id));
  });

  it('generates a month for 12 users, transcripts included, well under a second', () => {
    const month = (seed: number): { calls: number; ms: number } => {
      const d = dataset(seed);
      const started = performance.now();
      const calls = d.callsBetween(MAY_FROM, MAY_TO);
      for (const call of calls) d.utterances(call);
      return { calls: calls.length, ms: performance.now() - started };
    };
    month(1); // warm up the JIT and Intl
    // the better of two runs, so a busy machine (parallel test files) does not fail this
    const runs = [month(2), month(3)];
    expect(Math.min(...runs.map((r) => r.calls))).toBeGreaterThan(250);
    // typically ~300 ms on a laptop; the bound leaves room for slow CI machines
    expect(Math.min(...runs.map((r) => r.ms))).toBeLessThan(1500);
  });

  it('serves any date range, with nothing before history starts', () => {
    const d = dataset();
    // date-only and offset-less strings are company-zone local times
    expect(d.callsBetween('2024-05-14', '2024-05-15')).toEqual(d.callsOnDay('2024-05-14'));
    expect(d.callsBetween('2024-05-14T00:00', '2024-05-15T00:00:00-07:00')).toEqual(d.callsOnDay('2024-05-14'));
    expect(d.callsBetween('2022-01-01T00:00:00Z', '2022-12-31T00:00:00Z')).toEqual([]);
    expect(d.callsOnDay('2031-03-12').length).toBeGreaterThan(0); // the future is stable too
    expect(d.callsOnDay('2031-03-12').map((c) => c.id)).toEqual(dataset().callsOnDay('2031-03-12').map((c) => c.id));
  });

  it('prints call times with the offset of their own day, across DST changes and zones', () => {
    for (const timeZone of ['US/Pacific', 'Europe/Berlin', 'Australia/Sydney', 'Asia/Kolkata', 'UTC']) {
      const d = new GongDataset({ seed: 5, timeZone, userCount: 12 });
      for (const [from, to] of [['2024-03-08', '2024-03-13'], ['2024-03-29', '2024-04-09'], ['2024-10-25', '2024-11-06']] as const) {
        for (const call of d.callsBetween(from, to)) {
          expect(call.metaData.started).toBe(d.formatInstant(call.startedAt));
          expect(d.localDate(call.startedAt)).toBe(call.localDate);
          expect(Date.parse(call.metaData.started)).toBe(Math.floor(call.startedAt / 1000) * 1000);
        }
      }
      if (timeZone === 'UTC') expect(d.formatInstant(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00Z');
    }
  });

  it('has more calls on weekdays than on weekends', () => {
    const d = dataset();
    const counts = { weekday: [0, 0], weekend: [0, 0] };
    for (let day = 1; day <= 91; day++) {
      const date = new Date(Date.UTC(2024, 3, day)).toISOString().slice(0, 10);
      const weekend = [0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay());
      const bucket = weekend ? counts.weekend : counts.weekday;
      bucket[0]! += d.callsOnDay(date).length;
      bucket[1]! += 1;
    }
    const weekdayMean = counts.weekday[0]! / counts.weekday[1]!;
    const weekendMean = counts.weekend[0]! / counts.weekend[1]!;
    expect(weekdayMean).toBeGreaterThan(10);
    expect(weekendMean).toBeLessThan(weekdayMean / 5);
  });

  it('builds calls like Gong: ids, host, 1–2 internal and 1–3 external participants, 10–60 minutes', () => {
    const d = dataset();
    const calls = d.callsBetween(MAY_FROM, MAY_TO);
    const ids = new Set<string>();
    for (const call of calls) {
      const m = call.metaData;
      expect(m.id).toMatch(/^\d{19}$/);
      ids.add(m.id);
      expect(d.call(m.id)).toBe(call);
      expect(m.duration).toBeGreaterThanOrEqual(600);
      expect(m.duration).toBeLessThanOrEqual(3600);
      expect(m.started).toBe(d.formatInstant(call.startedAt));
      expect(call.endedAt - call.startedAt).toBe(m.duration * 1000);
      const internal = call.parties.filter((p) => p.affiliation === 'Internal');
      const outside = call.parties.filter((p) => p.affiliation !== 'Internal' && p.speakerId);
      expect(internal.length).toBeGreaterThanOrEqual(1);
      expect(internal.length).toBeLessThanOrEqual(2);
      expect(internal[0]!.userId).toBe(m.primaryUserId);
      expect(call.internalUserIds).toEqual(internal.map((p) => p.userId));
      expect(outside.length).toBeGreaterThanOrEqual(1);
      expect(outside.length).toBeLessThanOrEqual(3);
      for (const p of call.parties) if (p.speakerId) expect(p.speakerId).toMatch(/^\d{19}$/);
    }
    expect(ids.size).toBe(calls.length);
    const parties = calls.flatMap((c) => c.parties);
    expect(parties.some((p) => p.affiliation === 'Unknown')).toBe(true);
    expect(parties.some((p) => !p.speakerId && p.methods.join() === 'Invitee')).toBe(true);
    expect(calls.some((c) => c.metaData.media === 'Audio' && c.metaData.direction === 'Outbound')).toBe(true);
    expect(d.call('0000000000000000000')).toBeUndefined();
    expect(d.call('not-an-id')).toBeUndefined();
  });

  it('writes transcripts with backchannels, overlaps, long pauses and questions', () => {
    const d = dataset();
    const calls = d.callsBetween(MAY_FROM, '2024-05-08T00:00:00-07:00');
    let backchannels = 0;
    let overlaps = 0;
    let longPauses = 0;
    let questions = 0;
    let doubleQuestions = 0;
    for (const call of calls) {
      const utterances = d.utterances(call);
      const durationMs = call.metaData.duration * 1000;
      let speechEnd = 0;
      const badTimes = utterances.filter((u) => !Number.isInteger(u.start) || !Number.isInteger(u.end) || u.start < 0 || u.end <= u.start || u.end > durationMs);
      expect(badTimes).toEqual([]);
      for (let i = 0; i < utterances.length; i++) {
        const u = utterances[i]!;
        if (u.end - u.start < 1000) backchannels++;
        const prev = utterances[i - 1];
        if (prev && prev.speakerId !== u.speakerId && u.start < prev.end) overlaps++;
        if (i > 0 && u.start - speechEnd > 2500) longPauses++;
        speechEnd = Math.max(speechEnd, u.end);
        if (u.text.includes('?')) questions++;
        if ((u.text.match(/\?/g) ?? []).length > 1) doubleQuestions++;
      }
      // Gong's grouping: a new monologue whenever the speaker changes
      const transcript = d.transcript(call);
      for (let i = 1; i < transcript.length; i++) expect(transcript[i]!.speakerId).not.toBe(transcript[i - 1]!.speakerId);
      expect(transcript.flatMap((m) => m.sentences)).toHaveLength(utterances.length);
      // everyone who attended speaks
      const speaking = new Set(utterances.map((u) => u.speakerId));
      for (const p of call.parties) if (p.speakerId) expect(speaking.has(p.speakerId)).toBe(true);
    }
    expect(backchannels).toBeGreaterThan(calls.length);
    expect(overlaps).toBeGreaterThan(calls.length);
    expect(longPauses).toBeGreaterThan(calls.length);
    expect(questions).toBeGreaterThan(calls.length * 5);
    expect(doubleQuestions).toBeGreaterThan(0);
  });

  it('has users with aliases, a departed user, a late joiner and weeks without calls', () => {
    const d = dataset();
    expect(d.users).toHaveLength(13);
    expect(d.users.filter((u) => !u.active)).toHaveLength(1);
    expect(d.users.some((u) => u.emailAliases.length > 0)).toBe(true);
    expect(new Set(d.users.map((u) => u.id)).size).toBe(13);
    for (const u of d.users) expect(u.id).toMatch(/^\d{18,19}$/);

    const departed = d.users.find((u) => !u.active)!;
    const lateJoiner = d.users[11]!;
    const joined = Date.parse(lateJoiner.created);
    const hosts = (from: string, to: string): Set<string> => new Set(d.callsBetween(from, to).flatMap((c) => c.internalUserIds));
    expect(hosts('2023-03-01T00:00:00Z', '2023-04-01T00:00:00Z').has(departed.id)).toBe(true);
    expect(hosts('2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z').has(departed.id)).toBe(false);
    expect(d.callsBetween('2023-01-01T00:00:00Z', joined).some((c) => c.internalUserIds.includes(lateJoiner.id))).toBe(false);
    expect(d.callsBetween(joined, '2024-06-01T00:00:00Z').some((c) => c.internalUserIds.includes(lateJoiner.id))).toBe(true);

    // an active, call-taking user has at least one silent week in a quarter (vacation)
    let silentWeeks = 0;
    for (let week = 0; week < 13; week++) {
      const from = Date.parse('2024-04-01T00:00:00-07:00') + week * 7 * 86_400_000;
      const seen = hosts(new Date(from).toISOString(), new Date(from + 7 * 86_400_000).toISOString());
      silentWeeks += d.users.filter((u) => u.active && u.id !== lateJoiner.id && !seen.has(u.id)).length;
    }
    expect(silentWeeks).toBeGreaterThan(0);
  });

  it('reports stats like Gong: per-user means, Patience omitted when undefined, Filler Words for some', () => {
    const d = dataset();
    let withoutPatience = 0;
    const fillerUsers = new Set<string>();
    for (let day = 1; day <= 30; day++) {
      const fromDate = `2024-04-${String(day).padStart(2, '0')}`;
      const toDate = day === 30 ? '2024-05-01' : `2024-04-${String(day + 1).padStart(2, '0')}`;
      for (const person of d.interactionStats({ fromDate, toDate })) {
        const names = person.personInteractionStats.map((s) => s.name);
        if (!names.includes('Patience')) withoutPatience++;
        if (names.includes('Filler Words')) fillerUsers.add(person.userId);
        expect(names).toEqual(expect.arrayContaining(['Talk Ratio', 'Longest Monologue', 'Longest Customer Story', 'Interactivity', 'Question Rate']));
        const monologue = person.personInteractionStats.find((s) => s.name === 'Longest Monologue')!;
        expect(Number.isInteger(monologue.value)).toBe(true);
        const interactivity = person.personInteractionStats.find((s) => s.name === 'Interactivity')!;
        expect(interactivity.value).toBeGreaterThanOrEqual(0);
        expect(interactivity.value).toBeLessThanOrEqual(10);
      }
    }
    expect(withoutPatience).toBeGreaterThan(0);
    expect(fillerUsers.size).toBeGreaterThan(0);
    expect(fillerUsers.size).toBeLessThan(d.users.length);
    for (const id of fillerUsers) expect(d.reportsFillerWords(id)).toBe(true);
  });

  it('converts a call to the METRICS.md input shape', () => {
    const d = dataset();
    const call = d.callsOnDay('2024-05-14')[0]!;
    const input = d.metricsInput(call);
    expect(input.id).toBe(call.id);
    expect(Date.parse(input.started_at)).toBe(call.startedAt);
    expect(input.duration_s).toBe(call.metaData.duration);
    expect(input.participants.filter((p) => p.side === 'internal').map((p) => p.user_id)).toEqual(call.internalUserIds);
    expect(input.utterances[0]!.start_s).toBe(d.utterances(call)[0]!.start / 1000);
  });
});

describe('native (Gong-like) stats', () => {
  const speakers = [
    { speakerId: 'rep', company: true, userId: 'u1' },
    { speakerId: 'se', company: true, userId: 'u2' },
    { speakerId: 'buyer', company: false },
  ];
  const u = (speakerId: string, start: number, end: number, text = 'Words.'): Utterance => ({ speakerId, start: start * 1000, end: end * 1000, text });

  it('keeps a monologue going across backchannels and short pauses, and ends it at real turns or long silence', () => {
    const stats = computeNativeCallStats(
      [
        u('rep', 0, 20),
        u('buyer', 10, 10.5, 'Mm-hm.'), // backchannel: ignored
        u('rep', 23, 40), // 3 s pause: same monologue (0–40)
        u('buyer', 41, 43), // 2 s: a real turn
        u('rep', 44, 50),
        u('rep', 55, 60), // 5 s pause: a new monologue
      ],
      speakers,
      60,
    );
    expect(stats.users.get('u1')!.longestMonologue).toBe(40);
    expect(stats.users.get('u1')!.longestCustomerStory).toBe(2);
  });

  it('derives talk ratio, interactivity, patience and question rate', () => {
    const stats = computeNativeCallStats(
      [
        u('rep', 0, 10, 'Hello. How are you?'),
        u('buyer', 12, 30, 'Fine. What? Why?'),
        u('rep', 31, 40, 'Great.'),
        u('buyer', 40.2, 40.8, 'Ok.'),
        u('buyer', 45, 50, 'Really?!'),
        u('se', 53, 60, 'Questions?'),
      ],
      speakers,
      120,
    );
    const rep = stats.users.get('u1')!;
    const se = stats.users.get('u2')!;
    // talk: rep 19, buyer 23.6, se 7
    expect(rep.talkRatio).toBeCloseTo(19 / 49.6, 6);
    // substantive sides: C X C X C → 4 switches in 2 minutes → r = 2 → 10·2/(2+2) = 5
    expect(rep.interactivity).toBeCloseTo(5, 6);
    expect(se.interactivity).toBe(rep.interactivity);
    expect(rep.patience).toBeCloseTo(1, 6); // 30 → 31
    expect(se.patience).toBeCloseTo(3, 6); // 50 → 53
    // one sentence, one question, however many question marks
    expect(rep.questions).toBe(1);
    expect(rep.questionRate).toBeCloseTo(30, 6);
    expect(stats.questions).toEqual({ companyCount: 2, nonCompanyCount: 2 });
  });

  it('leaves patience undefined for a user who never answers a customer, and averages per call', () => {
    const stats = computeNativeCallStats([u('rep', 0, 10), u('buyer', 11, 20), u('rep', 21, 30)], [...speakers, { speakerId: 'quiet', company: true, userId: 'u3' }], 60);
    expect(stats.users.has('u3')).toBe(false); // never spoke
    const calls = [stats.users.get('u1')!, { ...stats.users.get('u1')!, patience: undefined, longestMonologue: 21 }];
    const summary = userInteractionStats(calls, false);
    expect(summary.find((s) => s.name === 'Patience')!.value).toBe(1);
    expect(summary.find((s) => s.name === 'Longest Monologue')!.value).toBe(Math.round((10 + 21) / 2));
    expect(summary.some((s) => s.name === 'Filler Words')).toBe(false);
    expect(userInteractionStats([{ ...calls[1]! }], true).map((s) => s.name)).not.toContain('Patience');
  });
});
