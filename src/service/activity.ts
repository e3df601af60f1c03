import { DateTime } from 'luxon';
import { BadRequestError } from '../domain/errors.js';
import type { Activity } from '../domain/activity.js';
import type { Meeting, User } from '../domain/resources.js';
import { stableId } from '../domain/ids.js';
import { bucketIndexOf, formatInstant, nextPeriodStart, type AggregationPeriod, type Bucket } from '../metrics/buckets.js';
import { meetingActivity } from '../metrics/meeting-activity.js';
import type { ActivityDraft, ConnectorSession, NativeActivity } from '../connectors/types.js';
import type { AccountRecord } from '../store/repositories.js';
import type { SyncedStore } from '../store/synced-store.js';
import { TtlCache } from '../store/memory-cache.js';
import type { AccountsService } from './accounts.js';
import type { CursorCodec } from './cursor.js';
import { decodeBucketPosition, pageThroughBuckets, type BucketPosition } from './bucket-pages.js';
import { readThrough, type ReadFrom } from './coverage.js';
import { PageBudget } from './page-budget.js';
import { allVendorRecords } from './paging.js';
import type { SourcedPage } from './resources.js';
import { loadShared } from './shared-load.js';
import { assertLiveComputedRange, interactionBuckets, requestedZone, sameZone, zoneLabel } from './time-range.js';
import { activityFromStore, activityStoreCoverage } from './store-activity.js';

/**
 * List Activity (CONTRACT.md "Activity"): the buckets, ids, user object and paging of Interactions.
 * Two read paths: the vendor's own counters (Gong: one listing for the whole range, cut by period,
 * put into the listing's buckets), or `calls_hosted`/`calls_attended` computed from meetings
 * (`metrics/meeting-activity.ts`), live or from the synced meetings.
 */
export interface ListActivityQuery {
  integrated_account_id: string;
  start_time: string;
  end_time: string;
  aggregation_period: AggregationPeriod;
  timezone?: string;
  user_ids?: string[];
  limit: number;
  next_cursor?: string;
  read_from?: ReadFrom;
}

export interface ActivityServiceOptions {
  accounts: AccountsService;
  synced: SyncedStore;
  cursors: CursorCodec;
  now: () => DateTime;
  storePages?: TtlCache<unknown>;
  pageBudgetMs?: number;
  cacheTtlMs?: number;
}

export class ActivityService {
  // one listing's records, per bucket, loaded once for every page and every concurrent reader
  private readonly listings: TtlCache<Activity[][]>;
  private readonly sourceZones = new TtlCache<string | undefined>(5 * 60 * 1000, 1000);

  constructor(private readonly opts: ActivityServiceOptions) {
    this.listings = new TtlCache(opts.cacheTtlMs ?? 5 * 60 * 1000, 500);
  }

