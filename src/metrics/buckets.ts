import { DateTime, IANAZone } from 'luxon';
import { calendarZone } from './calendar-zone.js';

/**
 * Calendar buckets for aggregated interaction records (CONTRACT.md "Semantics").
 * Pure: no clock is read here; callers pass `now` when they want the current-day clip.
 */

export const AGGREGATION_PERIODS = ['day', 'week', 'month', 'total'] as const;
export type AggregationPeriod = (typeof AGGREGATION_PERIODS)[number];

export interface Bucket {
  /** inclusive, in the bucket zone */
  start: DateTime;
  /** exclusive, in the bucket zone */
  end: DateTime;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// An ISO date-time; the offset is optional (absent means UTC, per CONTRACT.md).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;

export class InvalidTimeError extends Error {}

export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * Offsets real zones use are within ±14:00; ISO 8601 and java.time allow ±18:00, which is the bound
 * here. Luxon reads `+99:99` as a 100-hour offset and `+24:00` as a day, silently.
 */
export function isValidUtcOffset(hours: number, minutes: number): boolean {
  return minutes < 60 && hours * 60 + minutes <= 18 * 60;
}

/**
 * A range boundary as the contract defines it: a date alone is midnight of that day in `zone`
 * (or the first instant of that day where DST skips midnight); a date-time is the instant it names.
 */
export function parseBoundary(value: string, zone: string): DateTime {
  if (DATE_ONLY.test(value)) {
    const d = DateTime.fromISO(value, { zone });
    if (!d.isValid) throw new InvalidTimeError(`"${value}" is not a valid date`);
    return d.startOf('day');
  }
  if (DATE_TIME.test(value)) {
    const offset = /(Z|([+-])(\d{2})(?::?(\d{2}))?)$/i.exec(value.slice(10));
    if (offset?.[2] !== undefined && !isValidUtcOffset(Number(offset[3]), offset[4] === undefined ? 0 : Number(offset[4]))) {
      throw new InvalidTimeError(`"${value}" has an invalid UTC offset (at most ±18:00, minutes below 60)`);
    }
    const hasOffset = offset !== null;
    const d = DateTime.fromISO(value, { zone: 'UTC', setZone: hasOffset });
    if (!d.isValid) throw new InvalidTimeError(`"${value}" is not a valid date-time`);
    return d.setZone(zone);
  }
  throw new InvalidTimeError(`"${value}" is not an ISO 8601 date (YYYY-MM-DD) or date-time`);
}

/** Widen [start, end) to whole days of its zone, for vendors that only report by date (Gong). */
export function widenToDays(start: DateTime, end: DateTime): { start: DateTime; end: DateTime } {
  const s = start.startOf('day');
  const e0 = end.startOf('day');
  const e = e0.toMillis() === end.toMillis() ? e0 : nextPeriodStart(e0, 'day');
  return { start: s, end: e };
}

function periodUnit(period: Exclude<AggregationPeriod, 'total'>): 'day' | 'week' | 'month' {
  return period;
}

/** Start of the next calendar period after the one containing `t`, computed on the calendar, not by adding hours. */
export function nextPeriodStart(t: DateTime, period: Exclude<AggregationPeriod, 'total'>): DateTime {
  return nextPeriodStartAtStart(t, period) ?? nextPeriodStartOnCalendar(t, period);
}

/**
 * The common case, without Luxon's calendar arithmetic (most of cutting a year of days in a zone):
 * `t` is exactly the local midnight a period starts at, and the next period's local midnight has the
 * same UTC offset. Luxon's own arithmetic gives exactly this instant then (it guesses `t`'s offset
 * and keeps it when the zone confirms it). Anything else (a DST change between the two, a midnight
 * the zone skips, `t` inside a period) is undefined here and left to Luxon.
 */
function nextPeriodStartAtStart(t: DateTime, period: Exclude<AggregationPeriod, 'total'>): DateTime | undefined {
  if (t.hour !== 0 || t.minute !== 0 || t.second !== 0 || t.millisecond !== 0) return undefined;
  let wall: number;
  if (period === 'day') wall = Date.UTC(t.year, t.month - 1, t.day + 1);
  else if (period === 'week') {
    if (t.weekday !== 1) return undefined;
    wall = Date.UTC(t.year, t.month - 1, t.day + 7);
  } else {
    if (t.day !== 1) return undefined;
    wall = Date.UTC(t.year, t.month, 1);
  }
  // Date.UTC reads years 0–99 as 1900–1999
  if (t.year < 100) return undefined;
  const next = wall - t.offset * 60_000;
  if (t.zone.offset(next) !== t.offset) return undefined;
  const out = DateTime.fromMillis(next, { zone: t.zone });
  return t.locale === null || out.locale === t.locale ? out : out.setLocale(t.locale);
}

function nextPeriodStartOnCalendar(t: DateTime, period: Exclude<AggregationPeriod, 'total'>): DateTime {
  const unit = periodUnit(period);
  const start = t.startOf(unit); // luxon weeks are ISO weeks: Monday first
  const plus = unit === 'day' ? { days: 1 } : unit === 'week' ? { weeks: 1 } : { months: 1 };
  // Adding calendar units to a local midnight and re-taking startOf keeps DST days at 23 or 25 hours.
  return start.plus(plus).startOf('day');
}

/** More buckets than this in one request is refused rather than computed (about 27 years of days). */
export const MAX_BUCKETS = 10_000;
const HOUR_MS = 3_600_000;
// The shortest length each period can have (a DST day is 23 h), to bound the bucket count up front.
const MIN_PERIOD_MS: Record<Exclude<AggregationPeriod, 'total'>, number> = {
  day: 23 * HOUR_MS,
  week: 7 * 24 * HOUR_MS - HOUR_MS,
  month: 28 * 24 * HOUR_MS - HOUR_MS,
};

/** Whether [start, end) may hold more than `max` buckets of `period`, known before cutting any. */
export function exceedsBucketLimit(start: DateTime, end: DateTime, period: AggregationPeriod, max = MAX_BUCKETS): boolean {
  return period !== 'total' && (end.toMillis() - start.toMillis()) / MIN_PERIOD_MS[period] > max;
}

export interface BucketOptions {
  start: DateTime;
  end: DateTime;
  period: AggregationPeriod;
  /** the zone the calendar is cut in */
  zone: string;
  /** nothing at or after this instant is reported (the vendor cannot report the future) */
  notAfter?: DateTime;
}

/**
 * Split [start, end) into calendar buckets of `period` in `zone`, each clipped to the range and to
 * `notAfter`. Empty buckets are dropped. `total` is one bucket for the whole (clipped) range.
 */
export function buckets(opts: BucketOptions): Bucket[] {
  // the same instants in the same zone, whose offsets are remembered while the calendar is cut
  const zone = calendarZone(opts.zone);
  const start = DateTime.fromMillis(opts.start.toMillis(), { zone });
  let end = DateTime.fromMillis(opts.end.toMillis(), { zone });
  if (opts.notAfter && opts.notAfter.toMillis() < end.toMillis()) end = DateTime.fromMillis(opts.notAfter.toMillis(), { zone });
  if (end.toMillis() <= start.toMillis()) return [];
  if (opts.period === 'total') return [{ start, end }];
  const out: Bucket[] = [];
  let cur: DateTime<boolean> = start;
  while (cur.toMillis() < end.toMillis()) {
    const next = nextPeriodStart(cur, opts.period);
    const bEnd = next.toMillis() < end.toMillis() ? next : end;
    out.push({ start: cur, end: bEnd });
    cur = next;
  }
  return out;
}

/** ISO 8601 with the zone's offset at that instant; UTC is written with `Z`. */
export function formatInstant(t: DateTime): string {
  const iso = t.toISO({ suppressMilliseconds: true, includeOffset: true });
  if (iso === null) throw new InvalidTimeError('invalid instant');
  return iso.endsWith('+00:00') && t.zone.name === 'UTC' ? `${iso.slice(0, -6)}Z` : iso;
}

/** Index of the bucket containing instant `t`, or -1. Buckets are sorted and disjoint. */
export function bucketIndexOf(list: readonly Bucket[], tMillis: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = list[mid]!;
    if (tMillis < b.start.toMillis()) hi = mid - 1;
    else if (tMillis >= b.end.toMillis()) lo = mid + 1;
    else return mid;
  }
  return -1;
}
