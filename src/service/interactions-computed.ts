import { DateTime } from 'luxon';
import { RequestAbortedError } from '../domain/errors.js';
import type { Interaction } from '../domain/interaction.js';
import { stableId } from '../domain/ids.js';
import type { User } from '../domain/resources.js';
import type { ConnectorSession } from '../connectors/types.js';
import { formatInstant, type AggregationPeriod, type Bucket } from '../metrics/buckets.js';
import { InteractionAggregator, type CallMetricsRow, type RecordIdFn, type UserInfo } from '../metrics/index.js';
import { TtlCache } from '../store/memory-cache.js';
import { pageThroughBuckets, type BucketPosition, type Page } from './bucket-pages.js';
import type { CallMetricsSource, SegmentPosition } from './call-metrics-source.js';
import type { PageBudget } from './page-budget.js';
import { allVendorRecords } from './paging.js';
import { loadShared } from './shared-load.js';

/**
 * Interactions computed by the METRICS.md engine: per-call metrics rows of one time segment after
 * another (from a `CallMetricsSource`) → `InteractionAggregator` (each row into the bucket holding
 * its call's start) → the records of every bucket the segments have passed.
 *
 * Work is bounded by the page. A listing's progress (the aggregator's sums and where reading
 * stopped) lives in a bounded server-side cache: when a page's time runs out, the next page
 * continues from there rather than restarting, and a page may hold fewer records than `limit`, even
 * none, with a `next_cursor`. Segments start a month long (as few vendor requests as an ordinary
 * month needs); a segment that could not finish within one page is halved for the next attempt and
 * for the rest of the listing (down to an hour), so a listing always advances. One listing advances
 * in one place at a time; concurrent pages of the same listing wait for it and share what it computed.
 */

const HOUR_MS = 3_600_000;
/** the longest segment read as one unit: the longest month */
const MAX_SEGMENT_MS = 31 * 24 * HOUR_MS;
const MIN_SEGMENT_MS = HOUR_MS;

interface ListingProgress {
  aggregator: InteractionAggregator;
  /** epoch ms: every call that started before this is in the aggregator */
  from: number;
  /** length of the next segment */
  spanMs: number;
  /** where to resume inside the segment starting at `from` */
  resume?: SegmentPosition;
}

export interface ComputedPageRequest {
  accountId: string;
  session: ConnectorSession;
  source: CallMetricsSource;
  period: AggregationPeriod;
  zone: string;
  buckets: readonly Bucket[];
  from: BucketPosition;
  limit: number;
  wanted?: ReadonlySet<string>;
  budget: PageBudget;
  encode(pos: BucketPosition): string;
}

export class ComputedInteractionsReader {
  private readonly listings: TtlCache<ListingProgress>;
  private readonly advancing = new Map<string, Promise<void>>();
  private readonly usersCache = new TtlCache<Map<string, UserInfo>>(60 * 60 * 1000, 500);

  constructor(opts: { cacheTtlMs: number }) {
    // Memory per listing grows with users × buckets (sums and counts only).
    this.listings = new TtlCache(opts.cacheTtlMs, 100);
  }

  page(r: ComputedPageRequest): Promise<Page<Interaction>> {
    const first = r.buckets[0];
    const last = r.buckets[r.buckets.length - 1];
    const key = first && last ? [r.accountId, r.zone, r.period, first.start.toMillis(), last.end.toMillis()].join('|') : '';
    return pageThroughBuckets({
      bucketCount: r.buckets.length,
      from: r.from,
      limit: r.limit,
      wanted: r.wanted,
      encode: r.encode,
      recordsOf: (b) => this.bucketRecords(r, key, b),
    });
  }

