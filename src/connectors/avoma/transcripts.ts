import type { DateTime } from 'luxon';
import type { Conversation, ConnectorContext, TranscriptsReader } from '../types.js';
import { avomaPages, parseAvoma, type AvomaListRequest } from './paging.js';
import { AvomaMeetingsPage, AvomaMeetingTranscription, AvomaTranscriptionsPage, type AvomaMeeting } from './schemas.js';
import { mapAvomaMeeting, mapAvomaTranscript } from './mappers.js';
import { meetingsRequest, oneAvomaMeeting, startsWithin } from './meetings.js';
import { cachedAvomaDirectory } from './users.js';
import { avomaProvider } from './provider.js';

/**
 * GET /v1/transcriptions/?meeting_uuid= — https://dev.avoma.com/#tag/Transcriptions
 * The meeting is read first: its `duration` bounds the derived end of the last paragraph, and a
 * meeting whose `transcript_ready` is false has nothing to fetch yet. `from_date`/`to_date` are
 * "not required when meeting_uuid is provided". A 404 (unknown meeting, or no transcription) is
 * "no transcript".
 */
export function avomaTranscripts(ctx: ConnectorContext): TranscriptsReader {
  return {
    async forMeeting(id) {
      const meeting = await oneAvomaMeeting(ctx, id);
      if (!meeting || (meeting.transcript_ready === false && !meeting.transcription_uuid)) return undefined;
      const res = await ctx.http.request({ method: 'GET', path: '/v1/transcriptions/', query: { meeting_uuid: id }, passStatuses: [404] });
      if (res.status === 404) return undefined;
      const body = parseAvoma(AvomaMeetingTranscription, res.body, 'GET /v1/transcriptions/?meeting_uuid=');
      const t = (Array.isArray(body) ? body : [body]).find((x) => x.meeting_uuid === id);
      if (!t) return undefined;
      return mapAvomaTranscript(t, await cachedAvomaDirectory(ctx.accountId, ctx.http), meeting.duration);
    },
  };
}

/**
 * The transcriptions listing without `meeting_uuid` is paginated like meetings and takes the same
 * inclusive `from_date`/`to_date` on the meeting start. Transcripts are heavy (a timestamp per
 * word) and Avoma stops any request after 60 s, so pages are kept small.
 */
const TRANSCRIPTS_PAGE_SIZE = '20';

function transcriptionsRequest(start: DateTime, end: DateTime): AvomaListRequest {
  const { from_date, to_date } = meetingsRequest(start, end, end).query;
  return { path: '/v1/transcriptions/', query: { from_date, to_date, page_size: TRANSCRIPTS_PAGE_SIZE } };
}

/**
 * Meetings and transcripts of a period in two listings joined by meeting uuid, for computed metrics:
 * a few requests per hundred meetings instead of two per meeting under a 60-a-minute budget.
 */
export async function* avomaConversations(ctx: ConnectorContext, start: DateTime, end: DateTime): AsyncIterable<Conversation> {
  const baseUrl = avomaProvider.baseUrl(ctx.credentials);
  const meetings = new Map<string, AvomaMeeting>();
  for await (const page of avomaPages(ctx.http, baseUrl, meetingsRequest(start, end, end), AvomaMeetingsPage)) {
    for (const m of page.results) if (startsWithin(m, start, end)) meetings.set(m.uuid, m);
  }
  if (meetings.size === 0) return;
  const dir = await cachedAvomaDirectory(ctx.accountId, ctx.http);
  for await (const page of avomaPages(ctx.http, baseUrl, transcriptionsRequest(start, end), AvomaTranscriptionsPage)) {
    for (const t of page.results) {
      const m = meetings.get(t.meeting_uuid);
      if (!m) continue; // a transcript of a meeting outside [start, end): nothing to attribute it to
      meetings.delete(t.meeting_uuid);
      const meeting = mapAvomaMeeting(m, dir);
      if (meeting) yield { meeting, transcript: mapAvomaTranscript(t, dir, m.duration) };
    }
  }
}
