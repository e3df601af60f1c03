import type { Connector } from '../types.js';
import { grainProvider } from './provider.js';
import { grainUsers } from './users.js';
import { grainMeetings } from './recordings.js';
import { grainTranscripts } from './transcripts.js';

/**
 * Grain: users, meetings (recordings, with their participants) and transcripts; interaction metrics
 * are computed from the transcripts (Grain reports no talk metrics). Grain has no bulk transcript
 * read: computed metrics and syncs list recordings and read each transcript (one request each: the
 * participants came with the listing), resumable after any meeting. Times are UTC and Grain names no
 * company zone: no `sourceZone`, buckets default to UTC.
 */
export const grainConnector: Connector = {
  provider: grainProvider,
  open(ctx) {
    return {
      users: grainUsers(ctx.accountId, ctx.http),
      meetings: grainMeetings(ctx),
      transcripts: grainTranscripts(ctx),
    };
  },
};
