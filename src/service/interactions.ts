import { DateTime } from 'luxon';
import { BadRequestError } from '../domain/errors.js';
import type { Interaction } from '../domain/interaction.js';
import { stableId } from '../domain/ids.js';
import {
  buckets as cutBuckets,
  exceedsBucketLimit,
  MAX_BUCKETS,
  nextPeriodStart,
  InvalidTimeError,
  isValidZone,
  formatInstant,
  parseBoundary,
  widenToDays,
  type AggregationPeriod,
  type Bucket,
} from '../metrics/buckets.js';
import type { Conversation, ConnectorSession, InteractionDraft, NativeInteractions } from '../connectors/types.js';
import type { AccountRecord } from '../store/repositories.js';
import type { User } from '../domain/resources.js';
import { InteractionAggregator, parseCall, type UserInfo } from '../metrics/index.js';
import { meetingToCall } from '../metrics/from-unified.js';
import { allVendorRecords } from './paging.js';
import { TtlCache } from '../store/memory-cache.js';
import type { AccountsService } from './accounts.js';
import type { CursorCodec } from './cursor.js';

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

export interface Page<T> {
  result: T[];
  next_cursor: string | null;
}

interface Position extends Record<string, unknown> {
  b: number;
  o: number;
}

export interface InteractionsServiceOptions {
  accounts: AccountsService;
  cursors: CursorCodec;
  now?: () => DateTime;
  /** after this long, a page returns what it has with a cursor rather than keep the client waiting */
  pageBudgetMs?: number;
  bucketCacheTtlMs?: number;
  logger?: { warn(obj: object, msg: string): void };
}

/** Two zone names that denote the same rules ("US/Pacific" and "America/Los_Angeles"). */
function sameZone(a: string, b: string): boolean {
  if (a === b) return true;
  const canon = (z: string) => new Intl.DateTimeFormat('en-US', { timeZone: z }).resolvedOptions().timeZone;
  return canon(a) === canon(b);
}

export class InteractionsService {
  private readonly now: () => DateTime;
  private readonly pageBudgetMs: number;
  // A client paging with a small limit must not make us ask the vendor for the same bucket again.
  private readonly bucketCache: TtlCache<Interaction[]>;
  // Computed records of a whole query, so the pages of one listing are cut from one computation.
  private readonly computedCache: TtlCache<Interaction[]>;
  private readonly usersCache = new TtlCache<Map<string, UserInfo>>(60 * 60 * 1000, 500);

  constructor(private readonly opts: InteractionsServiceOptions) {
    this.now = opts.now ?? (() => DateTime.utc());
    this.pageBudgetMs = opts.pageBudgetMs ?? 15_000;
    this.bucketCache = new TtlCache(opts.bucketCacheTtlMs ?? 5 * 60 * 1000, 2000);
    this.computedCache = new TtlCache(opts.bucketCacheTtlMs ?? 5 * 60 * 1000, 200);
  }

  async list(tenantId: string, q: ListInteractionsQuery): Promise<Page<Interaction>> {
    if (q.timezone !== undefined && !isValidZone(q.timezone)) {
      throw new BadRequestError(`timezone: "${q.timezone}" is not an IANA time zone (e.g. "Europe/Berlin")`);
    }
    const { account, session } = await this.opts.accounts.open(tenantId, q.integrated_account_id);
    const native = session.nativeInteractions;
    const canCompute = Boolean(session.conversations || (session.meetings && session.transcripts));
    const source: MetricsSource = q.metrics_source ?? (native?.reportsAllStandardMetrics ? 'native' : canCompute ? 'computed' : 'native');
    if (source === 'native' && !native) {
      throw new BadRequestError(`metrics_source: ${account.integration} does not report interaction metrics itself; use metrics_source=computed`);
    }
    if (source === 'computed' && !canCompute) {
      throw new BadRequestError(`metrics_source: ${account.integration} provides no timed transcripts to compute metrics from; use metrics_source=native`);
    }
    const userIds = q.user_ids ? [...new Set(q.user_ids)].sort() : undefined;
    const filters = {
      r: 'interactions',
      a: account.id,
      s: q.start_time,
      e: q.end_time,
      p: q.aggregation_period,
      tz: q.timezone,
      u: userIds,
      m: source,
    };
    if (source === 'computed') return this.listComputed(account, session, q, userIds, filters);
    const nativeSource = native!;
    const pos = q.next_cursor ? this.opts.cursors.decode<Position>(q.next_cursor, filters) : { b: 0, o: 0 };
    if (!Number.isInteger(pos.b) || !Number.isInteger(pos.o) || pos.b < 0 || pos.o < 0) {
      throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
    }

    // The vendor's zone may be unknown until its first answer; then cut again in the zone it named.
    const prefetched = new Map<string, InteractionDraft[]>();
    for (let attempt = 0; ; attempt++) {
      const known = nativeSource.knownZone();
      if (nativeSource.zone === 'company' && q.timezone && known && !sameZone(q.timezone, known)) {
        throw new BadRequestError(
          `timezone: ${account.integration} reports interaction stats only in the company time zone (${known}); omit timezone or pass "${known}"`,
        );
      }
      const zone = q.timezone ?? known ?? 'UTC';
      const list = this.bucketsFor(q, zone, nativeSource.granularity, nativeSource.reportableUntil(this.now(), zone));
      const page = await this.assemble(account.id, q, list, pos, zone, nativeSource, userIds, attempt === 0 && !known, filters, prefetched);
      if (page !== 'zone-changed') return page;
    }
  }

