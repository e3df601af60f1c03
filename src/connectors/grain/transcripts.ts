import type { ConnectorContext, TranscriptsReader } from '../types.js';
import { GRAIN_ID, grainRequest } from './requests.js';
import { GrainTranscriptBody } from './schemas.js';
import { mapGrainTranscript } from './mappers.js';
import { grainParticipants } from './recordings.js';
import { grainDirectory } from './users.js';

/**
 * GET /_/public-api/v2/recordings/{id}/transcript — https://developers.grain.com ("Get Recording
 * Transcript (json)"): a bare array of `{participant_id, speaker, start, end, text}`, times in ms
 * from the recording start. Grain has no readiness flag: an empty array (ASSUMED: what a recording
 * not transcribed yet answers) or a 404 is "no transcript". The recording's participants say who
 * spoke; a recording not found is no transcript either.
 */
export function grainTranscripts(ctx: ConnectorContext): TranscriptsReader {
  return {
    async forMeeting(id) {
      if (!GRAIN_ID.test(id)) return undefined;
      const participants = await grainParticipants(ctx, id);
      if (!participants) return undefined;
      const sections = await grainRequest(ctx.http, '/recordings/{id}/transcript', { method: 'GET', route: `/recordings/${id}/transcript`, passStatuses: [404] }, GrainTranscriptBody);
      if (!sections?.length) return undefined;
      return mapGrainTranscript(id, sections, participants, await grainDirectory(ctx.accountId, ctx.http));
    },
  };
}
