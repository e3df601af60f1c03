import type { Connector } from '../types.js';
import { fathomProvider } from './provider.js';
import { fathomUsers } from './users.js';
import { fathomMeetings } from './meetings.js';
import { fathomConversations, fathomConversationsPage, fathomTranscripts } from './transcripts.js';

/**
 * Fathom: users (team members), meetings (recordings) and their transcripts; interaction metrics
 * are computed from the transcripts (Fathom reports no talk metrics). Fathom's times are UTC and it
 * names no company zone, so there is no `sourceZone` and buckets default to UTC.
 */
export const fathomConnector: Connector = {
  provider: fathomProvider,
  open(ctx) {
    return {
      users: fathomUsers(ctx.accountId, ctx.http),
      meetings: fathomMeetings(ctx),
      transcripts: fathomTranscripts(ctx),
      conversations: ({ start, end }) => fathomConversations(ctx, start, end),
      // the listing carries transcripts (include_transcript): a sync reads both in one request per page
      sync: { conversationsPage: (q, next) => fathomConversationsPage(ctx, q, next) },
    };
  },
};