  private bucketsFor(q: ListInteractionsQuery, zone: string, granularity: 'day' | 'instant', notAfter: DateTime): Bucket[] {
    let start: DateTime;
    let end: DateTime;
    try {
      start = parseBoundary(q.start_time, zone);
    } catch (e) {
      throw new BadRequestError(`start_time: ${(e as InvalidTimeError).message}`);
    }
    try {
      end = parseBoundary(q.end_time, zone);
    } catch (e) {
      throw new BadRequestError(`end_time: ${(e as InvalidTimeError).message}`);
    }
    if (start.toMillis() >= end.toMillis()) {
      throw new BadRequestError('start_time must be before end_time (the range is [start_time, end_time))');
    }
    if (granularity === 'day') ({ start, end } = widenToDays(start, end));
    if (exceedsBucketLimit(start, end, q.aggregation_period)) {
      throw new BadRequestError(
        `aggregation_period: the range has more than ${MAX_BUCKETS} ${q.aggregation_period} buckets; use a longer period or a shorter range`,
      );
    }
    return cutBuckets({ start, end, period: q.aggregation_period, zone, notAfter });
  }

  private async assemble(
    accountId: string,
    q: ListInteractionsQuery,
    list: Bucket[],
    pos: Position,
    zone: string,
    native: NativeInteractions,
    userIds: string[] | undefined,
    zoneUnconfirmed: boolean,
    filters: object,
    prefetched: Map<string, InteractionDraft[]>,
  ): Promise<Page<Interaction> | 'zone-changed'> {
    const out: Interaction[] = [];
    let { b, o } = pos;
    const started = Date.now();
    while (b < list.length && out.length < q.limit) {
      if (Date.now() - started > this.pageBudgetMs) break;
      const bucket = list[b]!;
      const key = [accountId, zone, q.aggregation_period, bucket.start.toMillis(), bucket.end.toMillis(), userIds?.join(',') ?? '*'].join('|');
      let records = this.bucketCache.get(key);
      if (!records) {
        // A date-granular vendor's answer depends only on the bucket's dates: an answer fetched
        // while the zone was still provisional serves the same dates in the learnt zone.
        const dates = native.granularity === 'day' ? `${bucket.start.toISODate()}|${bucket.end.toISODate()}` : undefined;
        let drafts = dates ? prefetched.get(dates) : undefined;
        if (!drafts) {
          const res = await native.listBucket({ start: bucket.start, end: bucket.end, period: q.aggregation_period, zone, userIds });
          if (zoneUnconfirmed && res.zone && !sameZone(res.zone, zone)) {
            if (q.timezone && native.zone === 'company') {
              throw new BadRequestError(
                `timezone: this account reports interaction stats only in the company time zone (${res.zone}); omit timezone or pass "${res.zone}"`,
              );
            }
            if (dates) prefetched.set(dates, res.records);
            return 'zone-changed';
          }
          drafts = res.records;
        }
        zoneUnconfirmed = false;
        const label = q.timezone ?? zone;
        records = drafts
          .map((d) => this.toRecord(accountId, d, bucket, q.aggregation_period, label))
          .sort((x, y) => (x.user.id < y.user.id ? -1 : x.user.id > y.user.id ? 1 : 0));
        this.bucketCache.set(key, records);
      }
      const take = records.slice(o, o + (q.limit - out.length));
      out.push(...take);
      o += take.length;
      if (o >= records.length) {
        b += 1;
        o = 0;
      }
    }
    return {
      result: out,
      next_cursor: b < list.length ? this.opts.cursors.encode(filters, { b, o }) : null,
    };
  }

