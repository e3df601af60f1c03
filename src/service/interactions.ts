import { DateTime } from 'luxon';
import { BadRequestError } from '../domain/errors.js';
import type { Interaction } from '../domain/interaction.js';
import { nextPeriodStart, type AggregationPeriod } from '../metrics/buckets.js';
import type { ConnectorSession, NativeInteractions } from '../connectors/types.js';
import type { AccountRecord } from '../store/repositories.js';
import type { AccountsService } from './accounts.js';
import type { CursorCodec } from './cursor.js';
import { decodeBucketPosition, type BucketPosition, type Page } from './bucket-pages.js';
import { liveCallMetricsSource } from './call-metrics-source.js';
import { ComputedInteractionsReader } from './interactions-computed.js';
import { NativeInteractionsReader } from './interactions-native.js';
import { PageBudget } from './page-budget.js';
import { loadShared } from './shared-load.js';
import { TtlCache } from '../store/memory-cache.js';
import { assertLiveComputedRange, interactionBuckets, requestedZone, sameZone, zoneLabel } from './time-range.js';
import { formatInstant, type Bucket } from '../metrics/buckets.js';
import type { UserInfo } from '../metrics/aggregate.js';
import type { SyncedStore, SyncState } from '../store/synced-store.js';
import { readThrough, type Coverage, type Range, type ReadFrom } from './coverage.js';
import { computedFromStore, nativeFromStore, nativeStoreCoverage } from './store-interactions.js';
import { pageThroughBuckets } from './bucket-pages.js';
import { computedRecordIdOf } from './interactions-computed.js';
import { toRecord } from './interactions-native.js';
import type { SourcedPage } from './resources.js';

export type { Page } from './bucket-pages.js';

export interface ListInteractionsQuery {
  integrated_account_id: string;
  start_time: string;
  end_time: string;
  aggregation_period: AggregationPeriod;
  timezone?: string;
  user_ids?: string[];
  limit: number;
  next_cursor?: string;
  metrics_source?: MetricsSource;
  read_from?: ReadFrom;
}

export const METRICS_SOURCES = ['native', 'computed'] as const;
export type MetricsSource = (typeof METRICS_SOURCES)[number];

export interface InteractionsServiceOptions {
  accounts: AccountsService;
  synced: SyncedStore;
  /** store answers kept until the next sync (shared with the other read paths) */
  storePages?: TtlCache<unknown>;
  cursors: CursorCodec;
  now: () => DateTime;
  /** after this long, a page returns what it has with a cursor rather than keep the client waiting */
  pageBudgetMs?: number;
  bucketCacheTtlMs?: number;
  logger?: { warn(obj: object, msg: string): void };
}

/**
 * List Interactions: picks the read path (the vendor's own numbers, or computed from transcripts),
 * fixes the listing's zone and buckets on its first page, and hands the page to that read path with
 * the page's time budget and the client's abort signal.
 */
export class InteractionsService {
  private readonly pageBudgetMs: number;
  private readonly native: NativeInteractionsReader;
  private readonly computed: ComputedInteractionsReader;
  // A vendor's own zone may cost a request to learn: concurrent first queries of an account ask once.
  private readonly sourceZones = new TtlCache<string | undefined>(5 * 60 * 1000, 1000);

  private readonly todayEnds = new Map<string, { dayStartMs: number; end: DateTime }>();

  constructor(private readonly opts: InteractionsServiceOptions) {
    this.pageBudgetMs = opts.pageBudgetMs ?? 15_000;
    const bucketCacheTtlMs = opts.bucketCacheTtlMs ?? 5 * 60 * 1000;
    this.native = new NativeInteractionsReader({ bucketCacheTtlMs });
    this.computed = new ComputedInteractionsReader({ cacheTtlMs: bucketCacheTtlMs });
  }

