import { utcNow, type Clock } from '../../domain/clock.js';
import { DateTime } from 'luxon';
import type { UpstreamClient } from '../../upstream/client.js';
import type { Conversation, MeetingsQuery, MeetingsReader, TranscriptsReader, VendorPage } from '../types.js';
import type { Meeting } from '../../domain/resources.js';
import { firefliesQuery, firefliesQueryOrMissing } from './graphql.js';
import { mapFfMeeting, mapFfTranscript, transcriptStart } from './mappers.js';
import { TranscriptData, TranscriptsData, type FfTranscript } from './schemas.js';
import { cachedFfDirectory } from './users.js';

/**
 * Fireflies calls a meeting a "transcript": the `transcripts` query lists meetings, `transcript(id)`
 * reads one, and its `sentences` are the transcript proper. A GraphQL selection decides what comes
 * back, so the meeting listing leaves the (large) sentences out and the computed-metrics listing
 * asks for them in the same page: one request per 50 meetings instead of one per meeting.
 */
const MEETING_FIELDS = `id title date dateString duration organizer_email participants meeting_link transcript_url
    user { user_id email name }
    speakers { id name }
    meeting_attendees { displayName email name }`;
const SENTENCE_FIELDS = 'sentences { index speaker_id speaker_name text raw_text start_time end_time }';

/**
 * `transcripts` — https://docs.fireflies.ai/graphql-api/query/transcripts. Offset pagination:
 * `skip` + `limit` (at most 50), no cursor and no total; a page shorter than `limit` is the last.
 * `fromDate`/`toDate` are ISO 8601 DateTimes on the meeting date. Whether `toDate` is inclusive is
 * not documented, so records are also kept to [start, end) here.
 */
function transcriptsQuery(fields: string): string {
  return `query Transcripts($fromDate: DateTime, $toDate: DateTime, $limit: Int, $skip: Int) {
  transcripts(fromDate: $fromDate, toDate: $toDate, limit: $limit, skip: $skip) {
    ${fields}
  }
}`;
}

/** `transcript(id)` — https://docs.fireflies.ai/graphql-api/query/transcript */
function transcriptQuery(fields: string): string {
  return `query Transcript($id: String!) {
  transcript(id: $id) {
    ${fields}
  }
}`;
}

export interface TranscriptsWindow {
  start?: DateTime;
  end?: DateTime;
}

/**
 * Where a listing continues: the next `skip`, and — when the caller gave no end — the `toDate` the
 * first page froze at "now", so meetings that finish while a client pages cannot shift the offsets
 * (the list is newest first) and show up twice.
 */
interface Position {
  skip: number;
  frozenTo?: string;
}

function encodePosition(p: Position): string {
  return p.frozenTo ? `${p.skip}|${p.frozenTo}` : String(p.skip);
}

function decodePosition(next: string | undefined): Position | undefined {
  if (!next) return undefined;
  const [skip, frozenTo] = next.split('|');
  const n = Number(skip);
  if (!Number.isInteger(n) || n < 0) return undefined;
  return { skip: n, ...(frozenTo ? { frozenTo } : {}) };
}

function isoInstant(t: DateTime): string {
  return t.toUTC().toISO() as string;
}

function inWindow(t: FfTranscript, w: TranscriptsWindow): boolean {
  const started = transcriptStart(t);
  if (!started) return true;
  if (w.start && started < w.start) return false;
  if (w.end && started >= w.end) return false;
  return true;
}

