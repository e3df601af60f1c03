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
import { interactionBuckets, requestedZone, sameZone, zoneLabel } from './time-range.js';

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
}

export const METRICS_SOURCES = ['native', 'computed'] as const;
export type MetricsSource = (typeof METRICS_SOURCES)[number];

export interface InteractionsServiceOptions {
  accounts: AccountsService;
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

  constructor(private readonly opts: InteractionsServiceOptions) {
    this.pageBudgetMs = opts.pageBudgetMs ?? 15_000;
    const bucketCacheTtlMs = opts.bucketCacheTtlMs ?? 5 * 60 * 1000;
    this.native = new NativeInteractionsReader({ bucketCacheTtlMs });
    this.computed = new ComputedInteractionsReader({ cacheTtlMs: bucketCacheTtlMs });
  }

  async list(tenantId: string, q: ListInteractionsQuery, ctx: { signal?: AbortSignal } = {}): Promise<Page<Interaction>> {
    const requested = requestedZone(q.timezone);
    const budget = new PageBudget(this.pageBudgetMs, ctx.signal);
    try {
      const { account, session } = await this.opts.accounts.open(tenantId, q.integrated_account_id, { signal: budget.signal });
      const source = metricsSource(account, session, q.metrics_source);
      const userIds = q.user_ids ? [...new Set(q.user_ids)].sort() : undefined;
      const filters = {
        r: 'interactions',
        a: account.id,
        s: q.start_time,
        e: q.end_time,
        p: q.aggregation_period,
        tz: requested,
        u: userIds,
        m: source,
      };
      const from = q.next_cursor ? decodeBucketPosition(this.opts.cursors, q.next_cursor, filters) : undefined;
      const encode = (pos: BucketPosition) => this.opts.cursors.encode(filters, pos);

      try {
        return await this.readPage(q, { account, session, source, requested, userIds, from, budget, encode });
      } catch (e) {
        // the page's time ran out before its first bucket (learning the zone, say): come back here
        if (budget.classify(e) === 'time') return { result: [], next_cursor: encode(from ?? { b: 0 }) };
        throw e;
      }
    } finally {
      budget.close();
    }
  }

  private async readPage(
    q: ListInteractionsQuery,
    c: {
      account: AccountRecord;
      session: ConnectorSession;
      source: MetricsSource;
      requested: string | undefined;
      userIds: string[] | undefined;
      from: BucketPosition | undefined;
      budget: PageBudget;
      encode(pos: BucketPosition): string;
    },
  ): Promise<Page<Interaction>> {
    const { account, session, requested, userIds, from, budget } = c;
    const common = { accountId: account.id, period: q.aggregation_period, limit: q.limit, budget, encode: c.encode };
    if (c.source === 'computed') {
      const zone = from?.z ?? zoneLabel(requested, await this.sourceZone(account, session, budget));
      // Calls cannot start in the future; clipping at the end of today rather than at this instant
      // keeps today's bucket, and so its record id, the same all day.
      const notAfter = from?.t !== undefined ? DateTime.fromMillis(from.t, { zone }) : nextPeriodStart(this.opts.now().setZone(zone), 'day');
      return await this.computed.page({
        ...common,
        session,
        source: liveCallMetricsSource({ accountId: account.id, session, signal: budget.signal, logger: this.opts.logger }),
        zone,
        buckets: interactionBuckets(q, zone, { granularity: 'instant', notAfter, computed: true }),
        from: { ...from, b: from?.b ?? 0, t: notAfter.toMillis(), z: zone },
        ...(userIds ? { wanted: new Set(userIds) } : {}),
      });
    }

    const native = session.nativeInteractions!;
    const zone = from?.z ?? (await this.nativeZone(account, session, native, requested, budget));
    const notAfter = from?.t !== undefined ? DateTime.fromMillis(from.t, { zone }) : native.reportableUntil(this.opts.now(), zone);
    return this.native.page({
      ...common,
      native,
      zone,
      zoneRequested: requested !== undefined,
      buckets: interactionBuckets(q, zone, { granularity: native.granularity, notAfter, computed: false }),
      from: { ...from, b: from?.b ?? 0, t: notAfter.toMillis(), z: zone },
      userIds,
    });
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
