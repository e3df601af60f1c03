import type { Connector } from '../types.js';
import { firefliesPageSize, firefliesProvider } from './provider.js';
import { firefliesNativeInteractions } from './analytics.js';
import { firefliesUsers } from './users.js';
import { firefliesConversations, firefliesConversationsPage, firefliesMeetings, firefliesTranscripts } from './transcripts.js';

/** Fireflies has no company time zone: no `sourceZone`, so buckets default to UTC. */
export const firefliesConnector: Connector = {
  provider: firefliesProvider,
  open(ctx) {
    const pageSize = firefliesPageSize(ctx.credentials);
    return {
      nativeInteractions: firefliesNativeInteractions(ctx.http),
      users: firefliesUsers(ctx.accountId, ctx.http),
      meetings: firefliesMeetings(ctx.accountId, ctx.http, ctx.clock, pageSize),
      transcripts: firefliesTranscripts(ctx.accountId, ctx.http),
      conversations: ({ start, end }) => firefliesConversations(ctx.accountId, ctx.http, ctx.clock, pageSize, { start, end }),
      // the listing carries sentences: a sync reads meetings and transcripts in one request per page
      sync: { conversationsPage: (q, next) => firefliesConversationsPage(ctx.accountId, ctx.http, ctx.clock, pageSize, q, next) },
    };
  },
};
