import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAvomaSimulator } from '../../sandbox/avoma/index.js';
import { startChorusSimulator } from '../../sandbox/chorus/index.js';
import { startClariCopilotSimulator } from '../../sandbox/clari_copilot/index.js';
import { startFirefliesSimulator } from '../../sandbox/fireflies/index.js';
import type { GongDataset, RecordedRequest, SimulatedCall } from '../../sandbox/gong/index.js';
import { storeInstant } from '../../src/store/synced-store.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * What a sync meets with every vendor but Gong (whose version is in store.test.ts): a meeting the
 * vendor lists before its transcript is ready, and a meeting renamed after the first sync. One
 * calendar, `now`, is read by Parley and by the simulator; a first run at T0 stores the meeting
 * without its transcript, a second, incremental run hours later stores the transcript, the call's
 * metrics and the rename, and the store then answers what the vendor answers.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** the second run comes this long after the first */
const GAP = 5 * HOUR;
const SYNC = { backfill_days: 4, lookback_days: 2 };
const CI = '/unified/conversational-intelligence';
/** Monday 2025-06-09, 14:00 in New York (the simulated teams' working zone): T0 is searched from here */
const SEARCH_FROM = Date.parse('2025-06-09T18:00:00Z');

interface LateVendor {
  integration: string;
  credentials: Record<string, unknown>;
  requests: RecordedRequest[];
  /** the synthetic world behind the vendor's records */
  world: GongDataset;
  /** the vendor's meeting id of a world call it has transcribed by `at` and whose host is one of its users; else undefined */
  meetingId(call: SimulatedCall, at: number): string | undefined;
  close(): Promise<void>;
}

const LATE_VENDORS = ['fireflies', 'clari_copilot', 'chorus', 'avoma'] as const;

async function startLateVendor(name: (typeof LATE_VENDORS)[number], nowMs: () => number): Promise<LateVendor> {
  const now = () => new Date(nowMs());
  switch (name) {
    case 'fireflies': {
      const sim = await startFirefliesSimulator({ now, requestsPerMinute: 6000 });
      const d = sim.dataset;
      return {
        integration: 'fireflies',
        credentials: { api_key: sim.apiKey, base_url: sim.url, rate_limit_per_minute: 6000 },
        requests: sim.requests,
        world: d.gong,
        meetingId: (c, at) => (d.recorder(c) && d.userOfGongId(c.metaData.primaryUserId) && d.isTranscribed(c, at) ? d.transcriptId(c) : undefined),
        close: () => sim.close(),
      };
    }
    case 'clari_copilot': {
      const sim = await startClariCopilotSimulator({ now, userCount: 8, ratePerSecond: Infinity });
      const d = sim.dataset;
      const seated = new Set(d.users.map((u) => u.id));
      return {
        integration: 'clari_copilot',
        credentials: { api_key: 'sandbox-key', api_password: 'sandbox-password', base_url: sim.url, rate_limit_per_second: 100 },
        requests: sim.requests,
        world: d.world,
        meetingId: (c, at) => {
          const call = d.call(BigInt(c.id).toString(16));
          return call && !call.isPrivate && seated.has(d.userId(c.metaData.primaryUserId)) && d.isProcessed(call, at) ? call.id : undefined;
        },
        close: () => sim.close(),
      };
    }
    case 'chorus': {
      const sim = await startChorusSimulator({ now: nowMs, rateLimit: null });
      const d = sim.dataset;
      return {
        integration: 'chorus',
        credentials: { api_token: sim.token, base_url: sim.url, rate_limit_per_minute: 6000 },
        requests: sim.requests,
        world: d.source,
        meetingId: (c, at) => (d.state(c, at) === 'done' ? d.engagementId(c) : undefined),
        close: () => sim.close(),
      };
    }
    case 'avoma': {
      const sim = await startAvomaSimulator({ now, rateLimit: Infinity });
      const d = sim.dataset;
      return {
        integration: 'avoma',
        credentials: { api_key: sim.apiKey, base_url: sim.url, rate_limit_per_minute: 6000 },
        requests: sim.requests,
        world: d.world,
        meetingId: (c, at) => (d.transcriptReady(c, at) ? d.meetingUuid(c) : undefined),
        close: () => sim.close(),
      };
    }
  }
}

/**
 * The first instant (hour by hour from SEARCH_FROM) at which the vendor has both cases: a call over
 * before T0 whose transcript comes between T0 and T0 + GAP, and a call renamed in that interval,
 * both inside the second run's look-back. Searched rather than pinned, so that the test keeps its
 * cases if the synthetic world's generator changes.
 */
