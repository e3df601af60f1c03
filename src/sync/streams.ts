import { DateTime } from 'luxon';
import type { ConnectorSession, NativeInteractions } from '../connectors/types.js';
import type { Meeting, Transcript } from '../domain/resources.js';
import { buckets, nextPeriodStart, type Bucket } from '../metrics/buckets.js';
import { meetingToCall } from '../metrics/from-unified.js';
import { callMetricsRows } from '../metrics/aggregate.js';
import { parseCall } from '../metrics/call.js';
import { storeInstant, type SyncedStore, type SyncStep, type TranscriptWrite } from '../store/synced-store.js';
import type { RunPlan } from './plan.js';
import { activityStreams } from './activity-streams.js';

/**
 * The streams of one sync run. A stream is resumable: `steps(position)` continues after the last
 * committed position and yields, per vendor request, what it brought and the position after it. The
 * engine commits each step (records + position) in one transaction before asking for the next, so
 * the vendor is never asked twice for a page that was committed.
 */

export interface StreamStep {
  write: SyncStep;
  /** where to resume after this step; DONE when the stream has nothing more */
  position: unknown;
  /** vendor pages this step read */
  pages: number;
}

export const DONE = { done: true } as const;

export function isDone(position: unknown): boolean {
  return typeof position === 'object' && position !== null && (position as { done?: unknown }).done === true;
}

export interface SyncStream {
  name: string;
  steps(position: unknown): AsyncIterable<StreamStep>;
}

export interface StreamContext {
  accountId: string;
  session: ConnectorSession;
  store: SyncedStore;
  plan: RunPlan;
  /** a vendor record the engine cannot compute metrics for is skipped and reported here */
  onSkipped(meetingId: string, problem: string): void;
}

export function runStreams(ctx: StreamContext): SyncStream[] {
  const streams: SyncStream[] = [];
  if (ctx.session.users) streams.push(usersStream(ctx));
  if (ctx.session.meetings || ctx.session.sync?.conversationsPage) streams.push(conversationsStream(ctx));
  const native = ctx.session.nativeInteractions;
  if (native) for (const period of NATIVE_PERIODS) streams.push(nativeStream(ctx, native, period));
  streams.push(...activityStreams(ctx));
  return streams;
}

function usersStream(ctx: StreamContext): SyncStream {
  const users = ctx.session.users!;
  return {
    name: 'users',
    async *steps(position) {
      let next = (position as { next?: string } | undefined)?.next;
      for (;;) {
        const page = await users.list(next);
        next = page.next;
        yield { write: { users: page.records }, position: next ? { next } : DONE, pages: 1 };
        if (!next) return;
      }
    },
  };
}

interface ConversationsPosition {
  /** index of the plan window being read */
  w: number;
  /** the vendor's continuation of the meetings listing in that window */
  next?: string;
  /** the window's listing reached its last page */
  listed?: boolean;
  /** listed meetings whose transcript is still to be read */
  pending?: string[];
}

/** A meeting that may have a transcript by now: it started before the run's instant. */
function mayHaveTranscript(m: Meeting, at: string): boolean {
  return storeInstant(m.start_time) < at;
}

function transcriptWrite(ctx: StreamContext, meeting: Meeting, transcript: Transcript): TranscriptWrite {
  let metrics: TranscriptWrite['metrics'] = [];
  try {
    const call = meetingToCall(meeting, transcript);
    if (call) metrics = callMetricsRows(parseCall(call));
  } catch (e) {
    // a vendor record the engine cannot read is stored but measured as nothing, never a failed run
    ctx.onSkipped(meeting.id, (e as Error).message);
  }
  return { meetingId: meeting.id, startAt: meeting.start_time, transcript, metrics };
}

/**
 * Meetings, their transcripts and per-call metrics, window by window: a listing page, then the
 * transcripts of the meetings on it that are new, changed, or still without one (in bulk where the
 * connector can), then the next listing page.
 */
