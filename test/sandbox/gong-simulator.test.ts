import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGongSimulator, validateGongResponse, type GongSimulator } from '../../sandbox/gong/index.js';

/** The Gong simulator over real HTTP, as a connector sees it. */

const NOW = new Date('2024-06-15T19:00:00Z'); // 12:00 in US/Pacific
const AUTH = `Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}`;

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

async function call(
  sim: GongSimulator,
  method: string,
  path: string,
  body?: unknown,
  options: { authorization?: string | null; signal?: AbortSignal; rawBody?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization === undefined ? AUTH : options.authorization;
  if (authorization !== null) headers.authorization = authorization;
  const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(sim.url + path, { method, headers, body: payload, ...(options.signal ? { signal: options.signal } : {}) });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Follows `records.cursor` to the end; every page must be a 200. */
async function allPages(sim: GongSimulator, method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<any[]> {
  const pages: any[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const answer =
      method === 'GET'
        ? await call(sim, 'GET', cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : path)
        : await call(sim, 'POST', path, cursor ? { ...body, cursor } : body);
    expect(answer.status, answer.text).toBe(200);
    expect(validateGongResponse(method, path.split('?')[0] as string, 200, answer.json).errors).toEqual([]);
    pages.push(answer.json);
    cursor = answer.json.records.cursor;
    if (!cursor) return pages;
  }
  throw new Error('cursor never ended');
}

const MAY = { fromDateTime: '2024-05-01T00:00:00-07:00', toDateTime: '2024-05-08T00:00:00-07:00' };
const FULL_SELECTOR = {
  context: 'Extended',
  exposedFields: {
    parties: true,
    content: { topics: true, trackers: false },
    interaction: { speakers: true, personInteractionStats: true, questions: true, video: true },
    collaboration: { publicComments: true },
    media: true,
  },
};

describe('Gong simulator over HTTP', () => {
  let sim: GongSimulator;
  beforeAll(async () => {
    sim = await startGongSimulator({ now: () => NOW, ratePerSecond: Infinity, pageSize: 5 });
  });
  afterAll(async () => {
    await sim.close();
  });

  describe('auth', () => {
    it('answers 401 with an errors body when credentials are missing or wrong', async () => {
      const missing = await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-05-01', toDate: '2024-05-02' } }, { authorization: null });
      expect(missing.status).toBe(401);
      expect(missing.json).toEqual({ requestId: expect.any(String), errors: [expect.any(String)] });
      expect(validateGongResponse('POST', '/v2/stats/interaction', 401, missing.json).valid).toBe(true);

      const wrong = await call(sim, 'GET', '/v2/users', undefined, { authorization: `Basic ${Buffer.from('sandbox-key:nope').toString('base64')}` });
      expect(wrong.status).toBe(401);
      const bearer = await call(sim, 'GET', '/v2/users', undefined, { authorization: 'Bearer sandbox-secret' });
      expect(bearer.status).toBe(401);
    });

    it('accepts configured credentials only', async () => {
      const other = await startGongSimulator({ accessKey: 'k1', accessKeySecret: 's1', ratePerSecond: Infinity, now: () => NOW });
      try {
        expect((await call(other, 'GET', '/v2/users')).status).toBe(401);
        const ok = await call(other, 'GET', '/v2/users', undefined, { authorization: `Basic ${Buffer.from('k1:s1').toString('base64')}` });
        expect(ok.status).toBe(200);
      } finally {
        await other.close();
      }
    });
  });

  describe('users', () => {
    it('pages through users with a cursor, without duplicates, to the end', async () => {
      const pages = await allPages(sim, 'GET', '/v2/users');
      const ids = pages.flatMap((p) => p.users.map((u: any) => u.id));
      expect(pages.length).toBe(Math.ceil(sim.dataset.users.length / 5));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(sim.dataset.users.map((u) => u.id).sort());
      pages.forEach((page, i) => {
        expect(page.records.currentPageNumber).toBe(i);
        expect(page.records.totalRecords).toBe(ids.length);
        expect(page.records.currentPageSize).toBe(page.users.length);
        expect('cursor' in page.records).toBe(i < pages.length - 1);
      });
    });

    it('lists avatars only with includeAvatars=true', async () => {
      const withAvatars = (await allPages(sim, 'GET', '/v2/users?includeAvatars=true')).flatMap((p) => p.users);
      expect(withAvatars.length).toBe(sim.dataset.users.length + sim.dataset.avatars.length);
    });

    it('has string ids, aliases for some users, a manager for most, and Gong fields', async () => {
      const users = (await allPages(sim, 'GET', '/v2/users')).flatMap((p) => p.users);
      for (const u of users) {
        expect(u.id).toMatch(/^\d{18,19}$/);
        expect(u.emailAddress).toMatch(/@/);
        expect(u.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]:00$/);
        expect(u.settings).toBeTypeOf('object');
        expect(u.spokenLanguages[0]).toEqual({ language: 'en-US', primary: true });
      }
      expect(users.some((u) => u.emailAliases.length > 0)).toBe(true);
      expect(users.some((u) => u.active === false)).toBe(true);
      expect(users.filter((u) => u.managerId).length).toBeGreaterThan(users.length / 2);
    });

    it('serves POST /v2/users/extensive by ids and creation time, 404 when none match', async () => {
      const ids = sim.dataset.users.slice(0, 7).map((u) => u.id);
      const pages = await allPages(sim, 'POST', '/v2/users/extensive', { filter: { userIds: ids } });
      expect(pages.flatMap((p) => p.users.map((u: any) => u.id)).sort()).toEqual([...ids].sort());
      const recent = await call(sim, 'POST', '/v2/users/extensive', { filter: { createdFromDateTime: '2024-01-01T00:00:00Z' } });
      expect(recent.json.users.every((u: any) => Date.parse(u.created) >= Date.parse('2024-01-01T00:00:00Z'))).toBe(true);
      const none = await call(sim, 'POST', '/v2/users/extensive', { filter: { userIds: ['1'] } });
      expect(none.status).toBe(404);
      expect(none.json.errors).toEqual(['No users found corresponding to the provided filters']);
    });

    it('gets one user, and answers 404 "User not found" for an unknown id', async () => {
      const first = sim.dataset.users[0]!;
      const found = await call(sim, 'GET', `/v2/users/${first.id}`);
      expect(found.status).toBe(200);
      expect(found.json.user).toEqual(first);
      expect(validateGongResponse('GET', `/v2/users/${first.id}`, 200, found.json).errors).toEqual([]);
      const missing = await call(sim, 'GET', '/v2/users/1234567890123456789');
      expect(missing.status).toBe(404);
      expect(missing.json).toEqual({ requestId: expect.any(String), errors: ['User not found'] });
    });
  });

  describe('stats/interaction', () => {
    const MAY_STATS = { filter: { fromDate: '2024-05-01', toDate: '2024-06-01' } };

    it('serves per-user means over calls in the window, in the company zone', async () => {
      const pages = await allPages(sim, 'POST', '/v2/stats/interaction', MAY_STATS);
      const people = pages.flatMap((p) => p.peopleInteractionStats);
      expect(pages[0].timeZone).toBe('US/Pacific');
      expect(pages[0].fromDateTime).toBe('2024-05-01T00:00:00-07:00');
      expect(pages[0].toDateTime).toBe('2024-06-01T00:00:00-07:00');
      expect(people).toEqual(sim.dataset.interactionStats({ fromDate: '2024-05-01', toDate: '2024-06-01', asOf: NOW.getTime() }));
      expect(new Set(people.map((p) => p.userId)).size).toBe(people.length);

      const names = new Set(people.flatMap((p) => p.personInteractionStats.map((s: any) => s.name)));
      for (const name of ['Talk Ratio', 'Longest Monologue', 'Longest Customer Story', 'Interactivity', 'Patience', 'Question Rate', 'Filler Words']) {
        expect(names).toContain(name);
      }
      // "Filler Words" is extra, for some users only
      const withFillers = people.filter((p) => p.personInteractionStats.some((s: any) => s.name === 'Filler Words'));
      expect(withFillers.length).toBeGreaterThan(0);
      expect(withFillers.length).toBeLessThan(people.length);

      // mean over that user's calls, computed from the same conversations
      const someone = people[2];
      const from = Date.parse('2024-05-01T00:00:00-07:00');
      const to = Date.parse('2024-06-01T00:00:00-07:00');
      const perCall = sim.dataset
        .callsBetween(from, to)
        .map((c) => sim.dataset.callStats(c).users.get(someone.userId))
        .filter((s) => s !== undefined);
      const mean = perCall.reduce((a, s) => a + s.longestMonologue, 0) / perCall.length;
      expect(someone.personInteractionStats.find((s: any) => s.name === 'Longest Monologue').value).toBe(Math.round(mean));
    });

    it('cuts windows at company-zone midnights, DST included', async () => {
      const answer = await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-03-01', toDate: '2024-04-01' } });
      expect(answer.json.fromDateTime).toBe('2024-03-01T00:00:00-08:00');
      expect(answer.json.toDateTime).toBe('2024-04-01T00:00:00-07:00');
      const berlin = await startGongSimulator({ timeZone: 'Europe/Berlin', now: () => NOW, ratePerSecond: Infinity });
      try {
        const b = await call(berlin, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-10-01', toDate: '2024-11-01' } });
        expect(b.status).toBe(400); // November is after "today" (June 2024)
        const c = await call(berlin, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-03-01', toDate: '2024-04-01' } });
        expect([c.json.timeZone, c.json.fromDateTime, c.json.toDateTime]).toEqual(['Europe/Berlin', '2024-03-01T00:00:00+01:00', '2024-04-01T00:00:00+02:00']);
        const calls = await call(berlin, 'POST', '/v2/calls/extensive', { filter: { fromDateTime: '2024-04-02T00:00:00+02:00', toDateTime: '2024-04-03T00:00:00+02:00' } });
        expect(calls.json.calls.every((x: any) => x.metaData.started.startsWith('2024-04-02T') && x.metaData.started.endsWith('+02:00'))).toBe(true);
      } finally {
        await berlin.close();
      }
    });

    it('filters by userIds', async () => {
      const ids = sim.dataset.users.slice(2, 4).map((u) => u.id);
      const answer = await call(sim, 'POST', '/v2/stats/interaction', { filter: { ...MAY_STATS.filter, userIds: ids } });
      expect(answer.status).toBe(200);
      expect(answer.json.peopleInteractionStats.map((p: any) => p.userId).sort()).toEqual([...ids].sort());
    });

    it('answers 404 "No stats found for the specified period" when nobody had calls', async () => {
      const answer = await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2022-05-01', toDate: '2022-06-01' } });
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ requestId: expect.any(String), errors: ['No stats found for the specified period'] });
      expect(validateGongResponse('POST', '/v2/stats/interaction', 404, answer.json).valid).toBe(true);
    });

    it('answers 400 when toDate is after today (company zone) or not after fromDate', async () => {
      const future = await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-06-01', toDate: '2024-06-16' } });
      expect(future.status).toBe(400);
      expect(future.json.errors[0]).toMatch(/toDate/);
      const today = await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-06-01', toDate: '2024-06-15' } });
      expect(today.status).toBe(200);
      const inverted = await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-05-02', toDate: '2024-05-02' } });
      expect(inverted.status).toBe(400);
      const notADate = await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-13-01', toDate: '2024-05-02' } });
      expect(notADate.status).toBe(400);
    });

    it('rejects a cursor presented with a different filter, and forged cursors', async () => {
      const first = await call(sim, 'POST', '/v2/stats/interaction', MAY_STATS);
      const cursor = first.json.records.cursor as string;
      expect(cursor).toBeTypeOf('string');
      const changed = await call(sim, 'POST', '/v2/stats/interaction', { cursor, filter: { fromDate: '2024-05-01', toDate: '2024-05-31' } });
      expect(changed.status).toBe(400);
      expect(changed.json.errors).toHaveLength(1);
      const forged = await call(sim, 'POST', '/v2/stats/interaction', { ...MAY_STATS, cursor: `${cursor.slice(0, -2)}xx` });
      expect(forged.status).toBe(400);
      const otherRoute = await call(sim, 'POST', '/v2/calls/transcript', { cursor, filter: {} });
      expect(otherRoute.status).toBe(400);
      // the same filter with its keys in another order is the same filter
      const same = await call(sim, 'POST', '/v2/stats/interaction', { cursor, filter: { toDate: '2024-06-01', fromDate: '2024-05-01' } });
      expect(same.status).toBe(200);
      expect(same.json.records.currentPageNumber).toBe(1);
    });
  });

  describe('calls', () => {
    it('serves /v2/calls/extensive with only the requested parts, paged', async () => {
      const bare = await allPages(sim, 'POST', '/v2/calls/extensive', { filter: MAY });
      const calls = bare.flatMap((p) => p.calls);
      expect(calls.length).toBe(sim.dataset.callsBetween(MAY.fromDateTime, MAY.toDateTime).length);
      expect(calls.every((c) => Object.keys(c).join() === 'metaData')).toBe(true);

      const full = await allPages(sim, 'POST', '/v2/calls/extensive', { filter: MAY, contentSelector: FULL_SELECTOR });
      const rich = full.flatMap((p) => p.calls);
      expect(rich.map((c) => c.metaData.id)).toEqual(calls.map((c) => c.metaData.id));
      for (const c of rich) {
        const m = c.metaData;
        expect(m.id).toMatch(/^\d{19}$/);
        expect(m.started).toMatch(/-07:00$/);
        expect(m.duration).toBeGreaterThanOrEqual(600);
        expect(m.duration).toBeLessThanOrEqual(3600);
        const internal = c.parties.filter((p: any) => p.affiliation === 'Internal');
        const attendingOutside = c.parties.filter((p: any) => p.affiliation !== 'Internal' && p.speakerId);
        expect(internal.length).toBeGreaterThanOrEqual(1);
        expect(internal.length).toBeLessThanOrEqual(2);
        expect(internal[0].userId).toBe(m.primaryUserId);
        expect(attendingOutside.length).toBeGreaterThanOrEqual(1);
        expect(attendingOutside.length).toBeLessThanOrEqual(3);
        expect(c.interaction.interactionStats.map((s: any) => s.name)).toEqual(
          expect.arrayContaining(['Talk Ratio', 'Longest Monologue', 'Longest Customer Story', 'Interactivity']),
        );
        expect(c.interaction.questions).toEqual({ companyCount: expect.any(Number), nonCompanyCount: expect.any(Number) });
        const speakerParties = new Set(c.parties.map((p: any) => p.id));
        expect(c.interaction.speakers.every((s: any) => speakerParties.has(s.id))).toBe(true);
        expect(c.content.topics.length).toBeGreaterThan(0);
      }
    });

    it('filters by callIds and primaryUserIds', async () => {
      const some = sim.dataset.callsBetween(MAY.fromDateTime, MAY.toDateTime).slice(0, 3);
      const byIds = await call(sim, 'POST', '/v2/calls/extensive', { filter: { callIds: some.map((c) => c.id) } });
      expect(byIds.status).toBe(200);
      expect(byIds.json.calls.map((c: any) => c.metaData.id)).toEqual(some.map((c) => c.id));

      const host = some[0]!.metaData.primaryUserId;
      const hosted = await allPages(sim, 'POST', '/v2/calls/extensive', { filter: { ...MAY, primaryUserIds: [host] } });
      const hostedCalls = hosted.flatMap((p) => p.calls);
      expect(hostedCalls.length).toBeGreaterThan(0);
      expect(hostedCalls.every((c) => c.metaData.primaryUserId === host)).toBe(true);
    });

    it('answers 404 "No calls found corresponding to the provided filters" for an empty window', async () => {
      for (const path of ['/v2/calls/extensive', '/v2/calls/transcript']) {
        const answer = await call(sim, 'POST', path, { filter: { fromDateTime: '2022-01-01T00:00:00Z', toDateTime: '2022-02-01T00:00:00Z' } });
        expect(answer.status).toBe(404);
        expect(answer.json).toEqual({ requestId: expect.any(String), errors: ['No calls found corresponding to the provided filters'] });
      }
    });

    it('does not serve calls that have not ended by now', async () => {
      const answer = await call(sim, 'POST', '/v2/calls/extensive', { filter: { fromDateTime: '2024-06-15T00:00:00-07:00' } });
      const ended = sim.dataset.callsBetween('2024-06-15T00:00:00-07:00', NOW).filter((c) => c.endedAt <= NOW.getTime());
      if (ended.length === 0) expect(answer.status).toBe(404);
      else expect(answer.json.records.totalRecords).toBe(ended.length);
      const later = sim.dataset.callsBetween(NOW, '2024-06-16T00:00:00-07:00')[0];
      if (later) expect((await call(sim, 'GET', `/v2/calls/${later.id}`)).status).toBe(404);
    });

    it('serves transcripts with sentence times in milliseconds from call start', async () => {
      const pages = await allPages(sim, 'POST', '/v2/calls/transcript', { filter: MAY });
      const transcripts = pages.flatMap((p) => p.callTranscripts);
      expect(transcripts.length).toBe(sim.dataset.callsBetween(MAY.fromDateTime, MAY.toDateTime).length);
      for (const t of transcripts) {
        const c = sim.dataset.call(t.callId)!;
        const speakerIds = new Set(c.parties.map((p) => p.speakerId));
        const sentences = t.transcript.flatMap((m: any) => m.sentences);
        for (const s of sentences) {
          expect(Number.isInteger(s.start) && Number.isInteger(s.end)).toBe(true);
          expect(s.end).toBeGreaterThanOrEqual(s.start);
          expect(s.end).toBeLessThanOrEqual(c.metaData.duration * 1000);
        }
        // milliseconds, not seconds: the last sentence ends in the last part of the call
        expect(Math.max(...sentences.map((s: any) => s.end))).toBeGreaterThan(c.metaData.duration * 1000 * 0.8);
        expect(t.transcript.every((m: any) => speakerIds.has(m.speakerId))).toBe(true);
        for (let i = 1; i < t.transcript.length; i++) expect(t.transcript[i].speakerId).not.toBe(t.transcript[i - 1].speakerId);
      }
      expect(transcripts[0].transcript).toEqual(sim.dataset.transcript(transcripts[0].callId));
    });

    it('serves GET /v2/calls and GET /v2/calls/{id}', async () => {
      const list = await allPages(sim, 'GET', `/v2/calls?fromDateTime=${encodeURIComponent('2024-05-01T00:00:00-07:00')}&toDateTime=${encodeURIComponent('2024-05-02T00:00:00-07:00')}`);
      const calls = list.flatMap((p) => p.calls);
      expect(calls.length).toBeGreaterThan(0);
      const one = await call(sim, 'GET', `/v2/calls/${calls[0].id}`);
      expect(one.status).toBe(200);
      expect(one.json.call).toEqual(calls[0]);
      expect(validateGongResponse('GET', `/v2/calls/${calls[0].id}`, 200, one.json).errors).toEqual([]);
      expect((await call(sim, 'GET', '/v2/calls/9999999999999999999')).json.errors).toEqual(['Call ID was not found']);
    });
  });

  describe('request validation against gong-openapi.json', () => {
    it.each([
      ['a missing body', '/v2/stats/interaction', undefined],
      ['a missing filter', '/v2/stats/interaction', {}],
      ['a missing toDate', '/v2/stats/interaction', { filter: { fromDate: '2024-05-01' } }],
      ['a number for a date', '/v2/stats/interaction', { filter: { fromDate: 20240501, toDate: '2024-05-02' } }],
      ['duplicate userIds', '/v2/stats/interaction', { filter: { fromDate: '2024-05-01', toDate: '2024-05-02', userIds: ['1', '1'] } }],
      ['numeric user ids', '/v2/stats/interaction', { filter: { fromDate: '2024-05-01', toDate: '2024-05-02', userIds: [1] } }],
      ['an unknown context', '/v2/calls/extensive', { filter: {}, contentSelector: { context: 'Everything' } }],
      ['a non-boolean exposed field', '/v2/calls/extensive', { filter: {}, contentSelector: { exposedFields: { parties: 'yes' } } }],
      ['a cursor that is not a string', '/v2/calls/transcript', { filter: {}, cursor: 5 }],
      ['a date without offset', '/v2/calls/transcript', { filter: { fromDateTime: '2024-05-01T00:00:00' } }],
    ])('answers 400 with errors for %s', async (_name, path, body) => {
      const answer = await call(sim, 'POST', path, body);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ requestId: expect.any(String), errors: expect.arrayContaining([expect.any(String)]) });
      expect(validateGongResponse('POST', path, 400, answer.json).valid).toBe(true);
    });

    it('answers 400 for invalid JSON and bad query parameters', async () => {
      const broken = await call(sim, 'POST', '/v2/stats/interaction', undefined, { rawBody: '{"filter":' });
      expect(broken.status).toBe(400);
      expect(broken.json.errors).toHaveLength(1);
      const query = await call(sim, 'GET', '/v2/users?includeAvatars=maybe');
      expect(query.status).toBe(400);
      expect(query.json.errors[0]).toMatch(/includeAvatars/);
    });

    it('still answers 400 (not 500) for garbage when validation is off', async () => {
      const loose = await startGongSimulator({ validate: false, ratePerSecond: Infinity, now: () => NOW });
      try {
        for (const body of [{ filter: 'x' }, { filter: { fromDate: 1, toDate: [] } }, { filter: { fromDate: '2024-05-01', toDate: '2024-05-02', userIds: 'all' } }]) {
          expect((await call(loose, 'POST', '/v2/stats/interaction', body)).status).toBe(400);
        }
        expect((await call(loose, 'POST', '/v2/calls/extensive', { filter: { callIds: [1, 2] } })).status).toBe(400);
        expect((await call(loose, 'POST', '/v2/calls/transcript', { filter: 'x', cursor: {} })).status).toBe(400);
      } finally {
        await loose.close();
      }
    });

    it('answers unknown routes with a Gong 404 body', async () => {
      const unknown = await call(sim, 'GET', '/v2/nothing-here');
      expect(unknown.status).toBe(404);
      expect(unknown.json).toEqual({ requestId: expect.any(String), errors: [expect.any(String)] });
    });
  });

  describe('fault injection', () => {
    it('serves a status fault `times` times to matching requests only, then behaves', async () => {
      sim.faults.push({ method: 'POST', path: '/v2/stats/*', kind: 'status', status: 500, times: 2 });
      expect((await call(sim, 'GET', '/v2/users')).status).toBe(200);
      const first = await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-05-01', toDate: '2024-05-02' } });
      expect(first.status).toBe(500);
      expect(first.json).toEqual({ requestId: expect.any(String), errors: [expect.any(String)] });
      expect(validateGongResponse('POST', '/v2/stats/interaction', 500, first.json).valid).toBe(true);
      expect((await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-05-01', toDate: '2024-05-02' } })).status).toBe(500);
      expect((await call(sim, 'POST', '/v2/stats/interaction', { filter: { fromDate: '2024-05-01', toDate: '2024-05-02' } })).status).toBe(200);
      const recorded = sim.requests.filter((r) => r.fault === 'status');
      expect(recorded.slice(-2).map((r) => r.status)).toEqual([500, 500]);
      expect(recorded.at(-1)!.body).toEqual({ filter: { fromDate: '2024-05-01', toDate: '2024-05-02' } });
    });

    it('serves custom status bodies (e.g. a proxy 503 page)', async () => {
      sim.faults.push({ kind: 'status', status: 503, body: '<html>upstream unavailable</html>', contentType: 'text/html' });
      const answer = await call(sim, 'GET', '/v2/users');
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toMatch(/text\/html/);
      expect(answer.text).toBe('<html>upstream unavailable</html>');
    });

    it('serves 429 with or without Retry-After', async () => {
      sim.faults.push({ kind: 'rate-limit', retryAfterSeconds: 7 }, { kind: 'rate-limit', retryAfterSeconds: null });
      const withHeader = await call(sim, 'GET', '/v2/users');
      expect(withHeader.status).toBe(429);
      expect(withHeader.headers.get('retry-after')).toBe('7');
      expect(validateGongResponse('GET', '/v2/users', 429, withHeader.json).valid).toBe(true);
      const without = await call(sim, 'GET', '/v2/users');
      expect(without.status).toBe(429);
      expect(without.headers.get('retry-after')).toBeNull();
    });

    it('never answers a timeout fault, and answers late with afterMs', async () => {
      sim.faults.push({ path: '/v2/users', kind: 'timeout' });
      await expect(call(sim, 'GET', '/v2/users', undefined, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
      const hung = sim.requests.at(-1)!;
      expect(hung.fault).toBe('timeout');
      expect(hung.status).toBe(0);

      sim.faults.push({ path: '/v2/users', kind: 'timeout', afterMs: 250 });
      const started = performance.now();
      const late = await call(sim, 'GET', '/v2/users');
      expect(late.status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    });

    it('serves malformed bodies: invalid JSON and the wrong shape', async () => {
      sim.faults.push({ kind: 'malformed' }, { kind: 'malformed', variant: 'wrong-shape' });
      const invalid = await call(sim, 'GET', '/v2/users');
      expect(invalid.status).toBe(200);
      expect(invalid.headers.get('content-type')).toMatch(/application\/json/);
      expect(invalid.json).toBeUndefined();
      const wrong = await call(sim, 'GET', '/v2/users');
      expect(wrong.status).toBe(200);
      expect(wrong.json).toBeTypeOf('object');
      expect(validateGongResponse('GET', '/v2/users', 200, wrong.json).valid).toBe(false);
    });

    it('resets the connection', async () => {
      sim.faults.push({ kind: 'reset' });
      await expect(call(sim, 'GET', '/v2/users')).rejects.toThrow();
      expect(sim.requests.at(-1)).toMatchObject({ fault: 'reset', status: 0, path: '/v2/users' });
      expect((await call(sim, 'GET', '/v2/users')).status).toBe(200);
    });

    it('rejects invalid fault specs', () => {
      expect(() => sim.faults.push({ kind: 'explode' })).toThrow(/fault #0/);
      expect(() => sim.faults.push({ kind: 'status' })).toThrow(/status/);
      expect(sim.faults.size).toBe(0);
    });

    it('is controllable over HTTP under /__sandbox, unauthenticated and unrecorded', async () => {
      const before = sim.requests.length;
      const queued = await call(sim, 'POST', '/__sandbox/faults', [{ kind: 'status', status: 502 }, { kind: 'status', status: 504, path: '/v2/users' }], { authorization: null });
      expect(queued.status).toBe(201);
      expect(queued.json.faults).toHaveLength(2);
      expect((await call(sim, 'GET', '/__sandbox/faults', undefined, { authorization: null })).json.faults).toHaveLength(2);
      expect((await call(sim, 'POST', '/__sandbox/faults', { kind: 'nope' }, { authorization: null })).status).toBe(400);
      expect((await call(sim, 'DELETE', '/__sandbox/faults', undefined, { authorization: null })).status).toBe(204);
      expect(sim.faults.size).toBe(0);
      expect(sim.requests.length).toBe(before);

      await call(sim, 'GET', '/v2/users');
      const log = await call(sim, 'GET', `/__sandbox/requests?since=${sim.requests.at(-2)!.seq}`, undefined, { authorization: null });
      expect(log.json.requests).toHaveLength(1);
      expect(log.json.requests[0].headers.authorization).toBe('Basic [redacted]');
      expect(sim.requests.at(-1)!.headers.authorization).toBe(AUTH);
    });
  });

  it('records every request in order with method, path, query, headers, body, time and status', async () => {
    const from = sim.requests.length;
    await call(sim, 'GET', '/v2/users?includeAvatars=false');
    await call(sim, 'POST', '/v2/calls/transcript', { filter: { callIds: ['1'] } });
    const [a, b] = sim.requests.slice(from);
    expect(a).toMatchObject({ method: 'GET', path: '/v2/users', query: { includeAvatars: 'false' }, status: 200 });
    expect(b).toMatchObject({ method: 'POST', path: '/v2/calls/transcript', body: { filter: { callIds: ['1'] } }, status: 404 });
    expect(b!.at).toBeGreaterThan(a!.at);
    expect(b!.seq).toBe(a!.seq + 1);
  });
});

describe('Gong simulator rate limits', () => {
  it('answers the 4th request within a second with 429 and an integer Retry-After', async () => {
    const sim = await startGongSimulator({ now: () => NOW });
    try {
      const statuses: number[] = [];
      let limited: Answer | undefined;
      for (let i = 0; i < 4; i++) {
        const answer = await call(sim, 'GET', '/v2/users');
        statuses.push(answer.status);
        if (answer.status === 429) limited = answer;
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(limited!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(limited!.json).toEqual({ requestId: expect.any(String), errors: [expect.any(String)] });
      expect(validateGongResponse('GET', '/v2/users', 429, limited!.json).valid).toBe(true);
      expect(sim.requests.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    } finally {
      await sim.close();
    }
  });

  it('uses a sliding window, and a daily budget', async () => {
    let clock = 0;
    const sim = await startGongSimulator({ now: () => NOW, rateClock: () => clock, ratePerSecond: 3, perDay: 5 });
    try {
      const at = async (ms: number): Promise<Answer> => {
        clock = ms;
        return call(sim, 'GET', '/v2/users');
      };
      expect((await at(0)).status).toBe(200);
      expect((await at(400)).status).toBe(200);
      expect((await at(800)).status).toBe(200);
      const fourth = await at(900);
      expect(fourth.status).toBe(429);
      expect(fourth.headers.get('retry-after')).toBe('1');
      expect((await at(1001)).status).toBe(200); // the request at 0 left the window
      expect((await at(1300)).status).toBe(429); // 400, 800, 1001 are still inside it
      expect((await at(5000)).status).toBe(200); // 5th of the day
      const daily = await at(10_000);
      expect(daily.status).toBe(429);
      expect(Number(daily.headers.get('retry-after'))).toBe(86_400 - 10);
    } finally {
      await sim.close();
    }
  });
});

describe('Gong simulator shutdown', () => {
  it('closes promptly with requests held by timeout faults', async () => {
    const sim = await startGongSimulator({ ratePerSecond: Infinity, now: () => NOW });
    sim.faults.push({ kind: 'timeout' }, { kind: 'timeout', afterMs: 60_000 });
    const hung = [call(sim, 'GET', '/v2/users').catch((e: unknown) => e), call(sim, 'GET', '/v2/users').catch((e: unknown) => e)];
    while (sim.requests.filter((r) => r.fault === 'timeout').length < 2) await new Promise((r) => setTimeout(r, 10));
    const started = performance.now();
    await sim.close();
    expect(performance.now() - started).toBeLessThan(2000);
    await Promise.all(hung);
  });
});

describe('Gong simulator determinism', () => {
  it('gives identical data for the same seed and different data for another seed', async () => {
    const [a, b, c] = await Promise.all([
      startGongSimulator({ seed: 7, now: () => NOW, ratePerSecond: Infinity }),
      startGongSimulator({ seed: 7, now: () => NOW, ratePerSecond: Infinity }),
      startGongSimulator({ seed: 8, now: () => NOW, ratePerSecond: Infinity }),
    ]);
    try {
      const body = { filter: { fromDateTime: '2024-03-04T00:00:00-08:00', toDateTime: '2024-03-06T00:00:00-08:00' } };
      const strip = (answer: Answer): unknown => ({ ...answer.json, requestId: undefined });
      const [ta, tb, tc] = await Promise.all([a, b, c].map((s) => call(s, 'POST', '/v2/calls/transcript', body)));
      expect(strip(ta!)).toEqual(strip(tb!));
      expect(strip(ta!)).not.toEqual(strip(tc!));
      const [ua, ub, uc] = await Promise.all([a, b, c].map((s) => call(s, 'GET', '/v2/users')));
      expect(strip(ua!)).toEqual(strip(ub!));
      expect(strip(ua!)).not.toEqual(strip(uc!));
      const stats = { filter: { fromDate: '2024-03-01', toDate: '2024-04-01' } };
      const [sa, sb] = await Promise.all([a, b].map((s) => call(s, 'POST', '/v2/stats/interaction', stats)));
      expect(strip(sa!)).toEqual(strip(sb!));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
