import type { Connector } from '../types.js';
import { avomaProvider } from './provider.js';
import { avomaUsers } from './users.js';
import { avomaMeetings } from './meetings.js';
import { avomaConversations, avomaTranscripts } from './transcripts.js';

/**
 * Avoma: users, meetings and transcripts; interaction metrics are computed from the transcripts
 * (Avoma reports no talk metrics of its own). Avoma's times are UTC and it names no company zone,
 * so there is no `sourceZone` and buckets default to UTC.
 */
export const avomaConnector: Connector = {
  provider: avomaProvider,
  open(ctx) {
    return {
      users: avomaUsers(ctx.accountId, ctx.http),
      meetings: avomaMeetings(ctx),
      transcripts: avomaTranscripts(ctx),
      conversations: ({ start, end }) => avomaConversations(ctx, start, end),
    };
  },
};
