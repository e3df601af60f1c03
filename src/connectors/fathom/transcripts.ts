import type { DateTime } from 'luxon';
import type { Conversation, ConnectorContext, MeetingsQuery, TranscriptsReader, VendorPage } from '../types.js';
import type { CompanyDirectory } from '../company-directory.js';
import { fathomGet } from './requests.js';
import { FathomTranscriptBody, type FathomMeeting } from './schemas.js';
import { mapFathomMeeting, mapFathomTranscript } from './mappers.js';
import { FATHOM_RECORDING_ID, fathomMeetingsPage } from './meetings.js';
import { fathomDirectory } from './users.js';

/**
 * GET /recordings/{recording_id}/transcript — https://developers.fathom.ai/api-reference/recordings/get-transcript.
 * Without `destination_url` the transcript comes inline: `{transcript: [{speaker, text, timestamp}]}`.
 * A 404 (an unknown recording, or ASSUMED: one Fathom has not transcribed yet) or an empty list is
 * "no transcript".
 */
export function fathomTranscripts(ctx: ConnectorContext): TranscriptsReader {
  return {
    async forMeeting(id) {
      if (!FATHOM_RECORDING_ID.test(id)) return undefined;
      const body = await fathomGet(ctx.http, { path: `/recordings/${id}/transcript`, passStatuses: [404] }, FathomTranscriptBody);
      if (!body?.transcript?.length) return undefined;
      return mapFathomTranscript(id, body.transcript, await fathomDirectory(ctx.accountId, ctx.http));
    },
  };
}

function conversation(m: FathomMeeting, dir: CompanyDirectory): Conversation | undefined {
  const meeting = mapFathomMeeting(m, dir);
  if (!meeting) return undefined;
  const transcript = mapFathomTranscript(meeting.id, m.transcript, dir);
  return { meeting, ...(transcript ? { transcript } : {}) };
}

/**
 * One page of meetings with their transcripts (`include_transcript=true`): what a sync commits per
 * request, instead of one transcript request per meeting.
 */
export async function fathomConversationsPage(ctx: ConnectorContext, q: MeetingsQuery, next: string | undefined): Promise<VendorPage<Conversation>> {
  const page = await fathomMeetingsPage(ctx, q, next, true);
  const dir = await fathomDirectory(ctx.accountId, ctx.http);
  const records = page.meetings.map((m) => conversation(m, dir)).filter((c): c is Conversation => c !== undefined);
  return { records, ...(page.next ? { next: page.next } : {}) };
}

/** Every meeting with its transcript that started in [start, end), for computed metrics. */
export async function* fathomConversations(ctx: ConnectorContext, start: DateTime, end: DateTime): AsyncIterable<Conversation> {
  const seen = new Set<string>();
  let next: string | undefined;
  do {
    const page = await fathomConversationsPage(ctx, { start, end }, next);
    for (const c of page.records) {
      // page-numbered cursors can repeat a meeting if the list shifts: never count one twice
      if (seen.has(c.meeting.id)) continue;
      seen.add(c.meeting.id);
      yield c;
    }
    next = page.next;
  } while (next);
}
