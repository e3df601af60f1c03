import type { Interaction } from '../domain/interaction.js';
import type { InteractionDraft } from '../connectors/types.js';
import { formatInstant, type AggregationPeriod, type Bucket } from '../metrics/buckets.js';
import { InteractionAggregator, type RecordIdFn, type UserInfo } from '../metrics/aggregate.js';
import { storeInstant, type SyncedStore } from '../store/synced-store.js';

/**
 * Interactions answered from the synced store.
 * - computed: the per-call metrics rows kept at sync time, aggregated into buckets of any zone at
 *   read time (no transcript is read again), by the same aggregator the live path uses, so the
 *   numbers and ids are the live ones;
 * - native: the vendor's own numbers of the buckets the sync stored (only buckets identical to the
 *   ones asked for: the vendor's averages cannot be re-cut).
 */

export interface StorePosition {
  /** bucket index */
  b: number;
  /** records of that bucket already returned */
  o: number;
}

/** Read at most this much calendar per query, so a page of a long range never loads the whole year. */
const CHUNK_MS = 35 * 86_400_000;

export async function computedFromStore(opts: {
  synced: SyncedStore;
  accountId: string;
  buckets: readonly Bucket[];
  period: AggregationPeriod;
  timezone: string;
  recordId: RecordIdFn;
  users?: ReadonlyMap<string, UserInfo>;
  userIds?: readonly string[];
  from: StorePosition;
  limit: number;
}): Promise<{ records: Interaction[]; next: StorePosition | null }> {
  const out: Interaction[] = [];
  let { b, o } = opts.from;
  const list = opts.buckets;
  while (b < list.length && out.length < opts.limit) {
    // the buckets of this chunk: at least one, then as many as fit in CHUNK_MS
    const first = b;
    let last = b;
    const chunkStart = list[first]!.start.toMillis();
    while (last + 1 < list.length && list[last + 1]!.end.toMillis() - chunkStart <= CHUNK_MS) last++;
    const chunk = list.slice(first, last + 1);
    const rows = await opts.synced.callMetrics(
      opts.accountId,
      storeInstant(chunkStart),
      storeInstant(chunk[chunk.length - 1]!.end.toMillis()),
      opts.userIds,
    );
    const aggregator = new InteractionAggregator({
      buckets: chunk,
      period: opts.period,
      timezone: opts.timezone,
      recordId: opts.recordId,
      ...(opts.users ? { users: opts.users } : {}),
    });
    aggregator.addRows(rows);
    const startIndex = new Map(chunk.map((bucket, i) => [formatInstant(bucket.start), first + i]));
    const byBucket = new Map<number, Interaction[]>();
    for (const rec of aggregator.records()) {
      const i = startIndex.get(rec.start_time)!;
      let l = byBucket.get(i);
      if (!l) byBucket.set(i, (l = []));
      l.push(rec);
    }
    for (; b <= last && out.length < opts.limit; b++, o = 0) {
      const records = byBucket.get(b) ?? [];
      const take = records.slice(o, o + (opts.limit - out.length));
      out.push(...take);
      if (o + take.length < records.length) return { records: out, next: { b, o: o + take.length } };
    }
  }
  return { records: out, next: b < list.length ? { b, o } : null };
}

/**
 * The stored native drafts of each bucket, or the first bucket the store does not hold exactly
 * (then the caller answers live, or 409s for read_from=store).
 */
export async function nativeFromStore(opts: {
  synced: SyncedStore;
  accountId: string;
  zone: string;
  period: AggregationPeriod;
  buckets: readonly Bucket[];
}): Promise<{ drafts: InteractionDraft[][] } | { missing: Bucket }> {
  const list = opts.buckets;
  if (list.length === 0) return { drafts: [] };
  if (opts.period === 'total') return { missing: list[0]! };
  const stored = await opts.synced.nativeBuckets(
    opts.accountId,
    opts.zone,
    opts.period,
    storeInstant(list[0]!.start.toMillis()),
    storeInstant(list[list.length - 1]!.end.toMillis()),
  );
  const ends = new Map(stored.map((s) => [s.bucketStart, s.bucketEnd]));
  for (const bucket of list) {
    if (ends.get(storeInstant(bucket.start.toMillis())) !== storeInstant(bucket.end.toMillis())) return { missing: bucket };
  }
  const drafts: InteractionDraft[][] = [];
  for (const bucket of list) {
    const rows = await opts.synced.nativeRecords(opts.accountId, opts.zone, opts.period, storeInstant(bucket.start.toMillis()));
    drafts.push(rows.map((r) => r.record as InteractionDraft));
  }
  return { drafts };
}
