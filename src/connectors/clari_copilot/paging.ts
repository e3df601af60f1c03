import type { z } from 'zod';
import { DateTime } from 'luxon';
import { BadRequestError, RemoteError } from '../../domain/errors.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { parseVendorBody } from '../vendor-body.js';
import { ClariCallsPage, type ClariCall } from './schemas.js';

/**
 * GET /calls — https://api-doc.copilot.clari.com/#tag/call/paths/~1calls/get
 *
 * Offset paging: `skip` (max 10000) and `limit` (max 100); the answer's `pagination` says
 * `hasMore` and the `nextPageSkip` to send next. Quirks that bite here:
 * - `skip` stops at 10000, so a long listing cannot be walked by offset alone. Parley always sorts
 *   by call time ascending, and when the next offset would pass the cap it starts a new window at
 *   the time of the last call it read (filterTimeGt), skipping the ids already delivered at exactly
 *   that instant.
 * - filterTimeGt "filters out calls … before passed time" and filterTimeLt "… after passed time":
 *   both bounds keep the instant itself. Parley's ranges are [start, end), so a call at exactly
 *   `end` is dropped after reading.
 * - Multi-value filters (filterStatus, filterUser) repeat the parameter; the shared HTTP client
 *   takes one value per query key, so those travel in the request path's query string.
 */
export const CALLS_PAGE_SIZE = 100;
export const MAX_SKIP = 10_000;

export interface CallsFilter {
  /** calls whose `time` is in [start, end) */
  start?: DateTime;
  end?: DateTime;
  /** filterStatus */
  statuses?: readonly string[];
  /** filterUser: Copilot users by email */
  userEmails?: readonly string[];
}

/**
 * Where a listing goes on: `s` skip within the window; `f` the window's start and `x` the ids
 * delivered at exactly `f` before it; `t` the time of the last call read and `y` the ids read at
 * exactly `t` (they become `f`/`x` when the next window starts there).
 */
interface CallsPosition {
  s: number;
  f?: string;
  x?: string[];
  t?: string;
  y?: string[];
}

export function parseClari<S extends z.ZodType>(schema: S, body: unknown, where: string): z.infer<S> {
  return parseVendorBody('Clari Copilot', schema, body, where);
}

/** ISO date-time as Clari's examples write it: UTC, `Z`, whole seconds unless there are milliseconds. */
export function clariInstant(t: DateTime): string {
  return t.toUTC().toISO({ suppressMilliseconds: true }) as string;
}

export function millisOf(time: string | null | undefined): number | undefined {
  if (!time) return undefined;
  const t = DateTime.fromISO(time, { setZone: true });
  return t.isValid ? t.toMillis() : undefined;
}

function encodePosition(p: CallsPosition): string {
  return JSON.stringify(p);
}

function decodePosition(next: string | undefined, maxSkip: number): CallsPosition {
  if (next === undefined) return { s: 0 };
  try {
    const p = JSON.parse(next) as CallsPosition;
    const ok =
      Number.isInteger(p.s) &&
      p.s >= 0 &&
      p.s <= maxSkip &&
      (p.f === undefined || typeof p.f === 'string') &&
      (p.t === undefined || typeof p.t === 'string') &&
      [p.x, p.y].every((ids) => ids === undefined || (Array.isArray(ids) && ids.every((id) => typeof id === 'string')));
    if (ok) return p;
  } catch {
    // fall through
  }
  throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
}

export interface CallsPaging {
  /** the largest skip Clari accepts (MAX_SKIP); smaller only in tests */
  maxSkip?: number;
}

export interface CallsPage {
  /** calls in the requested range, in Clari's order (time ascending) */
  calls: ClariCall[];
  next?: string;
}