  async list(tenantId: string, q: ListActivityQuery, ctx: { signal?: AbortSignal } = {}): Promise<SourcedPage<Activity>> {
    const requested = requestedZone(q.timezone);
    const budget = new PageBudget(this.opts.pageBudgetMs ?? 15_000, ctx.signal);
    try {
      const { account, session } = await this.opts.accounts.open(tenantId, q.integrated_account_id, { signal: budget.signal });
      const native = session.activity;
      const userIds = q.user_ids ? [...new Set(q.user_ids)].sort() : undefined;
      const readFrom = q.read_from ?? 'auto';
      const filters = { r: 'activity', a: account.id, s: q.start_time, e: q.end_time, p: q.aggregation_period, tz: requested, u: userIds, rf: readFrom };
      const from = q.next_cursor ? decodeBucketPosition(this.opts.cursors, q.next_cursor, filters) : undefined;
      const cursorSource = from ? (from.src === 'store' ? 'store' : 'live') : undefined;
      const encodeAs = (src: 'store' | 'live') => (pos: BucketPosition) => this.opts.cursors.encode(filters, src === 'store' ? { ...pos, src } : pos);
      const state = await this.opts.synced.state(account.id);
      const nowMs = this.opts.now().toMillis();
      const storeCache = this.opts.storePages ? { cache: this.opts.storePages, key: JSON.stringify(['activity', filters, q.next_cursor ?? null, q.limit]) } : undefined;
      const wanted = userIds ? new Set(userIds) : undefined;
      const paging = (buckets: readonly Bucket[], start: BucketPosition, src: 'store' | 'live', recordsOf: (b: number) => Promise<readonly Activity[] | undefined>) =>
        pageThroughBuckets<Activity>({ bucketCount: buckets.length, from: start, limit: q.limit, encode: encodeAs(src), ...(wanted ? { wanted } : {}), recordsOf });

      if (native) {
        const zone = from?.z ?? (await this.nativeZone(account, session, native, requested, budget));
        const notAfter = from ? DateTime.fromMillis(from.t!, { zone }) : native.reportableUntil(this.opts.now(), zone);
        const buckets = interactionBuckets(q, zone, { granularity: native.granularity, notAfter, computed: false });
        const start = from ?? { b: 0, t: notAfter.toMillis(), z: zone };
        const held = readFrom === 'live' || cursorSource === 'live' ? undefined : await activityStoreCoverage(this.opts.synced, account.id, zone, q.aggregation_period, buckets, state);
        const { page, dataAsOf } = await readThrough(
          { readFrom, state, ...(held ? { coverage: held } : {}), range: bucketRange(buckets), nowMs, cursorSource, ...(storeCache ? { storeCache } : {}) },
          () => {
            const key = ['native', account.id, zone, q.aggregation_period, start.t, q.start_time, q.end_time, userIds?.join(',') ?? '*'].join('|');
            const all = () => budget.within(loadShared(this.listings, key, () => this.loadNative(account.id, native, zone, q.aggregation_period, buckets, userIds), budget.signal));
            return paging(buckets, start, 'live', async (b) => (await all())?.[b]);
          },
          () => paging(buckets, start, 'store', activityFromStore(this.opts.synced, { accountId: account.id, zone, period: q.aggregation_period, buckets })),
        );
        return dataAsOf ? { ...page, data_as_of: dataAsOf } : page;
      }

      if (!session.meetings) throw new BadRequestError(`${account.integration} provides no meetings to compute activity from`);
      const zone = from?.z ?? zoneLabel(requested, session.sourceZone ? await loadShared(this.sourceZones, account.id, () => session.sourceZone!(), budget.signal) : undefined);
      // meetings cannot start in the future: clipping at the end of today keeps today's id all day
      const notAfter = from ? DateTime.fromMillis(from.t!, { zone }) : nextPeriodStart(this.opts.now().setZone(zone), 'day');
      const buckets = interactionBuckets(q, zone, { granularity: 'instant', notAfter, computed: false });
      const start = from ?? { b: 0, t: notAfter.toMillis(), z: zone };
      const toRecords = (meetings: Iterable<Meeting>) => computedRecords(account.id, meetingActivity(meetings, buckets, wanted), buckets, q.aggregation_period, zone);
      const { page, dataAsOf } = await readThrough(
        { readFrom, state, range: bucketRange(buckets), nowMs, cursorSource, ...(storeCache ? { storeCache } : {}) },
        () => {
          if (buckets.length > 0) assertLiveComputedRange(buckets[0]!.start, buckets[buckets.length - 1]!.end);
          const key = ['computed', account.id, zone, q.aggregation_period, start.t, q.start_time, q.end_time, userIds?.join(',') ?? '*'].join('|');
          const meetings = session.meetings!;
          const all = () =>
            budget.within(
              loadShared(
                this.listings,
                key,
                async () => {
                  if (buckets.length === 0) return [];
                  const span = { start: buckets[0]!.start, end: buckets[buckets.length - 1]!.end };
                  return toRecords(await allVendorRecords((next) => meetings.list(span, next)));
                },
                budget.signal,
              ),
            );
          return paging(buckets, start, 'live', async (b) => (await all())?.[b]);
        },
        async () => {
          const stored = buckets.length === 0 ? [] : await storedMeetings(this.opts.synced, account.id, buckets[0]!.start.toMillis(), buckets[buckets.length - 1]!.end.toMillis());
          const records = toRecords(stored);
          return paging(buckets, start, 'store', async (b) => records[b]);
        },
      );
      return dataAsOf ? { ...page, data_as_of: dataAsOf } : page;
    } finally {
      budget.close();
    }
  }

  private async loadNative(accountId: string, native: NativeActivity, zone: string, period: AggregationPeriod, buckets: readonly Bucket[], userIds: string[] | undefined): Promise<Activity[][]> {
    if (buckets.length === 0) return [];
    const res = await native.list({ start: buckets[0]!.start, end: buckets[buckets.length - 1]!.end, period, zone, ...(userIds ? { userIds } : {}) });
    return nativeRecords(accountId, res.records, buckets, period, zone);
  }