  async list(tenantId: string, q: ListInteractionsQuery, ctx: { signal?: AbortSignal } = {}): Promise<SourcedPage<Interaction>> {
    const requested = requestedZone(q.timezone);
    const budget = new PageBudget(this.pageBudgetMs, ctx.signal);
    try {
      const { account, session } = await this.opts.accounts.open(tenantId, q.integrated_account_id, { ...(ctx.signal ? { signal: ctx.signal } : {}), stopSending: budget.timeUpSignal });
      const source = metricsSource(account, session, q.metrics_source);
      const userIds = q.user_ids ? [...new Set(q.user_ids)].sort() : undefined;
      const readFrom = q.read_from ?? 'auto';
      const filters = {
        r: 'interactions',
        a: account.id,
        s: q.start_time,
        e: q.end_time,
        p: q.aggregation_period,
        tz: requested,
        u: userIds,
        m: source,
        rf: readFrom,
      };
      const from = q.next_cursor ? decodeBucketPosition(this.opts.cursors, q.next_cursor, filters) : undefined;
      const cursorSource = from ? (from.src === 'store' ? 'store' : 'live') : undefined;
      const encodeAs = (src: 'store' | 'live') => (pos: BucketPosition) => this.opts.cursors.encode(filters, src === 'store' ? { ...pos, src } : pos);
      const state = await this.opts.synced.state(account.id);
      const nowMs = this.opts.now().toMillis();
      const common = { accountId: account.id, period: q.aggregation_period, limit: q.limit, budget };
      const storeCache = this.opts.storePages
        ? { cache: this.opts.storePages, key: JSON.stringify(['interactions', filters, q.next_cursor ?? null, q.limit]) }
        : undefined;

      if (source === 'computed') {
        const learnt = from?.z ?? (await budget.within(this.sourceZone(account, session, budget).then((z) => zoneLabel(requested, z))));
        // the page's time ran out before its first bucket (learning the zone): come back here
        if (learnt === undefined) return { result: [], next_cursor: encodeAs(cursorSource ?? 'live')(from ?? { b: 0 }) };
        const zone = learnt;
        // Calls cannot start in the future; clipping at the end of today rather than at this instant
        // keeps today's bucket, and so its record id, the same all day.
        const notAfter = from?.t !== undefined ? DateTime.fromMillis(from.t, { zone }) : this.endOfToday(zone);
        const buckets = interactionBuckets(q, zone, { granularity: 'instant', notAfter, computed: false });
        const start = { ...from, b: from?.b ?? 0, t: notAfter.toMillis(), z: zone };
        const { page, dataAsOf } = await readThrough(
          { readFrom, state, range: bucketRange(buckets), nowMs, cursorSource, ...(storeCache ? { storeCache } : {}) },
          () => {
            if (buckets.length > 0) assertLiveComputedRange(buckets[0]!.start, buckets[buckets.length - 1]!.end);
            return this.computed.page({
              ...common,
              encode: encodeAs('live'),
              session,
              source: liveCallMetricsSource({ accountId: account.id, session, signal: budget.signal, logger: this.opts.logger }),
              zone,
              buckets,
              from: start,
              ...(userIds ? { wanted: new Set(userIds) } : {}),
            });
          },
          async () =>
            pageThroughBuckets({
              bucketCount: buckets.length,
              from: start,
              limit: q.limit,
              encode: encodeAs('store'),
              recordsOf: computedFromStore(this.opts.synced, {
                accountId: account.id,
                buckets,
                period: q.aggregation_period,
                timezone: zone,
                recordId: computedRecordIdOf(account.id, q.aggregation_period, zone),
                users: await this.storedUsers(account.id),
                ...(userIds ? { userIds } : {}),
                limit: q.limit,
              }),
            }),
        );
        return dataAsOf ? { ...page, data_as_of: dataAsOf } : page;
      }

      const native = session.nativeInteractions!;
      const learnt = from?.z ?? (await budget.within(this.nativeZone(account, session, native, requested, budget)));
      if (learnt === undefined) return { result: [], next_cursor: encodeAs(cursorSource ?? 'live')(from ?? { b: 0 }) };
      const zone = learnt;
      const notAfter = from?.t !== undefined ? DateTime.fromMillis(from.t, { zone }) : native.reportableUntil(this.opts.now(), zone);
      const buckets = interactionBuckets(q, zone, { granularity: native.granularity, notAfter, computed: false });
      const start = { ...from, b: from?.b ?? 0, t: notAfter.toMillis(), z: zone };
      // The store holds the vendor's numbers only for the buckets a sync read: coverage is per bucket too.
      const held = readFrom === 'live' || cursorSource === 'live' ? undefined : await nativeStoreCoverage(this.opts.synced, account.id, zone, q.aggregation_period, buckets);
      const { page, dataAsOf } = await readThrough(
        {
          readFrom,
          state,
          ...(held ? { coverage: nativeCoverage(held, state, q.aggregation_period) } : {}),
          range: bucketRange(buckets),
          nowMs,
          cursorSource,
          ...(storeCache ? { storeCache } : {}),
        },
        () =>
          this.native.page({
            ...common,
            encode: encodeAs('live'),
            native,
            zone,
            zoneRequested: requested !== undefined,
            buckets,
            from: start,
            userIds,
          }),
        () =>
          pageThroughBuckets({
            bucketCount: buckets.length,
            from: start,
            limit: q.limit,
            encode: encodeAs('store'),
            ...(userIds ? { wanted: new Set(userIds) } : {}),
            recordsOf: nativeFromStore(this.opts.synced, { accountId: account.id, zone, period: q.aggregation_period, buckets }, (d, bucket) =>
              toRecord(account.id, d, bucket, q.aggregation_period, zone),
            ),
          }),
      );
      return dataAsOf ? { ...page, data_as_of: dataAsOf } : page;
    } finally {
      budget.close();
    }
  }

