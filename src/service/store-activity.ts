import type { Activity } from '../domain/activity.js';
import type { ActivityDraft } from '../connectors/types.js';
import { formatInstant, type AggregationPeriod, type Bucket } from '../metrics/buckets.js';
import { storeInstant, type SyncedStore, type SyncState } from '../store/synced-store.js';
import type { Coverage } from './coverage.js';
import { hasActivity, toActivityRecord } from './activity.js';

/**
 * Activity from the synced store: the vendor's own counters are kept per whole bucket a sync read
 * (day, ISO week, month in the company zone), so a read is covered when every bucket it asks for is
 * stored with the same bounds. A `total` is the vendor's count over exactly that range (Gong counts
 * a call listened to on two days once per day, not once per range): never re-cut from periods.
 */
export async function activityStoreCoverage(
  synced: SyncedStore,
  accountId: string,
  zone: string,
  period: AggregationPeriod,
  buckets: readonly Bucket[],
  state: SyncState | undefined,
): Promise<Coverage> {
  const asOf = state?.dataAsOf ?? state?.syncedThrough;
  if (!asOf) return { covered: false, why: 'this account has not completed a sync yet' };
  if (buckets.length === 0) return { covered: true, dataAsOf: asOf };
  if (period === 'total') return { covered: false, why: "the store keeps the vendor's activity counters per day, week and month, and a total over a range cannot be cut from them" };
  const stored = await synced.activity.activityBuckets(accountId, zone, period, storeInstant(buckets[0]!.start.toMillis()), storeInstant(buckets[buckets.length - 1]!.end.toMillis()));
  const ends = new Map(stored.map((s) => [s.bucketStart, s.bucketEnd]));
  const missing = buckets.find((b) => ends.get(storeInstant(b.start.toMillis())) !== storeInstant(b.end.toMillis()));
  if (missing) return { covered: false, why: `the store has not synced the activity ${period} bucket starting ${formatInstant(missing.start)}` };
  return { covered: true, dataAsOf: asOf };
}

/** `recordsOf(b)` over the stored drafts of each bucket. */
export function activityFromStore(
  synced: SyncedStore,
  r: { accountId: string; zone: string; period: AggregationPeriod; buckets: readonly Bucket[] },
): (b: number) => Promise<Activity[]> {
  return async (b) => {
    const bucket = r.buckets[b]!;
    const rows = await synced.activity.activityRecords(r.accountId, r.zone, r.period, storeInstant(bucket.start.toMillis()));
    return rows
      .map((row) => row.record as ActivityDraft)
      .filter(hasActivity)
      .map((d) => toActivityRecord(r.accountId, d, bucket, r.period, r.zone))
      .sort((x, y) => (x.user.id < y.user.id ? -1 : x.user.id > y.user.id ? 1 : 0));
  };
}
