import { DateTime } from 'luxon';
import type { NativeActivity, ScorecardsReader } from '../connectors/types.js';
import { bucketIndexOf, type Bucket } from '../metrics/buckets.js';
import { storeInstant, type SyncStep } from '../store/synced-store.js';
import { DONE, NATIVE_PERIODS, nativeBuckets, type NativePeriod, type StreamContext, type SyncStream } from './streams.js';

/**
 * The sync streams of Activity and Scorecards (CONTRACT.md "Activity", "Scorecards"), where the
 * vendor has them (Gong). Activity computed from meetings needs no stream: it is counted from the
 * synced meetings at read time.
 * - `activity:<period>`: the vendor's counters for every whole day, ISO week and month a run's
 *   windows touch, in the company zone; consecutive buckets are asked in one by-period listing (a
 *   month of days, a quarter of weeks, a year of months), and each listing is one step, committed
 *   with its buckets marked whole.
 * - `scorecards`: per window, the scorecards *reviewed* in it (a review comes days after its call:
 *   the look-back of an incremental run then still sees a late review of an older call), one step
 *   per vendor page, the vendor's cursor in the checkpoint.
 * - `scorecard_templates`: the whole list, one step, before the scorecards (whose question texts
 *   and names then come from the store: a resumed run repeats no side request).
 */
export function activityStreams(ctx: StreamContext): SyncStream[] {
  const out: SyncStream[] = [];
  const activity = ctx.session.activity;
  if (activity) for (const period of NATIVE_PERIODS) out.push(activityStream(ctx, activity, period));
  const scorecards = ctx.session.scorecards;
  // templates first: the scorecards stream takes question texts (and names) from the store, not from more requests
  if (scorecards) out.push(templatesStream(scorecards), scorecardsStream(ctx, scorecards));
  return out;
}

const CHUNK: Record<NativePeriod, number> = { day: 31, week: 13, month: 12 };

/** Consecutive buckets in runs of at most `max`. */
export function contiguousChunks(list: readonly Bucket[], max: number): Bucket[][] {
  const out: Bucket[][] = [];
  for (const b of list) {
    const last = out[out.length - 1];
    if (last && last.length < max && last[last.length - 1]!.end.toMillis() === b.start.toMillis()) last.push(b);
    else out.push([b]);
  }
  return out;
}

function activityStream(ctx: StreamContext, activity: NativeActivity, period: NativePeriod): SyncStream {
  return {
    name: `activity:${period}`,
    async *steps(position) {
      const zone = activity.knownZone() ?? (await ctx.session.sourceZone?.()) ?? 'UTC';
      const chunks = contiguousChunks(nativeBuckets(ctx.plan, activity, zone, period), CHUNK[period]);
      const directory = chunks.length > 0 ? await ctx.store.userDirectory(ctx.accountId) : undefined;
      let c = (position as { c?: number } | undefined)?.c ?? 0;
      for (; c < chunks.length; c++) {
        const chunk = chunks[c]!;
        const res = await activity.list({ start: chunk[0]!.start, end: chunk[chunk.length - 1]!.end, period, zone, ...(directory && directory.size > 0 ? { directory } : {}) });
        const perBucket = chunk.map(() => [] as { userId: string; record: unknown }[]);
        for (const { periodStart, ...draft } of res.records) {
          const b = periodStart ? bucketIndexOf(chunk, periodStart.toMillis()) : -1;
          if (b >= 0) perBucket[b]!.push({ userId: draft.user.id, record: draft });
        }
        const write: SyncStep = {
          activity: chunk.map((bucket, i) => ({
            zone,
            period,
            bucketStart: storeInstant(bucket.start.toMillis()),
            bucketEnd: storeInstant(bucket.end.toMillis()),
            records: perBucket[i]!,
            complete: true,
          })),
        };
        yield { write, position: c + 1 < chunks.length ? { c: c + 1 } : DONE, pages: 1 };
      }
      if (chunks.length === 0) yield { write: {}, position: DONE, pages: 0 };
    },
  };
}

function scorecardsStream(ctx: StreamContext, reader: ScorecardsReader): SyncStream {
  return {
    name: 'scorecards',
    async *steps(position) {
      const zone = (await ctx.session.sourceZone?.()) ?? 'UTC';
      const windows = ctx.plan.windows;
      const directory = await ctx.store.userDirectory(ctx.accountId);
      const templates = await ctx.store.activity.templates(ctx.accountId);
      let { w = 0, next } = (position as { w?: number; next?: string } | undefined) ?? {};
      while (w < windows.length) {
        // the vendor takes days: the window widened to the days that hold it
        const reviewFrom = DateTime.fromISO(windows[w]!.start, { zone: 'UTC' }).setZone(zone).startOf('day');
        const end = DateTime.fromISO(windows[w]!.end, { zone: 'UTC' }).setZone(zone);
        const reviewTo = end.startOf('day').toMillis() === end.toMillis() ? end : end.startOf('day').plus({ days: 1 });
        const page = await reader.list({ zone, reviewFrom, reviewTo, reviewMethod: 'both', directory, templates }, next);
        next = page.next;
        if (!next) w += 1;
        yield { write: { scorecards: page.records }, position: w >= windows.length ? DONE : { w, ...(next ? { next } : {}) }, pages: 1 };
      }
      if (windows.length === 0) yield { write: {}, position: DONE, pages: 0 };
    },
  };
}

function templatesStream(reader: ScorecardsReader): SyncStream {
  return {
    name: 'scorecard_templates',
    async *steps() {
      yield { write: { scorecardTemplates: await reader.templates() }, position: DONE, pages: 1 };
    },
  };
}
