import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { InteractionAggregator, computedRecordId } from '../../src/metrics/aggregate.js';
import { buckets } from '../../src/metrics/buckets.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, type Kysely } from 'kysely';
import { METRIC_ORDER, packDay, unpackDay, type MetricRow } from '../../src/store/metric-days.js';
import { openDatabase, migrateToLatest } from '../../src/store/db.js';
import { migrationProvider } from '../../src/store/migrations.js';
import type { Database } from '../../src/store/schema.js';

const opt = fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: null });
const arbRow: fc.Arbitrary<MetricRow> = fc.record({
  user_id: fc.constantFrom('u1', 'u2', 'ü-3', '1234567890123456789'),
  started_at: fc.integer({ min: Date.UTC(2024, 2, 1), max: Date.UTC(2024, 3, 10) }).map((t) => new Date(t).toISOString()),
  longest_monologue: opt,
  longest_customer_story: opt,
  interactivity: opt,
  patience: opt,
  question_rate: opt,
  talk_ratio: opt,
});

const asObjects = (rows: readonly MetricRow[]) =>
  rows.map((r) => ({
    user_id: r.user_id,
    started_at: Date.parse(r.started_at),
    metrics: {
      longest_monologue: r.longest_monologue ?? 0,
      longest_customer_story: r.longest_customer_story ?? 0,
      interactivity: r.interactivity ?? undefined,
      patience: r.patience ?? undefined,
      question_rate: r.question_rate ?? undefined,
      talk_ratio: r.talk_ratio ?? undefined,
    },
  }));

describe('per-call metrics packed per day', () => {
  it('unpack gives back every row: user, start, each metric, null as NaN', () => {
    fc.assert(
      fc.property(fc.array(arbRow, { maxLength: 60 }), fc.integer({ min: 0, max: 7 }), (rows, shift) => {
        // a driver may hand the pack over as a slice at any offset of a larger buffer
        const packed = packDay(rows);
        const host = Buffer.alloc(packed.length + shift);
        packed.copy(host, shift);
        const day = unpackDay(host.subarray(shift));
        expect(day.n).toBe(rows.length);
        rows.forEach((r, i) => {
          expect(day.users[day.userIndex[i]!]).toBe(r.user_id);
          expect(day.startedAt[i]).toBe(Date.parse(r.started_at));
          const values = [r.longest_monologue, r.longest_customer_story, r.interactivity, r.patience, r.question_rate, r.talk_ratio];
          values.forEach((v, k) => expect(day.metrics[k]![i]).toBe(v === null ? Number.NaN : v));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('aggregated as columns gives the records the same rows give as objects: buckets, nulls, users wanted, rows outside every bucket', () => {
    fc.assert(
      fc.property(
        fc.array(arbRow, { maxLength: 200 }),
        fc.constantFrom('day', 'week', 'month' as const),
        fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'),
        fc.option(fc.subarray(['u1', 'u2', 'ü-3', '1234567890123456789']), { nil: undefined }),
        (rows, period, zone, wanted) => {
          // the buckets cover part of the rows' span only: some rows fall before and after them
          const list = buckets({ start: DateTime.fromISO('2024-03-05', { zone }), end: DateTime.fromISO('2024-04-02', { zone }), period, zone });
          const make = () => new InteractionAggregator({ buckets: list, period, timezone: zone, recordId: (u, b) => computedRecordId(u, period, zone, b) });
          const objects = make();
          objects.addRows(asObjects(rows.filter((r) => !wanted || wanted.includes(r.user_id))));
          const columns = make();
          // split over two packs, as a chunk spans several days
          const half = Math.floor(rows.length / 2);
          for (const part of [rows.slice(0, half), rows.slice(half)]) columns.addColumns(unpackDay(packDay(part)), wanted ? new Set(wanted) : undefined);
          expect(columns.records()).toEqual(objects.records());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('leaves out rows between buckets that do not touch (a clipped, non-contiguous list)', () => {
    const days = buckets({ start: DateTime.fromISO('2024-03-01', { zone: 'UTC' }), end: DateTime.fromISO('2024-03-05', { zone: 'UTC' }), period: 'day', zone: 'UTC' });
    const agg = new InteractionAggregator({ buckets: [days[0]!, days[2]!], period: 'day', timezone: 'UTC', recordId: (u) => u });
    const row = (started_at: string, m: number | null): MetricRow => ({ user_id: 'u1', started_at, longest_monologue: m, longest_customer_story: 10, interactivity: null, patience: null, question_rate: null, talk_ratio: null });
    agg.addColumns(unpackDay(packDay([row('2024-03-01T10:00:00.000Z', 60), row('2024-03-02T10:00:00.000Z', 999), row('2024-03-03T10:00:00.000Z', 30)])));
    const records = agg.records();
    expect(records.map((r) => [r.start_time, r.metrics.longest_monologue])).toEqual([
      ['2024-03-01T00:00:00Z', 60],
      ['2024-03-03T00:00:00Z', 30],
    ]);
    expect(records[1]!.metrics.patience).toBeUndefined();
  });

  it('are built by the migration from the rows a store synced before packs existed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-packs-'));
    const db: Kysely<Database> = openDatabase(`sqlite:${join(dir, 'p.db')}`);
    try {
      expect((await new Migrator({ db, provider: migrationProvider }).migrateTo('0005_connect_oauth')).error).toBeUndefined();
      const at = '2024-01-01T00:00:00.000Z';
      await db.insertInto('tenants').values({ id: 't', name: 't', created_at: at }).execute();
      for (const id of ['a1', 'a2']) {
        await db.insertInto('integrated_accounts').values({ id, tenant_id: 't', integration: 'gong', status: 'active', credentials: 'x', settings: '{}', created_at: at, updated_at: at } as never).execute();
      }
      const rows = [
        { account_id: 'a1', meeting_id: 'm1', user_id: 'u1', started_at: '2024-03-01T23:59:59.999Z', longest_monologue: 10, longest_customer_story: null, interactivity: 1.5, patience: null, question_rate: 3, talk_ratio: 0.25 },
        { account_id: 'a1', meeting_id: 'm2', user_id: 'u2', started_at: '2024-03-02T00:00:00.000Z', longest_monologue: 20, longest_customer_story: 5, interactivity: null, patience: 0.5, question_rate: null, talk_ratio: null },
        { account_id: 'a2', meeting_id: 'm3', user_id: 'u1', started_at: '2024-03-02T12:00:00.000Z', longest_monologue: 30, longest_customer_story: 6, interactivity: 2, patience: 1, question_rate: 4, talk_ratio: 0.5 },
      ];
      await db.insertInto('store_call_metrics').values(rows.map((r) => ({ ...r, modified_at: at }))).execute();
      await migrateToLatest(db);
      const packs = await db.selectFrom('store_call_metric_days').select(['account_id', 'day', 'packed']).orderBy('account_id').orderBy('day').execute();
      expect(packs.map((p) => `${p.account_id} ${p.day}`)).toEqual(['a1 2024-03-01', 'a1 2024-03-02', 'a2 2024-03-02']);
      const back = packs.map(({ account_id, packed }) => {
        const d = unpackDay(packed);
        expect(d.n).toBe(1);
        const value = (k: number) => (Number.isNaN(d.metrics[k]![0]!) ? null : d.metrics[k]![0]);
        return { account_id, user_id: d.users[d.userIndex[0]!], started_at: new Date(d.startedAt[0]!).toISOString(), ...Object.fromEntries(METRIC_ORDER.map((key, k) => [key, value(k)])) };
      });
      expect(back).toEqual(rows.map(({ meeting_id: _, ...r }) => r));
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