  /** The final records of bucket `b`, advancing the listing as far as needed; undefined when the page's time ran out first. */
  private async bucketRecords(r: ComputedPageRequest, key: string, b: number): Promise<Interaction[] | undefined> {
    const bucketEnd = r.buckets[b]!.end.toMillis();
    for (;;) {
      const progress = await r.budget.within(loadShared(this.listings, key, () => this.startListing(r), r.budget.signal));
      if (!progress) return undefined;
      if (progress.from >= bucketEnd) return progress.aggregator.bucketRecords(b);
      const running = this.advancing.get(key);
      if (running) {
        // another page is advancing this listing: wait for it, then look again (its failure is its own)
        if ((await r.budget.within(running.then(() => true, () => true))) === undefined) return undefined;
        continue;
      }
      const work = this.advance(r, progress, bucketEnd).finally(() => {
        this.advancing.delete(key);
        this.listings.set(key, progress); // progress made keeps the listing alive for its next page
      });
      this.advancing.set(key, work);
      if ((await r.budget.within(work.then(() => true))) === undefined) return undefined;
    }
  }

  /**
   * Reads segments until `until` is passed or the page's signal fires. Rows are committed to the
   * aggregator only where the source says reading can resume (or at a segment's end), so an
   * interrupted segment leaves no half-read calls behind.
   */
  private async advance(r: ComputedPageRequest, p: ListingProgress, until: number): Promise<void> {
    const end = r.buckets[r.buckets.length - 1]!.end.toMillis();
    let committedInSegment = false;
    try {
      while (p.from < until) {
        committedInSegment = false;
        const segEnd = Math.min(p.from + p.spanMs, end);
        const segment = { start: DateTime.fromMillis(p.from, { zone: r.zone }), end: DateTime.fromMillis(segEnd, { zone: r.zone }) };
        let pending: CallMetricsRow[] = [];
        for await (const batch of r.source.read(segment, p.resume)) {
          pending.push(...batch.rows);
          if (batch.resumeAfter) {
            p.aggregator.addRows(pending);
            pending = [];
            p.resume = batch.resumeAfter;
            committedInSegment = true;
          }
          if (r.budget.signal.aborted) throw new RequestAbortedError();
        }
        p.aggregator.addRows(pending);
        p.from = segEnd;
        p.resume = undefined;
      }
    } catch (e) {
      if (r.budget.classify(e) === 'time' && !committedInSegment) p.spanMs = Math.max(MIN_SEGMENT_MS, Math.floor(p.spanMs / 2));
      throw e;
    }
  }

  private async startListing(r: ComputedPageRequest): Promise<ListingProgress> {
    const users = await this.userInfo(r);
    const aggregator = new InteractionAggregator({
      buckets: r.buckets,
      period: r.period,
      timezone: r.zone,
      recordId: computedRecordIdOf(r.accountId, r.period, r.zone),
      users,
    });
    return { aggregator, from: r.buckets[0]!.start.toMillis(), spanMs: MAX_SEGMENT_MS };
  }

  private async userInfo(r: ComputedPageRequest): Promise<Map<string, UserInfo> | undefined> {
    const users = r.session.users;
    if (!users) return undefined;
    return loadShared(
      this.usersCache,
      r.accountId,
      async () => {
        const all: User[] = await allVendorRecords((next) => users.list(next));
        return new Map(all.map((u) => [u.id, { ...(u.name ? { name: u.name } : {}), emails: u.emails }]));
      },
      r.budget.signal,
    );
  }
}

/** The id of a computed record: the same for the same account, user, period, zone and bucket, live or from the store. */
export function computedRecordIdOf(accountId: string, period: AggregationPeriod, zone: string): RecordIdFn {
  // a bucket's instants are formatted once, not once per user (a page holds ~50 users per bucket)
  const formatted = new WeakMap<Bucket, [string, string]>();
  return (userId, b) => {
    let instants = formatted.get(b);
    if (!instants) formatted.set(b, (instants = [formatInstant(b.start), formatInstant(b.end)]));
    return stableId('int', [accountId, userId, period, zone, instants[0], instants[1], 'computed']);
  };
}