/** One page of GET /calls at the continuation `next` (undefined: the first page). */
export async function fetchCallsPage(http: UpstreamClient, filter: CallsFilter, next?: string, paging: CallsPaging = {}): Promise<CallsPage> {
  const maxSkip = paging.maxSkip ?? MAX_SKIP;
  const pos = decodePosition(next, maxSkip);
  const gt = pos.f ?? (filter.start ? clariInstant(filter.start) : undefined);
  const res = await http.request({
    method: 'GET',
    path: '/calls',
    // multi-value filters repeat the key, as Clari's own examples do
    query: {
      filterStatus: filter.statuses,
      filterUser: filter.userEmails,
      skip: String(pos.s),
      limit: String(CALLS_PAGE_SIZE),
      sortTime: 'asc',
      includePagination: 'true',
      filterTimeGt: gt,
      filterTimeLt: filter.end ? clariInstant(filter.end) : undefined,
    },
  });
  const page = parseClari(ClariCallsPage, res.body, 'GET /calls');
  const endMs = filter.end?.toMillis();
  const delivered = new Set(pos.x ?? []);
  const calls = page.calls.filter((c) => {
    if (delivered.has(String(c.id))) return false;
    const t = millisOf(c.time);
    return endMs === undefined || t === undefined || t < endMs;
  });
  return { calls, next: continuation(page, pos, filter, maxSkip) };
}

function continuation(page: ClariCallsPage, pos: CallsPosition, filter: CallsFilter, maxSkip: number): string | undefined {
  const raw = page.calls;
  if (raw.length === 0) return undefined; // hasMore with an empty page would loop forever
  // Without the pagination object (it is optional in the spec) a full page means "maybe more".
  const hasMore = page.pagination?.hasMore ?? raw.length >= CALLS_PAGE_SIZE;
  if (!hasMore) return undefined;
  const last = raw[raw.length - 1]!;
  const lastMs = millisOf(last.time);
  if (filter.end && lastMs !== undefined && lastMs >= filter.end.toMillis()) return undefined;
  const nextSkip = page.pagination?.nextPageSkip ?? pos.s + raw.length;
  if (nextSkip <= pos.s) {
    throw new RemoteError(502, `Clari Copilot answered hasMore with nextPageSkip ${nextSkip} after skip ${pos.s} on GET /calls; stopped to avoid a loop`, page);
  }
  // the ids read at the latest instant so far, across the pages of this window
  const tail = { t: pos.t, y: pos.y ?? [] };
  if (last.time && lastMs !== undefined) {
    const here = raw.filter((c) => millisOf(c.time) === lastMs).map((c) => String(c.id));
    const before = millisOf(tail.t) === lastMs ? tail.y : pos.f !== undefined && millisOf(pos.f) === lastMs ? (pos.x ?? []) : [];
    tail.t = last.time;
    tail.y = [...new Set([...before, ...here])];
  }
  if (nextSkip <= maxSkip) return encodePosition({ ...pos, s: nextSkip, ...(tail.t ? { t: tail.t, y: tail.y } : {}) });

  // Past the skip cap: a new window from the last call's time, without the ids already read there.
  if (!last.time || lastMs === undefined) {
    throw new RemoteError(502, `Clari Copilot listed a call without a time at the ${maxSkip} skip cap of GET /calls; cannot continue the listing`, page);
  }
  if (pos.f !== undefined && millisOf(pos.f) === lastMs) {
    // this whole window was one instant: a new window there would read the same calls again
    throw new RemoteError(502, `More than ${maxSkip} Clari Copilot calls share the time ${last.time}; GET /calls cannot page past them`, page);
  }
  return encodePosition({ s: 0, f: last.time, x: tail.y });
}

/** Every page of a calls listing. */
export async function* callsPages(http: UpstreamClient, filter: CallsFilter, paging: CallsPaging = {}): AsyncGenerator<ClariCall[]> {
  let next: string | undefined;
  for (let guard = 0; guard < 100_000; guard++) {
    const page = await fetchCallsPage(http, filter, next, paging);
    yield page.calls;
    if (!page.next) return;
    next = page.next;
  }
}
