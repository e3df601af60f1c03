import type { DateTime } from 'luxon';
import type { Meeting, Transcript } from '../../domain/resources.js';
import type { UpstreamClient } from '../../upstream/client.js';
import type { Conversation, MeetingsReader, TranscriptsReader, VendorPage } from '../types.js';
import { fetchGongPage, gongPages } from './paging.js';
import { GongCall, GongCallsPage, GongTranscriptsPage } from './schemas.js';
import { mapGongCall, mapGongTranscript } from './mappers.js';

/**
 * POST /v2/calls/extensive — https://gong.app.gong.io/settings/api/documentation#post-/v2/calls/extensive
 * Parties (with speakerId, userId and affiliation) are only returned when asked for.
 * fromDateTime is inclusive, toDateTime exclusive.
 */
const CONTENT_SELECTOR = { context: 'None', exposedFields: { parties: true } };

function callsFilter(start?: DateTime, end?: DateTime, callIds?: string[]): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  if (start) filter.fromDateTime = start.toUTC().toISO({ suppressMilliseconds: true });
  if (end) filter.toDateTime = end.toUTC().toISO({ suppressMilliseconds: true });
  if (callIds) filter.callIds = callIds;
  return filter;
}

/** Gong call ids are numeric strings; anything else cannot exist and is not sent upstream. */
const GONG_ID = /^\d{1,20}$/;

export function gongMeetings(http: UpstreamClient): MeetingsReader {
  return {
    async list(q, next): Promise<VendorPage<Meeting>> {
      const page = await fetchGongPage(
        http,
        { method: 'POST', path: '/v2/calls/extensive', body: { filter: callsFilter(q.start, q.end), contentSelector: CONTENT_SELECTOR } },
        GongCallsPage,
        next,
      );
      return { records: (page?.calls ?? []).map(mapGongCall), next: page?.records?.cursor };
    },
    async get(id) {
      const call = await oneCall(http, id);
      return call ? mapGongCall(call) : undefined;
    },
  };
}

async function oneCall(http: UpstreamClient, id: string): Promise<GongCall | undefined> {
  if (!GONG_ID.test(id)) return undefined;
  const page = await fetchGongPage(
    http,
    { method: 'POST', path: '/v2/calls/extensive', body: { filter: { callIds: [id] }, contentSelector: CONTENT_SELECTOR } },
    GongCallsPage,
  );
  return page?.calls.find((c) => String(c.metaData.id) === id);
}

/** POST /v2/calls/transcript — sentences in milliseconds; speakers joined to the call's parties. */
export function gongTranscripts(http: UpstreamClient): TranscriptsReader {
  return {
    async forMeeting(id) {
      const call = await oneCall(http, id);
      if (!call) return undefined;
      const page = await fetchGongPage(
        http,
        { method: 'POST', path: '/v2/calls/transcript', body: { filter: { callIds: [id] } } },
        GongTranscriptsPage,
      );
      const t = page?.callTranscripts.find((x) => String(x.callId) === id);
      return t ? mapGongTranscript(t, call) : undefined;
    },
  };
}

/** Calls and transcripts of a period in two listings, joined by call id, for computed metrics. */
export async function* gongConversations(http: UpstreamClient, start: DateTime, end: DateTime): AsyncIterable<Conversation> {
  const calls = new Map<string, GongCall>();
  for await (const page of gongPages(
    http,
    { method: 'POST', path: '/v2/calls/extensive', body: { filter: callsFilter(start, end), contentSelector: CONTENT_SELECTOR } },
    GongCallsPage,
  )) {
    for (const c of page.calls) calls.set(String(c.metaData.id), c);
  }
  if (calls.size === 0) return;
  for await (const page of gongPages(
    http,
    { method: 'POST', path: '/v2/calls/transcript', body: { filter: callsFilter(start, end) } },
    GongTranscriptsPage,
  )) {
    for (const t of page.callTranscripts) {
      const call = calls.get(String(t.callId));
      if (!call) continue; // a transcript of a call outside the listing: nothing to attribute it to
      calls.delete(String(t.callId));
      yield { meeting: mapGongCall(call), transcript: mapGongTranscript(t, call) };
    }
  }
}

/**
 * The transcripts of calls already listed, in one POST /v2/calls/transcript by callIds (every page
 * followed): a sync reads a page of calls, then their transcripts, in two requests rather than two
 * per call. Parties come from the listed call (the meeting's remote_data), as the live join does.
 */
export async function gongTranscriptsOf(http: UpstreamClient, meetings: readonly Meeting[]): Promise<Map<string, Transcript | undefined>> {
  const calls = new Map<string, GongCall | undefined>();
  for (const m of meetings) if (GONG_ID.test(m.id)) calls.set(m.id, gongCallOf(m));
  const out = new Map<string, Transcript | undefined>();
  if (calls.size === 0) return out;
  for await (const page of gongPages(
    http,
    { method: 'POST', path: '/v2/calls/transcript', body: { filter: { callIds: [...calls.keys()] } } },
    GongTranscriptsPage,
  )) {
    for (const t of page.callTranscripts) {
      const id = String(t.callId);
      if (calls.has(id)) out.set(id, mapGongTranscript(t, calls.get(id)));
    }
  }
  return out;
}

/** The Gong call behind a unified meeting this connector mapped (its remote_data), when it is one. */
function gongCallOf(m: Meeting): GongCall | undefined {
  const parsed = GongCall.safeParse(m.remote_data);
  return parsed.success ? parsed.data : undefined;
}