function conversationsStream(ctx: StreamContext): SyncStream {
  const { session, store, plan, accountId } = ctx;

  async function readPending(pos: ConversationsPosition): Promise<SyncStep & { pages: number }> {
    const pending = pos.pending!;
    const bulk = session.sync?.transcriptsOf;
    const batch = pending.slice(0, bulk ? (session.sync?.transcriptsBatch ?? 100) : 1);
    pos.pending = pending.slice(batch.length);
    const meetings = (await Promise.all(batch.map((id) => store.meeting(accountId, id)))).flatMap((m) => (m ? [m.record] : []));
    if (meetings.length === 0) return { pages: 0 };
    const found = bulk
      ? await bulk(meetings)
      : new Map([[meetings[0]!.id, await session.transcripts!.forMeeting(meetings[0]!.id)]]);
    const transcripts: TranscriptWrite[] = [];
    const noTranscript: string[] = [];
    for (const m of meetings) {
      const t = found.get(m.id);
      if (t) transcripts.push(transcriptWrite(ctx, m, t));
      else noTranscript.push(m.id);
    }
    return { transcripts, noTranscript, pages: 1 };
  }

  async function readListing(pos: ConversationsPosition): Promise<SyncStep & { pages: number }> {
    const window = plan.windows[pos.w]!;
    const q = { start: DateTime.fromISO(window.start, { zone: 'UTC' }), end: DateTime.fromISO(window.end, { zone: 'UTC' }) };
    let page: { records: { meeting: Meeting; transcript?: Transcript }[]; next?: string };
    if (session.sync?.conversationsPage) page = await session.sync.conversationsPage(q, pos.next);
    else {
      const listed = await session.meetings!.list(q, pos.next);
      page = { records: listed.records.map((meeting) => ({ meeting })), ...(listed.next ? { next: listed.next } : {}) };
    }
    return { pages: 1, ...(await listingStep(pos, page)) };
  }

  async function listingStep(
    pos: ConversationsPosition,
    page: { records: { meeting: Meeting; transcript?: Transcript }[]; next?: string },
  ): Promise<SyncStep> {
    const meetings = page.records.map((c) => c.meeting);
    if (page.next) pos.next = page.next;
    else {
      delete pos.next;
      pos.listed = true;
    }
    if (session.sync?.conversationsPage) {
      pos.pending = [];
      return {
        meetings,
        transcripts: page.records.flatMap((c) => (c.transcript ? [transcriptWrite(ctx, c.meeting, c.transcript)] : [])),
        noTranscript: page.records.filter((c) => !c.transcript).map((c) => c.meeting.id),
      };
    }
    const unchanged = await store.unchangedMeetings(accountId, meetings);
    const transcribed = await store.transcribed(accountId, meetings.map((m) => m.id));
    pos.pending = meetings.filter((m) => mayHaveTranscript(m, plan.at) && (!unchanged.has(m.id) || !transcribed.has(m.id))).map((m) => m.id);
    return { meetings };
  }

  return {
    name: 'meetings',
    async *steps(position) {
      const pos: ConversationsPosition = { w: 0, ...((position as ConversationsPosition | undefined) ?? {}) };
      for (;;) {
        if (pos.pending?.length === 0 && pos.listed) {
          pos.w += 1;
          pos.pending = undefined;
          pos.listed = undefined;
        }
        if (pos.w >= plan.windows.length) {
          yield { write: {}, position: DONE, pages: 0 };
          return;
        }
        const { pages, ...write } = pos.pending?.length ? await readPending(pos) : await readListing(pos);
        yield { write, position: { ...pos }, pages };
      }
    },
  };
}

export const NATIVE_PERIODS = ['day', 'week', 'month'] as const;
export type NativePeriod = (typeof NATIVE_PERIODS)[number];

/**
 * The calendar buckets of `period` a run refreshes: every whole period that overlaps a window, in
 * the source's zone, clipped to what the vendor can report at the run's instant.
 */
export function nativeBuckets(plan: RunPlan, native: Pick<NativeInteractions, 'reportableUntil'>, zone: string, period: NativePeriod): Bucket[] {
  const at = DateTime.fromISO(plan.at, { zone: 'UTC' });
  const notAfter = native.reportableUntil(at, zone);
  const seen = new Set<number>();
  const out: Bucket[] = [];
  for (const w of plan.windows) {
    const start = DateTime.fromISO(w.start, { zone: 'UTC' }).setZone(zone).startOf(period === 'week' ? 'week' : period);
    const last = DateTime.fromISO(w.end, { zone: 'UTC' }).setZone(zone);
    const end = nextPeriodStart(last.minus({ milliseconds: 1 }), period);
    for (const b of buckets({ start, end, period, zone, notAfter })) {
      if (seen.has(b.start.toMillis())) continue;
      seen.add(b.start.toMillis());
      out.push(b);
    }
  }
  return out.sort((a, b) => a.start.toMillis() - b.start.toMillis());
}

function nativeStream(ctx: StreamContext, native: NativeInteractions, period: NativePeriod): SyncStream {
  return {
    name: `native:${period}`,
    async *steps(position) {
      // The source's own zone (Gong: the company zone, learnt before any bucket is cut); UTC where it has none.
      const zone = native.knownZone() ?? (await ctx.session.sourceZone?.()) ?? 'UTC';
      const list = nativeBuckets(ctx.plan, native, zone, period);
      // the users stream ran first: names come from the store, not from another users listing
      const directory = list.length > 0 ? await ctx.store.userDirectory(ctx.accountId) : undefined;
      let b = (position as { b?: number } | undefined)?.b ?? 0;
      for (; b < list.length; b++) {
        const bucket = list[b]!;
        const res = await native.listBucket({ start: bucket.start, end: bucket.end, period, zone, ...(directory && directory.size > 0 ? { directory } : {}) });
        const write: SyncStep = {
          native: [
            {
              zone,
              period,
              bucketStart: storeInstant(bucket.start.toMillis()),
              bucketEnd: storeInstant(bucket.end.toMillis()),
              records: res.records.map((r) => ({ userId: r.user.id, record: r })),
            },
          ],
        };
        yield { write, position: b + 1 < list.length ? { b: b + 1 } : DONE, pages: 1 };
      }
      if (list.length === 0) yield { write: {}, position: DONE, pages: 0 };
    },
  };
}
