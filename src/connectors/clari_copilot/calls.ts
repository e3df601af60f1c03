import type { DateTime } from 'luxon';
import type { Meeting } from '../../domain/resources.js';
import { TtlCache } from '../../store/memory-cache.js';
import type { UpstreamClient } from '../../upstream/client.js';
import type { Conversation, MeetingsReader, TranscriptsReader, VendorPage } from '../types.js';
import { callsPages, fetchCallsPage, parseClari } from './paging.js';
import { ClariCallDetailsResponse, type ClariCallDetails } from './schemas.js';
import { mapClariCall, mapClariTranscript } from './mappers.js';
import { cachedClariDirectory } from './users.js';

/** Statuses after which a call has its transcript and metrics (CallStatus in the spec). */
export const TRANSCRIBED_STATUSES = ['PROCESSED', 'POST_PROCESSING_DONE'] as const;

// A processed call's details (the transcript above all) rarely change; a second query over the
// same range (another aggregation period, say) should not ask for every call again.
const processedDetails = new TtlCache<ClariCallDetails>(10 * 60 * 1000, 300);
// call-details is one request per call; a few in flight hide Clari's latency while the shared
// rate budget still spaces them.
const DETAILS_IN_FLIGHT = 4;

/**
 * GET /call-details?id= — https://api-doc.copilot.clari.com/#tag/call/paths/~1call-details/get
 * The only route with a call's transcript. 404 for an id Clari does not know: undefined.
 * `fresh` skips the cache: a processed call's transcript stays as it is, but its title can be
 * renamed at any time, so reading the call itself must not answer from the cache.
 */
export async function fetchCallDetails(accountId: string, http: UpstreamClient, id: string, fresh = false): Promise<ClariCallDetails | undefined> {
  if (id.length === 0 || id.length > 200) return undefined;
  const key = `${accountId}|${id}`;
  const cached = fresh ? undefined : processedDetails.get(key);
  if (cached) return cached;
  const res = await http.request({ method: 'GET', path: '/call-details', query: { id }, passStatuses: [404] });
  if (res.status === 404) return undefined;
  const call = parseClari(ClariCallDetailsResponse, res.body, 'GET /call-details').call;
  if (call.status && (TRANSCRIBED_STATUSES as readonly string[]).includes(call.status)) processedDetails.set(key, call);
  return call;
}

export function clariMeetings(accountId: string, http: UpstreamClient): MeetingsReader {
  return {
    async list(q, next): Promise<VendorPage<Meeting>> {
      const dir = await cachedClariDirectory(accountId, http);
      const page = await fetchCallsPage(http, { start: q.start, end: q.end }, next);
      const records = page.calls.map((c) => mapClariCall(c, dir)).filter((m): m is Meeting => m !== undefined);
      return { records, ...(page.next ? { next: page.next } : {}) };
    },
    async get(id) {
      const call = await fetchCallDetails(accountId, http, id, true);
      return call ? mapClariCall(call, await cachedClariDirectory(accountId, http)) : undefined;
    },
  };
}

export function clariTranscripts(accountId: string, http: UpstreamClient): TranscriptsReader {
  return {
    async forMeeting(id) {
      const call = await fetchCallDetails(accountId, http, id);
      return call ? mapClariTranscript(call, await cachedClariDirectory(accountId, http)) : undefined;
    },
  };
}

/**
 * Calls of a period with their transcripts, for computed metrics: GET /calls lists only calls that
 * were processed (a scheduled or missed call has nothing to measure), then GET /call-details per
 * call — Clari: "To get transcript … fetch call individually using call-details endpoint".
 */
export async function* clariConversations(accountId: string, http: UpstreamClient, start: DateTime, end: DateTime): AsyncIterable<Conversation> {
  const dir = await cachedClariDirectory(accountId, http);
  for await (const calls of callsPages(http, { start, end, statuses: TRANSCRIBED_STATUSES })) {
    const details = await inOrder(calls, DETAILS_IN_FLIGHT, (c) => fetchCallDetails(accountId, http, String(c.id)));
    for (let i = 0; i < calls.length; i++) {
      const call = details[i] ?? calls[i]!;
      const meeting = mapClariCall(call, dir);
      if (!meeting) continue;
      const transcript = details[i] ? mapClariTranscript(details[i]!, dir) : undefined;
      yield { meeting, ...(transcript ? { transcript } : {}) };
    }
  }
}

/** `fn` over `items` with at most `limit` running at once; results in input order. */
async function inOrder<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    while (nextIndex < items.length) {
      const i = nextIndex++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
