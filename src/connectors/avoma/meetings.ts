import { utcNow } from '../../domain/clock.js';
import { DateTime } from 'luxon';
import type { Meeting } from '../../domain/resources.js';
import type { ConnectorContext, MeetingsQuery, MeetingsReader, VendorPage } from '../types.js';
import { AVOMA_UUID, fetchAvomaPage, parseAvoma, type AvomaListRequest } from './paging.js';
import { AvomaMeeting, AvomaMeetingsPage } from './schemas.js';
import { mapAvomaMeeting } from './mappers.js';
import { cachedAvomaDirectory } from './users.js';
import { avomaProvider } from './provider.js';

/** Before Avoma existed: the lower bound of "every meeting" when the caller gives no start. */
const EARLIEST = DateTime.fromISO('2015-01-01T00:00:00Z', { zone: 'utc' });

function utc(t: DateTime): string {
  return t.toUTC().toISO({ suppressMilliseconds: true }) as string;
}

/**
 * GET /v1/meetings/ — https://dev.avoma.com/#tag/Meetings
 * `from_date` and `to_date` are REQUIRED, RFC 3339 UTC, and both INCLUSIVE on `start_at` (the
 * scheduled start): "started at or started after" / "started at or started before". Parley's range
 * is half-open, so a meeting starting exactly at `end` is dropped after the fact. Without a start
 * Parley asks from 2015 (before Avoma existed); without an end, up to now (meetings that have
 * started). `o=start_at` replaces the default newest-first order, so pages cut a stable ascending
 * list; `page_size` is the documented maximum, 100 (default 10).
 */
export function meetingsRequest(start: DateTime | undefined, end: DateTime | undefined, now: DateTime): AvomaListRequest {
  return {
    path: '/v1/meetings/',
    query: { from_date: utc(start ?? EARLIEST), to_date: utc(end ?? now), page_size: '100', o: 'start_at' },
  };
}

/** [start, end) on the instant Avoma filters by; `to_date` is inclusive upstream. */
export function startsWithin(m: AvomaMeeting, start?: DateTime, end?: DateTime): boolean {
  if (!m.start_at) return true;
  const at = DateTime.fromISO(m.start_at, { setZone: true });
  if (!at.isValid) return true;
  return !(start && at < start) && !(end && at >= end);
}

export function avomaMeetings(ctx: ConnectorContext): MeetingsReader {
  const baseUrl = avomaProvider.baseUrl(ctx.credentials);
  return {
    async list(q: MeetingsQuery, next?: string): Promise<VendorPage<Meeting>> {
      const page = await fetchAvomaPage(ctx.http, baseUrl, meetingsRequest(q.start, q.end, utcNow(ctx.clock)), AvomaMeetingsPage, next);
      const dir = await cachedAvomaDirectory(ctx.accountId, ctx.http);
      const records = page.results
        .filter((m) => startsWithin(m, q.start, q.end))
        .map((m) => mapAvomaMeeting(m, dir))
        .filter((m): m is Meeting => m !== undefined);
      return { records, ...(page.next ? { next: page.next } : {}) };
    },
    async get(id) {
      const m = await oneAvomaMeeting(ctx, id);
      if (!m) return undefined;
      return mapAvomaMeeting(m, await cachedAvomaDirectory(ctx.accountId, ctx.http));
    },
  };
}

/** GET /v1/meetings/{uuid}/ — https://dev.avoma.com/#tag/Meetings; 404 {"detail": …} when unknown. */
export async function oneAvomaMeeting(ctx: ConnectorContext, id: string): Promise<AvomaMeeting | undefined> {
  if (!AVOMA_UUID.test(id)) return undefined;
  const res = await ctx.http.request({ method: 'GET', path: `/v1/meetings/${id}/`, passStatuses: [404] });
  if (res.status === 404) return undefined;
  return parseAvoma(AvomaMeeting, res.body, 'GET /v1/meetings/{uuid}/');
}
