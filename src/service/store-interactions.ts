import type { Interaction } from '../domain/interaction.js';
import type { InteractionDraft } from '../connectors/types.js';
import { formatInstant, type AggregationPeriod, type Bucket } from '../metrics/buckets.js';
import { InteractionAggregator, type RecordIdFn, type UserInfo } from '../metrics/aggregate.js';
import { storeInstant, type SyncedStore } from '../store/synced-store.js';

/**
 * Interactions answered from the synced store, bucket by bucket, for `pageThroughBuckets`:
 * - computed: the per-call metrics rows kept at sync time, aggregated into buckets of any zone at
 *   read time (no transcript is read again) by the aggregator the live path uses, so numbers and ids
 *   are the live ones;
 * - native: the vendor's own numbers of the buckets the sync stored — only buckets identical to the
 *   ones asked for (the vendor's averages cannot be re-cut).
 */

/** A page reads at most this much calendar per query, so a page of a long range never loads the whole year. */
const CHUNK_MS = 35 * 86_400_000;
/** …and at least this many buckets, when they fit in CHUNK_MS */
const MIN_CHUNK_BUCKETS = 7;

export interface ComputedStoreRequest {
  accountId: string;
  buckets: readonly Bucket[];
  period: AggregationPeriod;
  timezone: string;
  recordId: RecordIdFn;
  users?: ReadonlyMap<string, UserInfo>;
  userIds?: readonly string[];
  /**
   * The page's size: a chunk holds about the buckets a page of this many records needs (a record
   * per user per bucket), so a first page of 1,000 of 50 reps by day reads 21 days, not 35.
   */
  limit?: number;
}

/** `recordsOf(b)`: the records of bucket `b`, sorted by user id; rows are read a chunk of buckets at a time. */
export function computedFromStore(synced: SyncedStore, r: ComputedStoreRequest): (b: number) => Promise<Interaction[]> {
  const loaded = new Map<number, Interaction[]>();
  const users = r.userIds?.length ?? r.users?.size ?? 0;
  const wanted = r.userIds ? new Set(r.userIds) : undefined;
  const maxBuckets = r.limit !== undefined && users > 0 ? Math.max(MIN_CHUNK_BUCKETS, Math.ceil(r.limit / users) + 1) : Infinity;
  return async (b) => {
    const hit = loaded.get(b);
    if (hit) return hit;
    const list = r.buckets;
    const chunkStart = list[b]!.start.toMillis();
    let last = b;
    while (last + 1 < list.length && last + 1 - b < maxBuckets && list[last + 1]!.end.toMillis() - chunkStart <= CHUNK_MS) last++;
    const chunk = list.slice(b, last + 1);
    const days = await synced.metricsToAggregate(r.accountId, storeInstant(chunkStart), storeInstant(chunk[chunk.length - 1]!.end.toMillis()));
    const aggregator = new InteractionAggregator({
      buckets: chunk,
      period: r.period,
      timezone: r.timezone,
      recordId: r.recordId,
      ...(r.users ? { users: r.users } : {}),
    });
    for (const day of days) aggregator.addColumns(day, wanted);
    for (let i = b; i <= last; i++) loaded.set(i, []);
    const index = new Map(chunk.map((bucket, i) => [formatInstant(bucket.start), b + i]));
    for (const rec of aggregator.records()) loaded.get(index.get(rec.start_time)!)!.push(rec);
    return loaded.get(b)!;
  };
}

/** Whether the store holds every one of these native buckets exactly; else the first it lacks. */
export async function nativeStoreCoverage(
  synced: SyncedStore,
  accountId: string,
  zone: string,
  period: AggregationPeriod,
  buckets: readonly Bucket[],
): Promise<{ covered: true } | { covered: false; missing: Bucket | undefined }> {
  if (buckets.length === 0) return { covered: true };
  // a `total` is the vendor's average over the range: never re-cut from stored periods
  if (period === 'total') return { covered: false, missing: buckets[0] };
  const stored = await synced.nativeBuckets(accountId, zone, period, storeInstant(buckets[0]!.start.toMillis()), storeInstant(buckets[buckets.length - 1]!.end.toMillis()));
  const ends = new Map(stored.map((s) => [s.bucketStart, s.bucketEnd]));
  const missing = buckets.find((bucket) => ends.get(storeInstant(bucket.start.toMillis())) !== storeInstant(bucket.end.toMillis()));
  return missing ? { covered: false, missing } : { covered: true };
}

/** `recordsOf(b)` over the stored native drafts of each bucket. */
export function nativeFromStore(
  synced: SyncedStore,
  r: { accountId: string; zone: string; period: AggregationPeriod; buckets: readonly Bucket[] },
  toRecord: (draft: InteractionDraft, bucket: Bucket) => Interaction,
): (b: number) => Promise<Interaction[]> {
  return async (b) => {
    const bucket = r.buckets[b]!;
    const rows = await synced.nativeRecords(r.accountId, r.zone, r.period, storeInstant(bucket.start.toMillis()));
    return rows
      .map((row) => toRecord(row.record as InteractionDraft, bucket))
      .sort((x, y) => (x.user.id < y.user.id ? -1 : x.user.id > y.user.id ? 1 : 0));
  };
}
