import { DateTime } from 'luxon';
import { utcNow } from '../../domain/clock.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Meeting } from '../../domain/resources.js';
import { TtlCache } from '../../store/memory-cache.js';
import type { ConnectorContext, MeetingsQuery, MeetingsReader, VendorPage } from '../types.js';
import { firstPosition, isoSeconds as iso, nextPosition, readPosition } from '../frozen-listing.js';
import { fathomGet, nextFathomCursor } from './requests.js';
import { FathomMeetingsPage, type FathomMeeting } from './schemas.js';
import { mapFathomMeeting, recordingStart } from './mappers.js';
import { fathomDirectory } from './users.js';

/**
 * GET /meetings — https://developers.fathom.ai/api-reference/meetings/list-meetings. Fathom filters
 * on `created_at` (`created_after`, `created_before`), when it created the recording: AFTER the
 * meeting ended (its example: 35 s after `recording_end_time`). Parley's range is on the start, so
 * the listing asks for recordings created from `start` up to `end` + CREATED_AFTER_START_MAX, and
 * keeps those whose recording started in [start, end). Fathom chooses the page size (10 in its
 * examples; no parameter documented).
 */
const PATH = '/meetings';
const WHERE = `GET ${PATH}`;

/**
 * ASSUMED: a recording is created at most this long after it started (its length plus Fathom's
 * processing). A longer recording that starts shortly before a range's end is missed by that range.
 */
export const CREATED_AFTER_START_MAX_MS = 4 * 3_600_000;

/** A meeting found by id: at most this many pages, newest first, are scanned (Fathom has no read by id). */
export const GET_SCAN_PAGES = 10;

// recording id → created_at of every meeting a listing showed, per account: reading one meeting by
// id (Fathom has no such read) then costs one narrow listing instead of a scan
const createdAtById = new TtlCache<number>(24 * 3_600_000, 50_000);

function remember(accountId: string, items: readonly FathomMeeting[]): void {
  for (const m of items) {
    const at = m.created_at ? Date.parse(m.created_at) : NaN;
    if (Number.isFinite(at)) createdAtById.set(`${accountId}|${m.recording_id}`, at);
  }
}

export interface FathomListing {
  meetings: FathomMeeting[];
  next?: string;
}

/**
 * One listing page of the meetings that started in [q.start, q.end); `includeTranscript` adds each
 * meeting's transcript (null while Fathom is still transcribing).
 */
export async function fathomMeetingsPage(ctx: ConnectorContext, q: MeetingsQuery, next: string | undefined, includeTranscript: boolean): Promise<FathomListing> {
  const pos = readPosition(next, () => firstPosition(q.end?.plus(CREATED_AFTER_START_MAX_MS), utcNow(ctx.clock)));
  const query = {
    ...(q.start ? { created_after: iso(q.start) } : {}),
    created_before: pos.before,
    ...(includeTranscript ? { include_transcript: 'true' } : {}),
    ...(pos.cursor ? { cursor: pos.cursor } : {}),
  };
  const page = (await fathomGet(ctx.http, { path: PATH, query }, FathomMeetingsPage))!;
  remember(ctx.accountId, page.items);
  const cursor = nextFathomCursor(pos.cursor, page.next_cursor, WHERE, page);
  const meetings = page.items.filter((m) => {
    const start = recordingStart(m);
    return !start || ((!q.start || start >= q.start) && (!q.end || start < q.end));
  });
  const following = nextPosition(cursor, pos);
  return { meetings, ...(following ? { next: following } : {}) };
}

/** Pages of a listing (newest first) until `id` is on one, at most `pages` of them; undefined when the listing ended first. */
async function scan(ctx: ConnectorContext, id: string, filter: Record<string, string>, pages: number): Promise<FathomMeeting | 'not-reached' | undefined> {
  let cursor: string | undefined;
  for (let i = 0; i < pages; i++) {
    const page = (await fathomGet(ctx.http, { path: PATH, query: { ...filter, ...(cursor ? { cursor } : {}) } }, FathomMeetingsPage))!;
    remember(ctx.accountId, page.items);
    const found = page.items.find((m) => String(m.recording_id) === id);
    if (found) return found;
    cursor = nextFathomCursor(cursor, page.next_cursor, WHERE, page);
    if (!cursor) return undefined;
  }
  return 'not-reached';
}

/** A meeting by id: in the created_at window a listing of the account showed it in, else among the newest pages. */
async function findMeeting(ctx: ConnectorContext, id: string): Promise<FathomMeeting | undefined> {
  const seen = createdAtById.get(`${ctx.accountId}|${id}`);
  if (seen !== undefined) {
    const around = (ms: number) => iso(DateTime.fromMillis(ms, { zone: 'utc' }));
    const found = await scan(ctx, id, { created_after: around(seen - 1000), created_before: around(seen + 1000) }, 1);
    if (typeof found === 'object') return found;
  }
  const found = await scan(ctx, id, {}, GET_SCAN_PAGES);
  if (found !== 'not-reached') return found;
  // not among the newest pages: Fathom cannot tell us more without a range
  throw new NotFoundError(
    `meeting "${id}" is not among the ${GET_SCAN_PAGES} newest pages of meetings Fathom lists (Fathom has no read by id): list meetings with start_time and end_time around it, or read it from the store`,
  );
}

export function fathomMeetings(ctx: ConnectorContext): MeetingsReader {
  return {
    async list(q: MeetingsQuery, next?: string): Promise<VendorPage<Meeting>> {
      const page = await fathomMeetingsPage(ctx, q, next, false);
      const dir = await fathomDirectory(ctx.accountId, ctx.http);
      const records = page.meetings.map((m) => mapFathomMeeting(m, dir)).filter((m): m is Meeting => m !== undefined);
      return { records, ...(page.next ? { next: page.next } : {}) };
    },
    async get(id) {
      if (!FATHOM_RECORDING_ID.test(id)) return undefined;
      const found = await findMeeting(ctx, id);
      return found ? mapFathomMeeting(found, await fathomDirectory(ctx.accountId, ctx.http)) : undefined;
    },
  };
}

/** Fathom's meeting ids are integer `recording_id`s; anything else is not sent upstream. */
export const FATHOM_RECORDING_ID = /^[1-9]\d{0,14}$/;
