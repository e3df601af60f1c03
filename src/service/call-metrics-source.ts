import type { DateTime } from 'luxon';
import type { ConnectorSession, Conversation } from '../connectors/types.js';
import { callMetricsRows, parseCall, type CallMetricsRow } from '../metrics/index.js';
import { meetingToCall } from '../metrics/from-unified.js';
import { vendorPage, type VendorListing } from './paging.js';
import type { Meeting } from '../domain/resources.js';

/**
 * Where computed Interactions come from: per-call metrics rows (one per call and internal user) of
 * the calls that started in a time segment. The live source asks the vendor for meetings and
 * transcripts and runs the METRICS.md engine per call; a synced store can serve the same rows.
 * The computed read path aggregates rows into buckets and never sees a vendor.
 */

/** Where to continue inside a segment: opaque to readers, meaningful to the source that issued it. */
export interface SegmentPosition {
  /** vendor continuation of the meetings listing page (null: the first page) */
  vc: string | null;
  /** meetings of that page already read */
  o: number;
}

export interface RowBatch {
  rows: CallMetricsRow[];
  /**
   * When present, everything up to this batch can be committed and reading can resume here later.
   * Sources that can only restart a segment from its beginning never set it.
   */
  resumeAfter?: SegmentPosition;
}

export interface CallMetricsSource {
  /** rows of the calls that started in [start, end), from `from` when an earlier read stopped there */
  read(segment: { start: DateTime; end: DateTime }, from?: SegmentPosition): AsyncIterable<RowBatch>;
}

export interface LiveSourceOptions {
  accountId: string;
  session: ConnectorSession;
  /** the request's signal: shared vendor pages loaded by someone who left are loaded again for us */
  signal?: AbortSignal;
  logger?: { warn(obj: object, msg: string): void };
}

/** Rows computed live from the vendor's meetings and timed transcripts. */
export function liveCallMetricsSource(opts: LiveSourceOptions): CallMetricsSource {
  const { session } = opts;
  const rowsOf = (conv: Conversation): CallMetricsRow[] => {
    const call = meetingToCall(conv.meeting, conv.transcript);
    if (!call) return [];
    // a vendor record the engine cannot read is skipped and logged, never a 500
    try {
      return callMetricsRows(parseCall(call));
    } catch (e) {
      opts.logger?.warn({ meeting: conv.meeting.id, problem: (e as Error).message }, 'meeting skipped for computed metrics');
      return [];
    }
  };

  if (session.conversations) {
    // A bulk listing (meetings with their transcripts) cannot be resumed halfway: a segment is one unit.
    const conversations = session.conversations.bind(session);
    return {
      async *read(segment) {
        for await (const conv of conversations(segment)) yield { rows: rowsOf(conv) };
      },
    };
  }

  const meetings = session.meetings!;
  const transcripts = session.transcripts!;
  return {
    async *read(segment, from) {
      const listing: VendorListing<Meeting> = {
        cacheKey: `meetings|${opts.accountId}|${segment.start.toMillis()}|${segment.end.toMillis()}`,
        fetch: (next) => meetings.list(segment, next),
      };
      let pos: SegmentPosition = from ?? { vc: null, o: 0 };
      for (;;) {
        const page = await vendorPage(listing, pos.vc, opts.signal);
        for (let i = pos.o; i < page.records.length; i++) {
          const meeting = page.records[i]!;
          const transcript = await transcripts.forMeeting(meeting.id);
          yield { rows: rowsOf({ meeting, ...(transcript ? { transcript } : {}) }), resumeAfter: { vc: pos.vc, o: i + 1 } };
        }
        if (!page.next) return;
        pos = { vc: page.next, o: 0 };
      }
    },
  };
}
