import { DateTime } from 'luxon';
import { BadRequestError } from '../domain/errors.js';
import {
  buckets as cutBuckets,
  exceedsBucketLimit,
  InvalidTimeError,
  isValidZone,
  MAX_BUCKETS,
  parseBoundary,
  widenToDays,
  type AggregationPeriod,
  type Bucket,
} from '../metrics/buckets.js';

/**
 * What a read path may ask a vendor for. A range is clipped to what can exist before any vendor is
 * asked: nothing before the floor (no recorder Parley connects to existed then), nothing after now.
 * A client may send 0001-01-01..9999-12-31; a vendor (or a simulator generating data per day) never
 * sees it.
 */

/** The earliest date any read path asks a vendor about, as a calendar date of the request's zone. */
export const EARLIEST_DATE = '2010-01-01';

/** Live computed work is bounded: a longer (clipped) range is refused, naming this cap. */
export const MAX_COMPUTED_DAYS = 366;

/** The floor as an instant: midnight starting EARLIEST_DATE in `zone`. */
export function earliestInstant(zone: string): DateTime {
  return DateTime.fromISO(EARLIEST_DATE, { zone });
}

/**
 * One name per zone: case and aliases resolved the way the runtime's ICU does ("utc" and "Etc/UTC"
 * are "UTC", "US/Pacific" is "America/Los_Angeles"), so one bucket never gets two ids.
 */
export function canonicalZone(zone: string): string {
  let name = canonicalNames.get(zone);
  if (name === undefined) {
    name = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    // bounded by the zones (and their spellings) clients use; a name is valid once it got here
    if (canonicalNames.size >= 2000) canonicalNames.clear();
    canonicalNames.set(zone, name);
  }
  return name;
}
const canonicalNames = new Map<string, string>();

/** Two zone names that denote the same rules ("US/Pacific" and "America/Los_Angeles"). */
export function sameZone(a: string, b: string): boolean {
  return a === b || canonicalZone(a) === canonicalZone(b);
}

/** A client's `timezone`, validated and canonical; 400 when it is no IANA zone. */
export function requestedZone(timezone: string | undefined): string | undefined {
  if (timezone === undefined) return undefined;
  if (!canonicalNames.has(timezone) && !isValidZone(timezone)) throw new BadRequestError(`timezone: "${timezone}" is not an IANA time zone (e.g. "Europe/Berlin")`);
  return canonicalZone(timezone);
}

/**
 * The zone records are cut in and labelled with (CONTRACT.md `timezone`): the vendor's own name for
 * its zone when the request means that zone (or names none), else the request's canonical name.
 */
export function zoneLabel(requested: string | undefined, vendorZone: string | undefined): string {
  if (requested === undefined) return vendorZone ?? 'UTC';
  return vendorZone !== undefined && sameZone(requested, vendorZone) ? vendorZone : requested;
}

function boundary(value: string, zone: string, name: string): DateTime {
  try {
    return parseBoundary(value, zone);
  } catch (e) {
    throw new BadRequestError(`${name}: ${(e as InvalidTimeError).message}`);
  }
}

/** [start_time, end_time) read in `zone`; 400 naming the parameter when unreadable or reversed. */
export function parseRange(startTime: string, endTime: string, zone: string): { start: DateTime; end: DateTime } {
  const start = boundary(startTime, zone, 'start_time');
  const end = boundary(endTime, zone, 'end_time');
  if (start.toMillis() >= end.toMillis()) {
    throw new BadRequestError('start_time must be before end_time (the range is [start_time, end_time))');
  }
  return { start, end };
}

/** Optional bounds of a listing (meetings), clipped to [floor, notAfter]; `empty` when nothing can exist. */
export function clipListingRange(
  startTime: string | undefined,
  endTime: string | undefined,
  notAfter: DateTime,
): { start?: DateTime; end?: DateTime; empty: boolean } {
  let start = startTime === undefined ? undefined : boundary(startTime, 'UTC', 'start_time');
  let end = endTime === undefined ? undefined : boundary(endTime, 'UTC', 'end_time');
  if (start && end && start.toMillis() >= end.toMillis()) {
    throw new BadRequestError('start_time must be before end_time (the range is [start_time, end_time))');
  }
  const floor = earliestInstant('UTC');
  if (start && start < floor) start = floor;
  if (end && end > notAfter) end = notAfter;
  const empty = (end !== undefined && end <= floor) || (start !== undefined && start >= notAfter) || (start !== undefined && end !== undefined && start >= end);
  return { ...(start ? { start } : {}), ...(end ? { end } : {}), empty };
}

export interface BucketRequest {
  start_time: string;
  end_time: string;
  aggregation_period: AggregationPeriod;
}

/**
 * The calendar buckets of an Interactions query in `zone`: date-times widened to whole days for a
 * day-granular vendor, the range clipped to the floor and to `notAfter`, bucket count bounded, and
 * for computed metrics the clipped range bounded to MAX_COMPUTED_DAYS.
 */
export function interactionBuckets(
  q: BucketRequest,
  zone: string,
  opts: { granularity: 'day' | 'instant'; notAfter: DateTime; computed: boolean },
): Bucket[] {
  // Cutting a year of days in a zone is most of a warm store read's work: the same query (a
  // dashboard refreshing) gets the same buckets, so they are kept (immutable DateTimes).
  const key = [q.start_time, q.end_time, q.aggregation_period, zone, opts.granularity, opts.notAfter.toMillis(), opts.computed].join('|');
  const known = bucketLists.get(key);
  if (known) {
    bucketLists.delete(key);
    bucketLists.set(key, known);
    return known;
  }
  const list = cutInteractionBuckets(q, zone, opts);
  bucketLists.set(key, list);
  if (bucketLists.size > MAX_BUCKET_LISTS) bucketLists.delete(bucketLists.keys().next().value as string);
  return list;
}

const MAX_BUCKET_LISTS = 500;
const bucketLists = new Map<string, Bucket[]>();

function cutInteractionBuckets(
  q: BucketRequest,
  zone: string,
  opts: { granularity: 'day' | 'instant'; notAfter: DateTime; computed: boolean },
): Bucket[] {
  let { start, end } = parseRange(q.start_time, q.end_time, zone);
  if (opts.granularity === 'day') ({ start, end } = widenToDays(start, end));
  const floor = earliestInstant(zone);
  if (start < floor) start = floor;
  if (end > opts.notAfter) end = opts.notAfter.setZone(zone);
  if (end <= start) return [];
  if (opts.computed) assertLiveComputedRange(start, end);
  if (exceedsBucketLimit(start, end, q.aggregation_period)) {
    throw new BadRequestError(
      `aggregation_period: the range has more than ${MAX_BUCKETS} ${q.aggregation_period} buckets; use a longer period or a shorter range`,
    );
  }
  return cutBuckets({ start, end, period: q.aggregation_period, zone });
}

/** Live computed work is bounded (the synced store is not: it answers any range it covers). */
export function assertLiveComputedRange(start: DateTime, end: DateTime): void {
  if (end.diff(start, 'days').days > MAX_COMPUTED_DAYS) {
    throw new BadRequestError(
      `start_time, end_time: computed metrics read live from the vendor cover at most ${MAX_COMPUTED_DAYS} days per query (this range has ${Math.ceil(end.diff(start, 'days').days)} days up to now); split the range, or read a synced range from the store (read_from=auto or store)`,
    );
  }
}
