import type { Connector } from '../types.js';
import { clariCopilotProvider } from './provider.js';
import { clariNativeInteractions } from './call-metrics.js';
import { clariUsers } from './users.js';
import { clariConversations, clariMeetings, clariTranscripts } from './calls.js';

/** Clari Copilot (formerly Wingman). No sourceZone: Clari has no company time zone, buckets default to UTC. */
export const clariCopilotConnector: Connector = {
  provider: clariCopilotProvider,
  open(ctx) {
    return {
      nativeInteractions: clariNativeInteractions(ctx),
      users: clariUsers(ctx.accountId, ctx.http),
      meetings: clariMeetings(ctx.accountId, ctx.http),
      transcripts: clariTranscripts(ctx.accountId, ctx.http),
      conversations: ({ start, end }) => clariConversations(ctx.accountId, ctx.http, start, end),
    };
  },
};