  /**
   * Interactions computed by the metrics engine from the vendor's meetings and timed transcripts.
   * The whole query is computed once (memory grows with users × buckets), then cut into pages.
   */
  private async listComputed(
    account: AccountRecord,
    session: ConnectorSession,
    q: ListInteractionsQuery,
    userIds: string[] | undefined,
    filters: Record<string, unknown>,
  ): Promise<Page<Interaction>> {
    const pos = q.next_cursor ? this.opts.cursors.decode<{ o: number }>(q.next_cursor, filters) : { o: 0 };
    if (!Number.isInteger(pos.o) || pos.o < 0) {
      throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
    }
    const zone = q.timezone ?? (await session.sourceZone?.()) ?? 'UTC';
    // Calls cannot start in the future; clipping at the end of today rather than at this instant
    // keeps today's bucket, and so its record id, the same all day.
    const list = this.bucketsFor(q, zone, 'instant', nextPeriodStart(this.now().setZone(zone), 'day'));
    const key = JSON.stringify([account.id, zone, filters]);
    const records = await this.computedCache.getOrLoad(key, async () => {
      if (list.length === 0) return [];
      const users = await this.userInfo(account.id, session);
      const aggregator = new InteractionAggregator({
        buckets: list,
        period: q.aggregation_period,
        timezone: zone,
        recordId: (userId, b) =>
          stableId('int', [account.id, userId, q.aggregation_period, zone, formatInstant(b.start), formatInstant(b.end), 'computed']),
        users,
      });
      const wanted = userIds ? new Set(userIds) : undefined;
      for await (const conv of this.conversations(session, list[0]!.start, list[list.length - 1]!.end)) {
        const call = meetingToCall(conv.meeting, conv.transcript);
        if (!call) continue;
        // a vendor record the engine cannot read is skipped and logged, never a 500
        try {
          aggregator.add(parseCall(call));
        } catch (e) {
          this.opts.logger?.warn({ meeting: conv.meeting.id, problem: (e as Error).message }, 'meeting skipped for computed metrics');
        }
      }
      return aggregator.records().filter((r) => !wanted || wanted.has(r.user.id));
    });
    const result = records.slice(pos.o, pos.o + q.limit);
    const o = pos.o + result.length;
    return { result, next_cursor: o < records.length ? this.opts.cursors.encode(filters, { o }) : null };
  }

  private async *conversations(session: ConnectorSession, start: DateTime, end: DateTime): AsyncIterable<Conversation> {
    if (session.conversations) {
      yield* session.conversations({ start, end });
      return;
    }
    const meetings = session.meetings!;
    const transcripts = session.transcripts!;
    for (const meeting of await allVendorRecords((next) => meetings.list({ start, end }, next))) {
      yield { meeting, transcript: await transcripts.forMeeting(meeting.id) };
    }
  }

  private async userInfo(accountId: string, session: ConnectorSession): Promise<Map<string, UserInfo> | undefined> {
    const users = session.users;
    if (!users) return undefined;
    return this.usersCache.getOrLoad(accountId, async () => {
      const all: User[] = await allVendorRecords((next) => users.list(next));
      return new Map(all.map((u) => [u.id, { ...(u.name ? { name: u.name } : {}), emails: u.emails }]));
    });
  }

  /**
   * A connector's draft → the unified record, keys in the contract's order. The bucket times, zone
   * label and period are the service's own; the id is derived from them, so it stays the same for
   * the same account, user, period, zone and bucket.
   */
  private toRecord(accountId: string, d: InteractionDraft, bucket: Bucket, period: AggregationPeriod, timezoneLabel: string): Interaction {
    const start_time = formatInstant(bucket.start);
    const end_time = formatInstant(bucket.end);
    return {
      id: stableId('int', [accountId, d.user.id, period, timezoneLabel, start_time, end_time]),
      user: d.user,
      start_time,
      end_time,
      timezone: timezoneLabel,
      aggregation_period: period,
      metrics: d.metrics,
      additional_metrics: d.additional_metrics,
      ...(d.created_at !== undefined ? { created_at: d.created_at } : {}),
      ...(d.updated_at !== undefined ? { updated_at: d.updated_at } : {}),
      ...(d.remote_data !== undefined ? { remote_data: d.remote_data } : {}),
    };
  }
}
