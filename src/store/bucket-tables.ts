import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Reads shared by the two stores of a vendor's own numbers per calendar bucket: Gong's interaction
 * stats (`store_native_buckets` / `store_native_interactions`) and its activity counters
 * (`store_activity_buckets` / `store_activity`). Both pairs have the same columns: which buckets a
 * sync read whole, and one record per user and bucket.
 */
export type BucketTable = 'store_native_buckets' | 'store_activity_buckets';
export type BucketRecordTable = 'store_native_interactions' | 'store_activity';

/** The stored buckets of a zone and period that start in [start, end). */
export async function storedBuckets(
  db: Kysely<Database>,
  table: BucketTable,
  q: { accountId: string; zone: string; period: string; start: string; end: string },
): Promise<{ bucketStart: string; bucketEnd: string; syncedAt: string }[]> {
  // the two tables have the same columns: one of them names the shape for the query builder
  const rows = await db
    .selectFrom(table as 'store_native_buckets')
    .select(['bucket_start', 'bucket_end', 'synced_at'])
    .where('account_id', '=', q.accountId)
    .where('zone', '=', q.zone)
    .where('period', '=', q.period)
    .where('bucket_start', '>=', q.start)
    .where('bucket_start', '<', q.end)
    .orderBy('bucket_start')
    .execute();
  return rows.map((r) => ({ bucketStart: r.bucket_start, bucketEnd: r.bucket_end, syncedAt: r.synced_at }));
}

/** The records of one stored bucket, by user id. */
export async function storedBucketRecords(
  db: Kysely<Database>,
  table: BucketRecordTable,
  q: { accountId: string; zone: string; period: string; bucketStart: string },
): Promise<{ userId: string; record: unknown }[]> {
  const rows = await db
    .selectFrom(table as 'store_native_interactions')
    .select(['user_id', 'record'])
    .where('account_id', '=', q.accountId)
    .where('zone', '=', q.zone)
    .where('period', '=', q.period)
    .where('bucket_start', '=', q.bucketStart)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => ({ userId: r.user_id, record: JSON.parse(r.record) as unknown }));
}
