import { DateTime } from 'luxon';
import { utcNow } from '../../domain/clock.js';
import type { Meeting } from '../../domain/resources.js';
import { TtlCache } from '../../store/memory-cache.js';
import type { ConnectorContext, MeetingsQuery, MeetingsReader, VendorPage } from '../types.js';
import { firstPosition, isoSeconds as iso, nextPosition, readPosition } from '../frozen-listing.js';
import { GRAIN_ID, grainRequest, nextGrainCursor } from './requests.js';
import { GrainRecording, GrainRecordingsPage, type GrainParticipant } from './schemas.js';
import { mapGrainRecording } from './mappers.js';
import { grainDirectory } from './users.js';

/**
 * POST /_/public-api/v2/recordings — https://developers.grain.com ("List Recordings"): a JSON body
 * `{cursor, filter, include}`, pages `{cursor, recordings}`, newest first. The filter is on
 * `start_datetime`, but Grain's reference describes `after_datetime` and `before_datetime` the
 * other way round ("before_datetime: … start_datetime is after the selected date (exclusive)").
 * Read by their names — after_datetime the lower bound, before_datetime the upper — and sent so
 * that either reading of inclusiveness holds: from one second before `start`; every recording is
 * then kept to [start, end) here. Participants come with each recording (`include`), one request
 * per page: transcripts need them to say who spoke.
 */
const ROUTE = '/recordings';
const INCLUDE = { participants: true } as const;

// The participants of recordings seen in listings, per account, so that reading a listed meeting's
// transcript costs one request (the transcript) instead of two.
const participantsOf = new TtlCache<GrainParticipant[]>(15 * 60 * 1000, 5000);

function remember(accountId: string, recordings: readonly GrainRecording[]): void {
  for (const r of recordings) if (Array.isArray(r.participants)) participantsOf.set(`${accountId}|${r.id}`, r.participants);
}

export function startsWithin(r: GrainRecording, q: MeetingsQuery): boolean {
  const at = DateTime.fromISO(r.start_datetime, { setZone: true });
  if (!at.isValid) return true;
  return !(q.start && at < q.start) && !(q.end && at >= q.end);
}

export async function grainRecordingsPage(ctx: ConnectorContext, q: MeetingsQuery, next: string | undefined): Promise<{ recordings: GrainRecording[]; next?: string }> {
  const pos = readPosition(next, () => firstPosition(q.end, utcNow(ctx.clock)));
  const filter = { ...(q.start ? { after_datetime: iso(q.start.minus({ seconds: 1 })) } : {}), before_datetime: pos.before };
  const body = { ...(pos.cursor ? { cursor: pos.cursor } : {}), filter, include: INCLUDE };
  const page = (await grainRequest(ctx.http, ROUTE, { method: 'POST', route: ROUTE, body }, GrainRecordingsPage))!;
  remember(ctx.accountId, page.recordings);
  const cursor = nextGrainCursor(pos.cursor, page.cursor, `POST ${ROUTE}`, page);
  const following = nextPosition(cursor, pos);
  return { recordings: page.recordings.filter((r) => startsWithin(r, q)), ...(following ? { next: following } : {}) };
}

/** POST /_/public-api/v2/recordings/{id} with participants; 404 when unknown. */
export async function oneGrainRecording(ctx: ConnectorContext, id: string): Promise<GrainRecording | undefined> {
  if (!GRAIN_ID.test(id)) return undefined;
  const r = await grainRequest(ctx.http, '/recordings/{id}', { method: 'POST', route: `/recordings/${id}`, body: { include: INCLUDE }, passStatuses: [404] }, GrainRecording);
  if (r) remember(ctx.accountId, [r]);
  return r;
}

/** The participants of a recording: from a listing seen lately, else read with the recording. */
export async function grainParticipants(ctx: ConnectorContext, id: string): Promise<GrainParticipant[] | undefined> {
  return participantsOf.get(`${ctx.accountId}|${id}`) ?? (await oneGrainRecording(ctx, id))?.participants ?? undefined;
}

export function grainMeetings(ctx: ConnectorContext): MeetingsReader {
  return {
    async list(q: MeetingsQuery, next?: string): Promise<VendorPage<Meeting>> {
      const page = await grainRecordingsPage(ctx, q, next);
      const dir = await grainDirectory(ctx.accountId, ctx.http);
      const records = page.recordings.map((r) => mapGrainRecording(r, dir)).filter((m): m is Meeting => m !== undefined);
      return { records, ...(page.next ? { next: page.next } : {}) };
    },
    async get(id) {
      const r = await oneGrainRecording(ctx, id);
      return r ? mapGrainRecording(r, await grainDirectory(ctx.accountId, ctx.http)) : undefined;
    },
  };
}
