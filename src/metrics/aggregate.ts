import type { DateTime } from 'luxon';
import { ExactSum } from './exact-sum.js';
import { stableId } from '../domain/ids.js';
import type { AdditionalMetric, Interaction, InteractionMetrics } from '../domain/interaction.js';
import { type AggregationPeriod, type Bucket, bucketIndexOf, buckets, formatInstant } from './buckets.js';
import { type NormalizedCall, startedAtMillis } from './call.js';
import { computeCallMetrics, type UserCallMetrics } from './call-metrics.js';

/**
 * Per user and period (METRICS.md): each metric of a record is the arithmetic mean over the user's
 * calls in the bucket where it is defined. Only sums and counts are kept per (user, bucket), so memory
 * grows with users × buckets and never with utterances or calls.
 */

export interface UserInfo {
  name?: string;
  emails?: { email: string; is_primary: boolean }[];
}

/**
 * The metrics of one internal user in one call: the unit computed metrics are aggregated from. Kept
 * per (call, user) so that any zone's buckets can be built from them later (a synced store keeps
 * these rows and aggregates them at read time).
 */
export interface CallMetricsRow {
  call_id: string;
  user_id: string;
  /** epoch ms; decides the bucket */
  started_at: number;
  metrics: UserCallMetrics;
}

/** One row per internal user of the call with at least one valid utterance (METRICS.md "Per call"). */
export function callMetricsRows(call: NormalizedCall): CallMetricsRow[] {
  const started_at = startedAtMillis(call);
  const computed = computeCallMetrics(call);
  return [...computed.users].map(([user_id, metrics]) => ({ call_id: computed.call_id, user_id, started_at, metrics }));
}

/** The id of the record of `userId` in `bucket`. */
export type RecordIdFn = (userId: string, bucket: Bucket) => string;

export interface InteractionAggregatorOptions {
  buckets: readonly Bucket[];
  period: AggregationPeriod;
  /** the zone label written to every record (the zone the buckets were cut in) */
  timezone: string;
  recordId: RecordIdFn;
  /** name and emails per user id, when the caller knows them */
  users?: ReadonlyMap<string, UserInfo>;
}

/** The default id of a computed record: stable for the same user, period, zone and bucket. */
export function computedRecordId(userId: string, period: AggregationPeriod, timezone: string, bucket: Bucket): string {
  return stableId('int', ['computed', userId, period, timezone, formatInstant(bucket.start), formatInstant(bucket.end)]);
}

/** Metric keys in record order; talk_ratio goes to additional_metrics. */
const METRIC_KEYS = [
  'longest_monologue',
  'longest_customer_story',
  'interactivity',
  'patience',
  'question_rate',
] as const satisfies readonly (keyof InteractionMetrics & keyof UserCallMetrics)[];

/**
 * Per-call rows as columns (the store keeps a day's rows packed so; thousands a page, no object per
 * row): row i is user `users[userIndex[i]]`, start `startedAt[i]` (epoch ms), and `metrics[k][i]`
 * for k over METRIC_KEYS then talk ratio, NaN where the call leaves one undefined.
 */
export interface CallMetricsColumns {
  n: number;
  users: readonly string[];
  startedAt: Float64Array;
  metrics: readonly Float64Array[];
  userIndex: Uint32Array;
}

/** Sums and counts of one user in one bucket. */
class UserBucketTotals {
  calls = 0;
  // exact sums: the mean does not depend on the order calls arrive in (vendor order, store order)
  readonly sum = METRIC_KEYS.map(() => new ExactSum());
  readonly defined = new Int32Array(METRIC_KEYS.length);
  readonly talkRatioSum = new ExactSum();
  talkRatioDefined = 0;

  add(m: UserCallMetrics): void {
    this.calls++;
    for (let i = 0; i < METRIC_KEYS.length; i++) this.addValue(i, m[METRIC_KEYS[i]!]);
    this.addTalkRatio(m.talk_ratio);
  }

  /** Row `i` of columns; the longest monologue and story are always defined (0 when the store has none). */
  addColumnsAt(m: readonly Float64Array[], i: number): void {
    this.calls++;
    const monologue = m[0]![i]!;
    const story = m[1]![i]!;
    this.addValue(0, Number.isNaN(monologue) ? 0 : monologue);
    this.addValue(1, Number.isNaN(story) ? 0 : story);
    for (let k = 2; k < METRIC_KEYS.length; k++) {
      const v = m[k]![i]!;
      if (!Number.isNaN(v)) this.addValue(k, v);
    }
    const talk = m[METRIC_KEYS.length]![i]!;
    if (!Number.isNaN(talk)) this.addTalkRatio(talk);
  }

  private addValue(i: number, v: number | undefined): void {
    if (v !== undefined) {
      this.sum[i]!.add(v);
      this.defined[i]!++;
    }
  }

  private addTalkRatio(v: number | undefined): void {
    if (v !== undefined) {
      this.talkRatioSum.add(v);
      this.talkRatioDefined++;
    }
  }
}

/** The order of `CallMetricsColumns.metrics`. */
export const COLUMN_ORDER = [...METRIC_KEYS, 'talk_ratio'] as const;

