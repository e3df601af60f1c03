import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startGongSimulator, type GongSimulator, type SimulatedCall } from '../../sandbox/gong/index.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { METRIC_ORDER, unpackDay } from '../../src/store/metric-days.js';
import { dropPostgresSchema, freshPostgresSchema, postgresAvailable, POSTGRES_URL } from '../helpers/services.js';

/**
 * The synced store on both databases: late transcripts and edited calls picked up by the next
 * incremental run, reads when the vendor is down, 409s for what is not synced, modified_after,
 * sync status and control, deletion, and no transcript text in clear.
 */
// a Thursday at 16:00 in the company zone (US/Pacific), with calls just over and transcripts still coming
const T0 = Date.parse('2025-06-12T23:00:00Z');
const HOUR = 3_600_000;
const CI = '/unified/conversational-intelligence';

interface Db {
  name: string;
  url(): Promise<{ url?: string; cleanup(): Promise<void> }>;
}

const DATABASES: Db[] = [
  { name: 'SQLite', url: async () => ({ cleanup: async () => {} }) },
  {
    name: 'PostgreSQL',
    url: async () => {
      const schema = `store_${process.pid}_${Date.now() % 100000}`;
      return { url: await freshPostgresSchema(schema), cleanup: () => dropPostgresSchema(schema) };
    },
  },
];

