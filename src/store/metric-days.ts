import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, StoreCallMetricsTable } from './schema.js';
import { COLUMN_ORDER, type CallMetricsColumns } from '../metrics/aggregate.js';

/**
 * The per-call metrics of one account and UTC day, packed into one value: what a computed read from
 * the store aggregates. A year by day reads about 5,000 per-call rows a page; as rows that is 40,000
 * column values the database driver turns into JavaScript values one by one (most of a cold read),
 * as a day's pack it is one buffer per day, read as typed arrays in place.
 *
 * The packs are derived data: `store_call_metrics` stays the record (one row per call and user);
 * every transaction that changes a day's rows rebuilds that day's pack (`repackDays`), so the two
 * never disagree outside a transaction.
 *
 * Layout (little-endian): u32 version (1), u32 rows n, u32 user-table bytes u, the user table (a
 * JSON array of the day's distinct user ids, UTF-8), zero padding to a multiple of 8, then n float64
 * start instants (epoch ms), six times n float64 metric values (METRIC_ORDER; NaN where the call
 * leaves one undefined), and n u32 indexes into the user table.
 */

/** The metric columns of a pack, in the aggregator's column order. */
export const METRIC_ORDER = COLUMN_ORDER;

const VERSION = 1;
const HEADER = 12;

/** A per-call row as a pack holds it. */
export type MetricRow = Pick<StoreCallMetricsTable, 'user_id' | 'started_at' | (typeof METRIC_ORDER)[number]>;

/** A day's rows as the aggregator reads them: `startedAt[i]`, `metrics[k][i]` (NaN = undefined), `users[userIndex[i]]`. */
export type MetricDay = CallMetricsColumns;

export function packDay(rows: readonly MetricRow[]): Buffer {
  const users: string[] = [];
  const index = new Map<string, number>();
  for (const r of rows) {
    if (!index.has(r.user_id)) {
      index.set(r.user_id, users.length);
      users.push(r.user_id);
    }
  }
  const table = Buffer.from(JSON.stringify(users), 'utf8');
  const columnsAt = align8(HEADER + table.length);
  const n = rows.length;
  const out = Buffer.alloc(columnsAt + n * 8 * (1 + METRIC_ORDER.length) + n * 4);
  out.writeUInt32LE(VERSION, 0);
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(table.length, 8);
  table.copy(out, HEADER);
  let at = columnsAt;
  for (const r of rows) at = out.writeDoubleLE(Date.parse(r.started_at), at);
  for (const key of METRIC_ORDER) for (const r of rows) at = out.writeDoubleLE(r[key] === null || r[key] === undefined ? Number.NaN : Number(r[key]), at);
  for (const r of rows) at = out.writeUInt32LE(index.get(r.user_id)!, at);
  return out;
}

export function unpackDay(packed: Uint8Array): MetricDay {
  // typed arrays need an 8-aligned offset: a driver's buffer may be a slice of a larger one
  const bytes = packed.byteOffset % 8 === 0 ? packed : Uint8Array.prototype.slice.call(packed);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(0, true);
  if (version !== VERSION) throw new Error(`per-call metrics pack version ${version} is not known`);
  const n = view.getUint32(4, true);
  const tableBytes = view.getUint32(8, true);
  const users = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + HEADER, tableBytes).toString('utf8')) as string[];
  let at = bytes.byteOffset + align8(HEADER + tableBytes);
  const startedAt = new Float64Array(bytes.buffer, at, n);
  at += n * 8;
  const metrics = METRIC_ORDER.map(() => {
    const column = new Float64Array(bytes.buffer, at, n);
    at += n * 8;
    return column;
  });
  const userIndex = new Uint32Array(bytes.buffer, at, n);
  return { n, users, startedAt, metrics, userIndex };
}

function align8(x: number): number {
  return Math.ceil(x / 8) * 8;
}

/** The UTC day ("YYYY-MM-DD") of a stored instant. */
export function dayOf(storedInstant: string): string {
  return storedInstant.slice(0, 10);
}

/** Rebuild the packs of `days` from the account's per-call rows (inside the transaction that changed them). */
export async function repackDays(trx: Transaction<Database> | Kysely<Database>, accountId: string, days: Iterable<string>, now: string): Promise<void> {
  for (const day of [...new Set(days)].sort()) {
    const start = `${day}T00:00:00.000Z`;
    const end = new Date(Date.parse(start) + 86_400_000).toISOString();
    const rows = await trx
      .selectFrom('store_call_metrics')
      .select(['user_id', 'started_at', ...METRIC_ORDER])
      .where('account_id', '=', accountId)
      .where('started_at', '>=', start)
      .where('started_at', '<', end)
      .orderBy('started_at')
      .orderBy('meeting_id')
      .orderBy('user_id')
      .execute();
    if (rows.length === 0) {
      await trx.deleteFrom('store_call_metric_days').where('account_id', '=', accountId).where('day', '=', day).execute();
      continue;
    }
    await trx
      .insertInto('store_call_metric_days')
      .values({ account_id: accountId, day, packed: packDay(rows), modified_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'day']).doUpdateSet((eb) => ({ packed: eb.ref('excluded.packed'), modified_at: eb.ref('excluded.modified_at') })))
      .execute();
  }
}

/** The UTC days the account's per-call rows fall on now: all of them, or those of some meetings (before they are replaced). */
export async function daysOfRows(db: Transaction<Database> | Kysely<Database>, accountId: string, meetingIds?: readonly string[]): Promise<string[]> {
  const days: string[] = [];
  const parts = meetingIds ? Array.from({ length: Math.ceil(meetingIds.length / 500) }, (_, i) => meetingIds.slice(i * 500, (i + 1) * 500)) : [undefined];
  for (const part of parts) {
    let query = db.selectFrom('store_call_metrics').select(sql<string>`substr(started_at, 1, 10)`.as('day')).distinct().where('account_id', '=', accountId);
    if (part) query = query.where('meeting_id', 'in', part);
    for (const r of await query.execute()) days.push(r.day);
  }
  return days;
}

/** The packs of the UTC days that overlap [start, end) (stored instants), in day order. */
export async function packedDays(db: Kysely<Database>, accountId: string, start: string, end: string): Promise<Uint8Array[]> {
  const last = dayOf(new Date(Date.parse(end) - 1).toISOString());
  const rows = await db
    .selectFrom('store_call_metric_days')
    .select('packed')
    .where('account_id', '=', accountId)
    .where('day', '>=', dayOf(start))
    .where('day', '<=', last)
    .orderBy('day')
    .execute();
  return rows.map((r) => r.packed);
}