async function fetchTranscriptsPage(
  http: UpstreamClient,
  clock: Clock,
  w: TranscriptsWindow,
  fields: string,
  pageSize: number,
  next: string | undefined,
): Promise<{ transcripts: FfTranscript[]; next?: string }> {
  const pos = decodePosition(next) ?? { skip: 0, ...(w.end ? {} : { frozenTo: isoInstant(utcNow(clock)) }) };
  const toDate = w.end ? isoInstant(w.end) : pos.frozenTo;
  const variables: Record<string, unknown> = { limit: pageSize, skip: pos.skip };
  if (w.start) variables.fromDate = isoInstant(w.start);
  if (toDate) variables.toDate = toDate;
  const data = await firefliesQuery(http, { name: 'Transcripts', query: transcriptsQuery(fields), variables }, TranscriptsData);
  const page = data.transcripts;
  const more = page.length > 0 && page.length >= pageSize;
  return {
    transcripts: page.filter((t) => inWindow(t, w)),
    ...(more ? { next: encodePosition({ ...pos, skip: pos.skip + page.length }) } : {}),
  };
}

export function firefliesMeetings(accountId: string, http: UpstreamClient, clock: Clock, pageSize: number): MeetingsReader {
  return {
    async list(q: MeetingsQuery, next?: string): Promise<VendorPage<Meeting>> {
      const dir = await cachedFfDirectory(accountId, http);
      const page = await fetchTranscriptsPage(http, clock, q, MEETING_FIELDS, pageSize, next);
      return { records: page.transcripts.map((t) => mapFfMeeting(t, dir)), ...(page.next ? { next: page.next } : {}) };
    },
    async get(id) {
      if (!id.trim()) return undefined;
      const dir = await cachedFfDirectory(accountId, http);
      const data = await firefliesQueryOrMissing(
        http,
        { name: 'Transcript', query: transcriptQuery(MEETING_FIELDS), variables: { id } },
        TranscriptData,
      );
      return data?.transcript ? mapFfMeeting(data.transcript, dir) : undefined;
    },
  };
}

export function firefliesTranscripts(accountId: string, http: UpstreamClient): TranscriptsReader {
  return {
    async forMeeting(id) {
      if (!id.trim()) return undefined;
      const dir = await cachedFfDirectory(accountId, http);
      const data = await firefliesQueryOrMissing(
        http,
        { name: 'Transcript', query: transcriptQuery(`${MEETING_FIELDS}\n    ${SENTENCE_FIELDS}`), variables: { id } },
        TranscriptData,
      );
      return data?.transcript ? mapFfTranscript(data.transcript, dir) : undefined;
    },
  };
}

/** Meetings with their sentences that started in [start, end), every page, for computed metrics. */
export async function* firefliesConversations(
  accountId: string,
  http: UpstreamClient,
  clock: Clock,
  pageSize: number,
  w: { start: DateTime; end: DateTime },
): AsyncIterable<Conversation> {
  const dir = await cachedFfDirectory(accountId, http);
  const seen = new Set<string>();
  let next: string | undefined;
  do {
    const page = await fetchTranscriptsPage(http, clock, w, `${MEETING_FIELDS}\n    ${SENTENCE_FIELDS}`, pageSize, next);
    for (const t of page.transcripts) {
      // offsets can shift under a listing (a meeting deleted meanwhile): never count a meeting twice
      if (seen.has(String(t.id))) continue;
      seen.add(String(t.id));
      const transcript = mapFfTranscript(t, dir);
      yield { meeting: mapFfMeeting(t, dir), ...(transcript ? { transcript } : {}) };
    }
    next = page.next;
  } while (next);
}

/**
 * One page of meetings with their sentences, in one GraphQL request: what a sync commits per page.
 * A meeting without sentences (not transcribed yet) comes without a transcript.
 */
export async function firefliesConversationsPage(
  accountId: string,
  http: UpstreamClient,
  clock: Clock,
  pageSize: number,
  q: MeetingsQuery,
  next: string | undefined,
): Promise<VendorPage<Conversation>> {
  const dir = await cachedFfDirectory(accountId, http);
  const page = await fetchTranscriptsPage(http, clock, q, `${MEETING_FIELDS}\n    ${SENTENCE_FIELDS}`, pageSize, next);
  const records = page.transcripts.map((t) => {
    const transcript = mapFfTranscript(t, dir);
    return { meeting: mapFfMeeting(t, dir), ...(transcript ? { transcript } : {}) };
  });
  return { records, ...(page.next ? { next: page.next } : {}) };
}