for (const db of DATABASES) {
  describe(`the synced store on ${db.name}`, () => {
    let skip: string | undefined;
    let now = T0;
    let sim: GongSimulator;
    let t: TestParley;
    let account: string;
    let cleanup = async () => {};
    let late: SimulatedCall;
    let edited: SimulatedCall;

    beforeAll(async () => {
      if (db.name === 'PostgreSQL') {
        const available = await postgresAvailable();
        if (!available.ok) {
          skip = available.why;
          return;
        }
      }
      const target = await db.url();
      cleanup = target.cleanup;
      sim = await startGongSimulator({ now: () => new Date(now), pageSize: 50, ratePerSecond: Infinity });
      t = await startTestParley(target.url ? { databaseUrl: target.url } : {}, { clock: { now: () => now } });
      const res = await t.call('POST', '/integrated-accounts', {
        integration: 'gong',
        credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
        sync: { backfill_days: 4, lookback_days: 2 },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      account = res.body.id;
      const recent = sim.dataset.callsBetween(T0 - 2 * 24 * HOUR, T0);
      // a call over before T0 whose transcript Gong finishes only after T0
      late = recent.find((c) => c.endedAt < T0 && c.transcriptReadyAt > T0 && c.transcriptReadyAt < T0 + 5 * HOUR)!;
      // a call renamed after the first sync and before the second
      edited = sim.dataset.callsBetween(T0 - 4 * 24 * HOUR, T0).find((c) => c.edit && c.edit.at > T0 && c.edit.at < T0 + 5 * HOUR && c.endedAt < T0)!;
      expect(late, 'the simulated world has a late transcript near T0').toBeDefined();
      expect(edited, 'the simulated world has a call edited after T0').toBeDefined();
      expect(await t.parley.engine.run(account)).toBe('completed');
    }, 120_000);
    afterAll(async () => {
      await t?.close();
      await sim?.close();
      await cleanup();
    });

    const dayOf = (c: SimulatedCall) => new Date(c.startedAt).toISOString().slice(0, 10);
    const hostRecord = async (c: SimulatedCall, readFrom: string) => {
      const day = dayOf(c);
      const next = new Date(Date.parse(day) + 24 * HOUR).toISOString().slice(0, 10);
      const res = await t.call(
        'GET',
        `${CI}/interactions?integrated_account_id=${account}&start_time=${day}&end_time=${next}&metrics_source=computed&timezone=UTC&read_from=${readFrom}&limit=1000`,
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.result.find((r: any) => r.user.id === c.metaData.primaryUserId);
    };
    const calls = (r: any) => r?.additional_metrics.find((m: any) => m.name === 'call_count')?.value ?? 0;

    it('a late transcript is picked up by the next incremental run, and the day\'s computed numbers change', async (ctx) => {
      if (skip) return ctx.skip(skip);
      const before = await t.call('GET', `${CI}/transcripts?integrated_account_id=${account}&meeting_id=${late.id}&read_from=store`);
      expect(before.status).toBe(200);
      expect(before.body.result).toEqual([]);
      const countBefore = calls(await hostRecord(late, 'store'));

      now = T0 + 5 * HOUR;
      const sent = sim.requests.length;
      expect(await t.parley.engine.run(account)).toBe('completed');
      // incremental: the listing re-read only the look-back window
      for (const r of sim.requests.slice(sent).filter((r) => r.path === '/v2/calls/extensive')) {
        expect(Date.parse((r.body as any).filter.fromDateTime)).toBeGreaterThanOrEqual(now - 2 * 24 * HOUR - 1000);
      }
      const after = await t.call('GET', `${CI}/transcripts?integrated_account_id=${account}&meeting_id=${late.id}&read_from=store`);
      expect(after.body.result).toHaveLength(1);
      expect(calls(await hostRecord(late, 'store'))).toBe(countBefore + 1);
      // and the store agrees with the vendor for that day
      expect(await hostRecord(late, 'store')).toEqual(await hostRecord(late, 'live'));
    }, 60_000);

    it('an edited call is updated and shows in modified_after', async (ctx) => {
      if (skip) return ctx.skip(skip);
      const m = await t.call('GET', `${CI}/meetings/${edited.id}?integrated_account_id=${account}&read_from=store`);
      expect(m.status).toBe(200);
      expect(m.body.title).toBe(edited.edit!.title);
      const since = new Date(T0 + HOUR).toISOString();
      const changed = await t.listAll(`${CI}/meetings?integrated_account_id=${account}&modified_after=${since}`, 2);
      const ids = changed.all.map((x: any) => x.id);
      expect(ids).toContain(edited.id);
      expect(ids).not.toContain(sim.dataset.callsBetween(T0 - 4 * 24 * HOUR, T0 - 3 * 24 * HOUR).find((c) => !c.edit)!.id);
      const transcripts = await t.listAll(`${CI}/transcripts?integrated_account_id=${account}&modified_after=${since}`, 2);
      expect(transcripts.all.map((x: any) => x.meeting.id)).toContain(late.id);
      const live = await t.call('GET', `${CI}/meetings?integrated_account_id=${account}&modified_after=${since}&read_from=live`);
      expect(live.status).toBe(400);
      expect(live.body.message).toMatch(/modified_after/);
    });

    it('answers covered ranges from the store while the vendor is down; 409s what is not synced', async (ctx) => {
      if (skip) return ctx.skip(skip);
      const q = `${CI}/interactions?integrated_account_id=${account}&start_time=2025-06-10&end_time=2025-06-12&aggregation_period=day&metrics_source=computed`;
      const healthy = await t.call('GET', q);
      for (let i = 0; i < 50; i++) sim.faults.push({ kind: 'status', status: 503 });
      try {
        const down = await t.call('GET', `${q}&read_from=auto`);
        expect(down.status).toBe(200);
        expect(down.headers['parley-data-as-of']).toBe(new Date(T0 + 5 * HOUR).toISOString());
        expect(down.body.result).toEqual(healthy.body.result);
        const meetings = await t.call('GET', `${CI}/meetings?integrated_account_id=${account}&start_time=2025-06-10&end_time=2025-06-12`);
        expect(meetings.status).toBe(200);
        expect(meetings.headers['parley-data-as-of']).toBeDefined();
        const live = await t.call('GET', `${q}&read_from=live`);
        expect(live.status).toBe(502);
        expect(live.body.is_remote_error).toBe(true);
      } finally {
        sim.faults.clear();
      }
      const unsynced = await t.call('GET', `${CI}/interactions?integrated_account_id=${account}&start_time=2025-05-01&end_time=2025-05-08&metrics_source=computed&read_from=store`);
      expect(unsynced.status).toBe(409);
      expect(unsynced.body.message).toMatch(/\[2025-05-01T07:00:00\.000Z, 2025-06-08T00:00:00\.000Z\) is not synced/);
      const native = await t.call('GET', `${CI}/interactions?integrated_account_id=${account}&start_time=2025-06-09&end_time=2025-06-11&aggregation_period=total&read_from=store`);
      expect(native.status).toBe(409);
      expect(native.body.message).toMatch(/total/);
    });

    it('reports and controls the sync: status with counts, POST starts a run, PATCH disables it', async (ctx) => {
      if (skip) return ctx.skip(skip);
      const status = await t.call('GET', `/integrated-accounts/${account}/sync`);
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({ status: 'idle', settings: { enabled: true, backfill_days: 4, lookback_days: 2, interval_minutes: 60 }, last_error: null, progress: null });
      expect(status.body.counts.meetings).toBeGreaterThan(5);
      expect(status.body.counts.call_metrics).toBeGreaterThan(5);
      expect(Date.parse(status.body.next_run_at)).toBeGreaterThan(now);
      const started = await t.call('POST', `/integrated-accounts/${account}/sync`);
      expect(started.status).toBe(202);
      const patched = await t.call('PATCH', `/integrated-accounts/${account}`, { sync: { enabled: false } });
      expect(patched.status).toBe(200);
      const disabled = await t.call('GET', `/integrated-accounts/${account}/sync`);
      expect(['disabled', 'running']).toContain(disabled.body.status);
      expect(disabled.body.next_run_at).toBeNull();
      const refused = await t.call('POST', `/integrated-accounts/${account}/sync`);
      expect(refused.status).toBe(409);
      const bad = await t.call('PATCH', `/integrated-accounts/${account}`, { sync: { interval_minutes: 0 } });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/interval_minutes/);
      await t.call('PATCH', `/integrated-accounts/${account}`, { sync: { enabled: true } });
    });

    it('keeps no transcript sentence in clear in the database', async (ctx) => {
      if (skip) return ctx.skip(skip);
      const meetings = await t.parley.synced.meetings(account, { limit: 20 });
      const sentences: string[] = [];
      for (const m of meetings) {
        const tr = await t.parley.synced.transcript(account, m.record.id);
        for (const e of tr?.record.entries ?? []) if (e.text.length > 30) sentences.push(e.text);
      }
      expect(sentences.length).toBeGreaterThan(20);
      let haystack: string;
      if (db.name === 'SQLite') {
        // the database file and its write-ahead log, as a thief would read them
        const dir = dirname(t.dbPath);
        haystack = readdirSync(dir).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n');
      } else {
        const client = new pg.Client({ connectionString: t.config.databaseUrl });
        await client.connect();
        try {
          const parts: string[] = [];
          for (const table of ['store_transcripts', 'store_meetings', 'store_users', 'store_call_metrics', 'sync_checkpoints', 'sync_state']) {
            const rows = await client.query(`select * from ${table}`);
            parts.push(JSON.stringify(rows.rows));
          }
          haystack = parts.join('\n');
        } finally {
          await client.end();
        }
      }
      for (const s of sentences) expect(haystack.includes(s), s).toBe(false);
      expect(POSTGRES_URL).toBeTruthy();
    });

    it("keeps each day's packed per-call metrics equal to that day's rows, after late transcripts and edits", async (ctx) => {
      if (skip) return ctx.skip(skip);
      const db = t.parley.store.db;
      const rows = await db
        .selectFrom('store_call_metrics')
        .select(['user_id', 'started_at', ...METRIC_ORDER])
        .where('account_id', '=', account)
        .orderBy('started_at')
        .orderBy('meeting_id')
        .orderBy('user_id')
        .execute();
      expect(rows.length).toBeGreaterThan(5);
      const packs = await db.selectFrom('store_call_metric_days').select(['day', 'packed']).where('account_id', '=', account).orderBy('day').execute();
      const unpacked = packs.flatMap(({ day, packed }) => {
        const d = unpackDay(packed);
        return Array.from({ length: d.n }, (_, i) => ({
          day,
          user_id: d.users[d.userIndex[i]!],
          started_at: new Date(d.startedAt[i]!).toISOString(),
          ...Object.fromEntries(METRIC_ORDER.map((k, m) => [k, Number.isNaN(d.metrics[m]![i]!) ? null : d.metrics[m]![i]])),
        }));
      });
      expect(unpacked).toEqual(rows.map((r) => ({ day: r.started_at.slice(0, 10), ...r, ...Object.fromEntries(METRIC_ORDER.map((k) => [k, r[k] === null ? null : Number(r[k])])) })));
    });

    it('deletes everything synced with the account', async (ctx) => {
      if (skip) return ctx.skip(skip);
      const res = await t.call('DELETE', `/integrated-accounts/${account}`);
      expect(res.status).toBe(204);
      const left: Record<string, number> = {};
      for (const table of ['sync_state', 'sync_checkpoints', 'store_users', 'store_meetings', 'store_transcripts', 'store_call_metrics', 'store_call_metric_days', 'store_native_buckets', 'store_native_interactions'] as const) {
        const row = await t.parley.store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('account_id', '=', account)
          .executeTakeFirst();
        left[table] = Number(row?.n ?? 0);
      }
      expect(Object.values(left).every((n) => n === 0), JSON.stringify(left)).toBe(true);
    });
  });
}
