import { BadRequestError } from '../domain/errors.js';
import type { Interaction } from '../domain/interaction.js';
import { stableId } from '../domain/ids.js';
import { formatInstant, type AggregationPeriod, type Bucket } from '../metrics/buckets.js';
import type { InteractionDraft, NativeInteractions } from '../connectors/types.js';
import { TtlCache } from '../store/memory-cache.js';
import { pageThroughBuckets, type BucketPosition, type Page } from './bucket-pages.js';
import type { PageBudget } from './page-budget.js';
import { loadShared } from './shared-load.js';
import { sameZone } from './time-range.js';

/**
 * Interactions the vendor computes itself, read live bucket by bucket (one vendor query per bucket,
 * every vendor page followed). Each bucket's records are cached briefly and loaded once however many
 * clients miss at the same moment, so paging with a small limit, or a crowd at a cache expiry, asks
 * the vendor once per bucket.
 */
export interface NativePageRequest {
  accountId: string;
  native: NativeInteractions;
  period: AggregationPeriod;
  /** the zone the listing is cut in and labelled with */
  zone: string;
  /** the client named a zone (then a vendor answering in another zone is a 400, not a relabel) */
  zoneRequested: boolean;
  buckets: readonly Bucket[];
  from: BucketPosition;
  limit: number;
  userIds?: string[];
  budget: PageBudget;
  encode(pos: BucketPosition): string;
}

export class NativeInteractionsReader {
  private readonly bucketCache: TtlCache<Interaction[]>;

  constructor(opts: { bucketCacheTtlMs: number }) {
    this.bucketCache = new TtlCache(opts.bucketCacheTtlMs, 2000);
  }

  page(r: NativePageRequest): Promise<Page<Interaction>> {
    const users = r.userIds?.join(',') ?? '*';
    return pageThroughBuckets({
      bucketCount: r.buckets.length,
      from: r.from,
      limit: r.limit,
      encode: r.encode,
      recordsOf: (b) => {
        const bucket = r.buckets[b]!;
        const key = [r.accountId, r.zone, r.period, bucket.start.toMillis(), bucket.end.toMillis(), users].join('|');
        return r.budget.within(loadShared(this.bucketCache, key, () => this.load(r, bucket), r.budget.signal));
      },
    });
  }

  private async load(r: NativePageRequest, bucket: Bucket): Promise<Interaction[]> {
    const res = await r.native.listBucket({ start: bucket.start, end: bucket.end, period: r.period, zone: r.zone, userIds: r.userIds });
    if (r.zoneRequested && r.native.zone === 'company' && res.zone && !sameZone(res.zone, r.zone)) {
      throw new BadRequestError(
        `timezone: this account reports interaction stats only in the company time zone (${res.zone}); omit timezone or pass "${res.zone}"`,
      );
    }
    return res.records
      .map((d) => toRecord(r.accountId, d, bucket, r.period, r.zone))
      .sort((x, y) => (x.user.id < y.user.id ? -1 : x.user.id > y.user.id ? 1 : 0));
  }
}

/**
 * A connector's draft → the unified record, keys in the contract's order. The bucket times, zone
 * label and period are the service's own; the id is derived from them, so it stays the same for
 * the same account, user, period, zone and bucket.
 */
export function toRecord(accountId: string, d: InteractionDraft, bucket: Bucket, period: AggregationPeriod, zone: string): Interaction {
  const start_time = formatInstant(bucket.start);
  const end_time = formatInstant(bucket.end);
  return {
    id: stableId('int', [accountId, d.user.id, period, zone, start_time, end_time]),
    user: d.user,
    start_time,
    end_time,
    timezone: zone,
    aggregation_period: period,
    metrics: d.metrics,
    additional_metrics: d.additional_metrics,
    ...(d.created_at !== undefined ? { created_at: d.created_at } : {}),
    ...(d.updated_at !== undefined ? { updated_at: d.updated_at } : {}),
    ...(d.remote_data !== undefined ? { remote_data: d.remote_data } : {}),
  };
}