  /**
   * The end of today in `zone` (where computed buckets are clipped), kept per zone until the day
   * turns: a warm read cuts no calendar. Bounded by the number of IANA zones (names are canonical).
   */
  private endOfToday(zone: string): DateTime {
    const nowMs = this.opts.now().toMillis();
    const known = this.todayEnds.get(zone);
    if (known && nowMs >= known.dayStartMs && nowMs < known.end.toMillis()) return known.end;
    const dayStart = DateTime.fromMillis(nowMs, { zone }).startOf('day');
    const end = nextPeriodStart(dayStart, 'day');
    this.todayEnds.set(zone, { dayStartMs: dayStart.toMillis(), end });
    return end;
  }

  /** Names and emails of the synced users, for records computed from the store. */
  private async storedUsers(accountId: string): Promise<Map<string, UserInfo>> {
    const out = new Map<string, UserInfo>();
    for (const [id, u] of await this.opts.synced.userDirectory(accountId)) out.set(id, { ...(u.name ? { name: u.name } : {}), emails: u.emails });
    return out;
  }

  /**
   * The zone of a native listing, learnt before any bucket is cut: a vendor that reports only in its
   * company zone is asked for that zone first (a new account's first query may well start on a day
   * without data, whose answer names no zone), and another requested zone is a 400.
   */
  private async nativeZone(
    account: AccountRecord,
    session: ConnectorSession,
    native: NativeInteractions,
    requested: string | undefined,
    budget: PageBudget,
  ): Promise<string> {
    const vendorZone = native.knownZone() ?? (native.zone === 'company' ? await this.sourceZone(account, session, budget) : undefined);
    if (native.zone === 'company' && requested !== undefined && vendorZone !== undefined && !sameZone(requested, vendorZone)) {
      throw new BadRequestError(
        `timezone: ${account.integration} reports interaction stats only in the company time zone (${vendorZone}); omit timezone or pass "${vendorZone}"`,
      );
    }
    return zoneLabel(requested, vendorZone);
  }

  private async sourceZone(account: AccountRecord, session: ConnectorSession, budget: PageBudget): Promise<string | undefined> {
    if (!session.sourceZone) return undefined;
    return loadShared(this.sourceZones, account.id, () => session.sourceZone!(), budget.signal);
  }
}

/** The instants a bucket list spans (empty: nothing to cover). */
function bucketRange(buckets: readonly Bucket[]): Range {
  if (buckets.length === 0) return { start: Number.POSITIVE_INFINITY, end: Number.POSITIVE_INFINITY };
  return { start: buckets[0]!.start.toMillis(), end: buckets[buckets.length - 1]!.end.toMillis() };
}

/** A native read is covered when the store holds every one of its buckets, as of the last run. */
function nativeCoverage(held: { covered: true } | { covered: false; missing: Bucket | undefined }, state: SyncState | undefined, period: AggregationPeriod): Coverage {
  const asOf = state?.dataAsOf ?? state?.syncedThrough;
  if (held.covered && asOf) return { covered: true, dataAsOf: asOf };
  if (!asOf) return { covered: false, why: 'this account has not completed a sync yet' };
  return { covered: false, why: nativeGap(held.covered ? undefined : held.missing, period) };
}

/** Why the store cannot answer a native read: it lacks one of its buckets. */
function nativeGap(missing: Bucket | undefined, period: AggregationPeriod): string {
  if (period === 'total') return 'the store keeps the vendor\'s own numbers per day, week and month, and a total over a range cannot be cut from them';
  const which = missing ? `the ${period} bucket starting ${formatInstant(missing.start)}` : `some ${period} buckets`;
  return `the store has not synced ${which} (it keeps the vendor's own numbers for whole buckets a sync read)`;
}

function metricsSource(account: AccountRecord, session: ConnectorSession, asked: MetricsSource | undefined): MetricsSource {
  const native = session.nativeInteractions;
  const canCompute = Boolean(session.conversations || (session.meetings && session.transcripts));
  const source: MetricsSource = asked ?? (native?.reportsAllStandardMetrics ? 'native' : canCompute ? 'computed' : 'native');
  if (source === 'native' && !native) {
    throw new BadRequestError(`metrics_source: ${account.integration} does not report interaction metrics itself; use metrics_source=computed`);
  }
  if (source === 'computed' && !canCompute) {
    throw new BadRequestError(`metrics_source: ${account.integration} provides no timed transcripts to compute metrics from; use metrics_source=native`);
  }
  return source;
}