function findInstant(v: LateVendor): { t0: number; late: SimulatedCall; edited: SimulatedCall } {
  for (let t0 = SEARCH_FROM; t0 < SEARCH_FROM + 14 * DAY; t0 += HOUR) {
    const later = t0 + GAP;
    const recent = v.world.callsBetween(later - SYNC.lookback_days * DAY + HOUR, t0).filter((c) => c.endedAt < t0 && v.meetingId(c, later));
    const late = recent.find((c) => c.transcriptReadyAt > t0 && c.transcriptReadyAt <= later);
    const edited = recent.find((c) => c !== late && c.edit && c.edit.at > t0 && c.edit.at <= later);
    if (late && edited) return { t0, late, edited };
  }
  throw new Error('the simulated world has no late transcript together with a rename in two weeks');
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const nextDay = (day: string) => dayOf(Date.parse(day) + DAY);
const callCount = (r: any): number => r?.additional_metrics.find((m: any) => m.name === 'call_count')?.value ?? 0;

for (const name of LATE_VENDORS) {
  describe(`${name}: a late transcript and a renamed meeting reach the store with the next run`, () => {
    let now = 0;
    let vendor: LateVendor;
    let t: TestParley;
    let account: string;
    let late: SimulatedCall;
    let edited: SimulatedCall;
    let lateId: string;
    let editedId: string;
    let firstRunRequests = 0;

    beforeAll(async () => {
      vendor = await startLateVendor(name, () => now);
      const found = findInstant(vendor);
      ({ late, edited } = found);
      now = found.t0;
      lateId = vendor.meetingId(late, now + GAP)!;
      editedId = vendor.meetingId(edited, now + GAP)!;
      t = await startTestParley({}, { clock: { now: () => now } });
      const res = await t.call('POST', '/integrated-accounts', { integration: vendor.integration, credentials: vendor.credentials, sync: SYNC });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      account = res.body.id;
      const sent = vendor.requests.length;
      expect(await t.parley.engine.run(account)).toBe('completed');
      firstRunRequests = vendor.requests.length - sent;
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await vendor?.close();
    });

    const get = async (path: string) => {
      const res = await t.call('GET', `${CI}/${path}${path.includes('?') ? '&' : '?'}integrated_account_id=${account}`);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
      return res.body;
    };
    /** computed records of the UTC day the call started on */
    const dayRecords = async (c: SimulatedCall, readFrom: 'store' | 'live'): Promise<any[]> => {
      const day = dayOf(c.startedAt);
      const body = await get(`interactions?start_time=${day}&end_time=${nextDay(day)}&metrics_source=computed&timezone=UTC&read_from=${readFrom}&limit=1000`);
      return body.result;
    };
    const transcripts = async (id: string, readFrom: 'store' | 'live') => (await get(`transcripts?meeting_id=${encodeURIComponent(id)}&read_from=${readFrom}`)).result;
    /** the users with a stored per-call metrics row of the call */
    const measuredUsers = async (c: SimulatedCall, id: string) => {
      const rows = await t.parley.synced.callMetrics(account, storeInstant(c.startedAt - HOUR), storeInstant(c.startedAt + HOUR));
      return rows.filter((r) => r.call_id === id).map((r) => r.user_id);
    };

    let hostCallsBefore = 0;
    let storedBefore: any[] = [];

    it('at T0 stores the meeting the vendor lists without its transcript (none live either), and the title before the rename', async () => {
      const meeting = await get(`meetings/${encodeURIComponent(lateId)}?read_from=store`);
      expect(meeting.host_user_id, 'the late call has a host among the users').toBeDefined();
      expect(await transcripts(lateId, 'store')).toEqual([]);
      expect(await measuredUsers(late, lateId)).toEqual([]);
      // the vendor's "not yet" is no transcript, not an error
      expect(await transcripts(lateId, 'live')).toEqual([]);
      storedBefore = await dayRecords(late, 'store');
      hostCallsBefore = callCount(storedBefore.find((r) => r.user.id === meeting.host_user_id));
      expect((await get(`meetings/${encodeURIComponent(editedId)}?read_from=store`)).title).toBe(edited.metaData.title);
    });

    it('hours later an incremental run stores the transcript and the call\'s metrics: the day\'s numbers change and equal the vendor\'s', async () => {
      now += GAP;
      const sent = vendor.requests.length;
      expect(await t.parley.engine.run(account)).toBe('completed');
      // it re-read the look-back, not the whole backfill
      expect(vendor.requests.length - sent).toBeLessThan(firstRunRequests);
      const stored = await transcripts(lateId, 'store');
      expect(stored).toHaveLength(1);
      expect(stored[0].entries.length).toBeGreaterThan(10);
      expect(stored).toEqual(await transcripts(lateId, 'live'));

      const meeting = await get(`meetings/${encodeURIComponent(lateId)}?read_from=store`);
      expect(await measuredUsers(late, lateId)).toContain(meeting.host_user_id);
      const after = await dayRecords(late, 'store');
      expect(after).not.toEqual(storedBefore);
      // other calls of the day may have been transcribed meanwhile too
      expect(callCount(after.find((r) => r.user.id === meeting.host_user_id))).toBeGreaterThan(hostCallsBefore);
      expect(after).toEqual(await dayRecords(late, 'live'));
    }, 60_000);

    it('the rename made between the runs is in the store after the second, as the vendor lists it', async () => {
      const stored = await get(`meetings/${encodeURIComponent(editedId)}?read_from=store`);
      expect(stored.title).toBe(edited.edit!.title);
      const day = dayOf(edited.startedAt);
      const range = `start_time=${day}T00:00:00Z&end_time=${nextDay(day)}T00:00:00Z&limit=100`;
      const live = (await get(`meetings?${range}&read_from=live`)).result.find((m: any) => m.id === editedId);
      expect(stored).toEqual(live);
      // and reading the meeting itself from the vendor shows the rename (Clari: not from its details cache)
      expect((await get(`meetings/${encodeURIComponent(editedId)}?read_from=live`)).title).toBe(edited.edit!.title);
      const listed = await t.listAll(`${CI}/meetings?integrated_account_id=${account}&start_time=${day}T00:00:00Z&end_time=${nextDay(day)}T00:00:00Z&read_from=store`, 100);
      expect(listed.all.find((m: any) => m.id === editedId)).toEqual(stored);
    });
  });
}
