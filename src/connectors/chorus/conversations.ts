import type { UpstreamClient } from '../../upstream/client.js';
import type { TranscriptsReader } from '../types.js';
import { chorusGet } from './paging.js';
import { ChorusRecordingDoc } from './schemas.js';
import { mapChorusTranscript, transcriptNeedsDirectory } from './mappers.js';
import { chorusDirectory } from './users.js';
import { ENGAGEMENT_ID } from './engagements.js';

/**
 * GET /api/v1/conversations/{id} — https://api-docs.chorus.ai ("Fetch a specific conversation"),
 * a JSON:API `RecordingDoc`. Sparse fieldsets (`fields`, comma-separated) keep the answer to what
 * the transcript needs; `fields[conversations]`/`fields[recordings]` are deprecated. Assumed: a v3
 * `engagement_id` of a recorded meeting or dialer call is the id of its conversation (both are the
 * same 32-hex form, and the engagement `url` is chorus.ai/meeting/<engagement_id>).
 * A 404 (JSON:API error) means no such conversation, e.g. a private recording.
 */
export const TRANSCRIPT_FIELDS = [
  'owner',
  'participants',
  'status',
  'recording.start_time',
  'recording.duration',
  'recording.clusters',
  'recording.utterances',
].join(',');

export function chorusTranscripts(accountId: string, http: UpstreamClient): TranscriptsReader {
  return {
    async forMeeting(id) {
      if (!ENGAGEMENT_ID.test(id)) return undefined;
      const doc = await chorusGet(
        http,
        { path: `/api/v1/conversations/${id}`, query: { fields: TRANSCRIPT_FIELDS }, passStatuses: [404] },
        ChorusRecordingDoc,
      );
      if (!doc) return undefined;
      const directory = transcriptNeedsDirectory(doc) ? await chorusDirectory(accountId, http) : undefined;
      return mapChorusTranscript(id, doc, directory);
    },
  };
}