  private async nativeZone(account: AccountRecord, session: ConnectorSession, native: NativeActivity, requested: string | undefined, budget: PageBudget): Promise<string> {
    const vendorZone = native.knownZone() ?? (session.sourceZone ? await loadShared(this.sourceZones, account.id, () => session.sourceZone!(), budget.signal) : undefined);
    if (requested !== undefined && vendorZone !== undefined && !sameZone(requested, vendorZone)) {
      throw new BadRequestError(
        `timezone: ${account.integration} reports activity only in the company time zone (${vendorZone}); omit timezone or pass "${vendorZone}"`,
      );
    }
    return zoneLabel(requested, vendorZone);
  }
}

/** Every stored meeting that started in [start, end), by the store's keyset. */
async function storedMeetings(synced: SyncedStore, accountId: string, start: number, end: number): Promise<Meeting[]> {
  const out: Meeting[] = [];
  let after: { s: string; id: string } | undefined;
  for (;;) {
    const rows = await synced.meetings(accountId, { start: new Date(start).toISOString(), end: new Date(end).toISOString(), limit: 1000, ...(after ? { after } : {}) });
    out.push(...rows.map((r) => r.record));
    if (rows.length < 1000) return out;
    const last = rows[rows.length - 1]!.record;
    after = { s: new Date(Date.parse(last.start_time)).toISOString(), id: last.id };
  }
}

export function activityRecordId(accountId: string, userId: string, period: AggregationPeriod, zone: string, bucket: Bucket): string {
  return stableId('act', [accountId, userId, period, zone, formatInstant(bucket.start), formatInstant(bucket.end)]);
}

/** A connector's draft in a bucket → the unified record, keys in the contract's order. */
export function toActivityRecord(accountId: string, d: Pick<ActivityDraft, 'user' | 'metrics' | 'additional_metrics' | 'remote_data'>, bucket: Bucket, period: AggregationPeriod, zone: string): Activity {
  return {
    id: activityRecordId(accountId, d.user.id, period, zone, bucket),
    user: d.user,
    start_time: formatInstant(bucket.start),
    end_time: formatInstant(bucket.end),
    timezone: zone,
    aggregation_period: period,
    metrics: d.metrics,
    additional_metrics: d.additional_metrics,
    ...(d.remote_data !== undefined ? { remote_data: d.remote_data } : {}),
  };
}

/** A period in which the vendor counted nothing for a user is no record (no activity, no record). */
export function hasActivity(d: Pick<ActivityDraft, 'metrics' | 'additional_metrics'>): boolean {
  return Object.values(d.metrics).some((v) => typeof v === 'number' && v !== 0) || d.additional_metrics.some((m) => m.value !== 0);
}

/** The vendor's drafts put into the listing's buckets (by period start; a total into the one bucket), each bucket by user id. */
export function nativeRecords(accountId: string, drafts: readonly ActivityDraft[], buckets: readonly Bucket[], period: AggregationPeriod, zone: string): Activity[][] {
  const out: Activity[][] = buckets.map(() => []);
  for (const d of drafts) {
    if (!hasActivity(d)) continue;
    const b = period === 'total' ? 0 : d.periodStart ? bucketIndexOf(buckets, d.periodStart.toMillis()) : -1;
    if (b < 0 || b >= buckets.length) continue;
    out[b]!.push(toActivityRecord(accountId, d, buckets[b]!, period, zone));
  }
  for (const list of out) list.sort((x, y) => (x.user.id < y.user.id ? -1 : x.user.id > y.user.id ? 1 : 0));
  return out;
}

function computedRecords(accountId: string, rows: ReturnType<typeof meetingActivity>, buckets: readonly Bucket[], period: AggregationPeriod, zone: string): Activity[][] {
  return rows.map((list, b) =>
    list.map((r) =>
      toActivityRecord(
        accountId,
        {
          user: { id: r.user.id, ...(r.user.name ? { name: r.user.name } : {}), ...(r.user.email ? { emails: [{ email: r.user.email, is_primary: true }] } : {}) },
          metrics: r.metrics,
          additional_metrics: [],
        },
        buckets[b]!,
        period,
        zone,
      ),
    ),
  );
}

function bucketRange(buckets: readonly Bucket[]): { start: number; end: number } {
  if (buckets.length === 0) return { start: Number.POSITIVE_INFINITY, end: Number.POSITIVE_INFINITY };
  return { start: buckets[0]!.start.toMillis(), end: buckets[buckets.length - 1]!.end.toMillis() };
}

export type { User };