/** Values are reported with 3 decimals (METRICS.md). */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export class InteractionAggregator {
  private readonly opts: InteractionAggregatorOptions;
  /** per bucket index: user id → totals */
  private readonly totals: Map<string, UserBucketTotals>[];
  private readonly first: number;
  private readonly last: number;

  constructor(opts: InteractionAggregatorOptions) {
    this.opts = opts;
    this.totals = opts.buckets.map(() => new Map());
    const n = opts.buckets.length;
    this.first = n > 0 ? opts.buckets[0]!.start.toMillis() : 0;
    this.last = n > 0 ? opts.buckets[n - 1]!.end.toMillis() : 0;
  }

  /** Index of the bucket containing `startedAtMs`, or -1 when the call is outside every bucket. */
  bucketOf(startedAtMs: number): number {
    if (!(startedAtMs >= this.first && startedAtMs < this.last)) return -1;
    return bucketIndexOf(this.opts.buckets, startedAtMs);
  }

  /** Add one call: its metrics are computed only when it falls into a bucket. Returns whether it did. */
  add(call: NormalizedCall): boolean {
    const b = this.bucketOf(startedAtMillis(call));
    if (b < 0) return false;
    this.addToBucket(b, callMetricsRows(call));
    return true;
  }

  /** Add per-call rows, each to the bucket containing its start; rows outside every bucket are left out. */
  addRows(rows: Iterable<Pick<CallMetricsRow, 'user_id' | 'started_at' | 'metrics'>>): void {
    for (const row of rows) {
      const b = this.bucketOf(row.started_at);
      if (b >= 0) this.totalsOf(b, row.user_id).add(row.metrics);
    }
  }

  /** `addRows` for rows kept as columns; only the users in `wanted`, when given. */
  addColumns(cols: CallMetricsColumns, wanted?: ReadonlySet<string>): void {
    const take = wanted ? cols.users.map((u) => wanted.has(u)) : undefined;
    for (let i = 0; i < cols.n; i++) {
      const u = cols.userIndex[i]!;
      if (take && !take[u]) continue;
      const b = this.bucketOf(cols.startedAt[i]!);
      if (b >= 0) this.totalsOf(b, cols.users[u]!).addColumnsAt(cols.metrics, i);
    }
  }

  private totalsOf(index: number, userId: string): UserBucketTotals {
    const totals = this.totals[index]!;
    let t = totals.get(userId);
    if (t === undefined) {
      t = new UserBucketTotals();
      totals.set(userId, t);
    }
    return t;
  }

  /** Add per-call rows (already known to fall into bucket `index`) to that bucket's totals. */
  addToBucket(index: number, rows: Iterable<Pick<CallMetricsRow, 'user_id' | 'metrics'>>): void {
    if (this.totals[index] === undefined) throw new RangeError(`no bucket ${index}`);
    for (const { user_id, metrics } of rows) this.totalsOf(index, user_id).add(metrics);
  }

  /** One record per user per bucket with at least one call, by start_time then user id. */
  records(): Interaction[] {
    return this.opts.buckets.flatMap((_, b) => this.bucketRecords(b));
  }

  /** The records of bucket `index` (one per user with at least one call there), by user id. */
  bucketRecords(index: number): Interaction[] {
    const bucket = this.opts.buckets[index];
    const totals = this.totals[index];
    if (bucket === undefined || totals === undefined) throw new RangeError(`no bucket ${index}`);
    const { period, timezone, recordId, users } = this.opts;
    const start_time = formatInstant(bucket.start);
    const end_time = formatInstant(bucket.end);
    // Plain code-unit order, as the list contract orders by user.id (not locale-aware).
    const ids = [...totals.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    return ids.map((userId) => {
      const t = totals.get(userId)!;
      const metrics: InteractionMetrics = {};
      for (let i = 0; i < METRIC_KEYS.length; i++) {
        if (t.defined[i]! > 0) metrics[METRIC_KEYS[i]!] = round3(t.sum[i]!.value() / t.defined[i]!);
      }
      const additional: AdditionalMetric[] = [];
      if (t.talkRatioDefined > 0) additional.push({ name: 'talk_ratio', value: round3(t.talkRatioSum.value() / t.talkRatioDefined) });
      additional.push({ name: 'call_count', value: t.calls });
      const info = users?.get(userId);
      const user: Interaction['user'] = { id: userId };
      if (info?.name !== undefined) user.name = info.name;
      if (info?.emails !== undefined) user.emails = info.emails;
      return {
        id: recordId(userId, bucket),
        user,
        start_time,
        end_time,
        timezone,
        aggregation_period: period,
        metrics,
        additional_metrics: additional,
      };
    });
  }
}

export interface ComputeInteractionsOptions {
  /** inclusive range start */
  start: DateTime;
  /** exclusive range end */
  end: DateTime;
  period: AggregationPeriod;
  /** IANA zone the buckets are cut in; also the records' `timezone` */
  timezone: string;
  /** clip the buckets at this instant (e.g. now); by default they are not clipped */
  notAfter?: DateTime;
  /** record ids; default `computedRecordId` */
  recordId?: RecordIdFn;
  users?: ReadonlyMap<string, UserInfo>;
}

/** An aggregator over the buckets of [start, end), for callers that receive calls one at a time. */
export function interactionAggregator(opts: ComputeInteractionsOptions): InteractionAggregator {
  const list = buckets({ start: opts.start, end: opts.end, period: opts.period, zone: opts.timezone, notAfter: opts.notAfter });
  return new InteractionAggregator({
    buckets: list,
    period: opts.period,
    timezone: opts.timezone,
    recordId: opts.recordId ?? ((userId, bucket) => computedRecordId(userId, opts.period, opts.timezone, bucket)),
    users: opts.users,
  });
}

/** Compute unified Interactions records from normalized calls over [start, end). */
export function computeInteractions(calls: Iterable<NormalizedCall>, opts: ComputeInteractionsOptions): Interaction[] {
  const aggregator = interactionAggregator(opts);
  for (const call of calls) aggregator.add(call);
  return aggregator.records();
}
