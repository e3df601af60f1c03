import type { Connector } from '../types.js';
import { chorusProvider } from './provider.js';
import { chorusUsers } from './users.js';
import { chorusMeetings } from './engagements.js';
import { chorusTranscripts } from './conversations.js';

/**
 * Chorus (ZoomInfo): users, meetings (recorded meetings and dialer calls) and their transcripts.
 * No native interactions: Chorus's per-call `metrics[{name, value}]` names are undocumented, so the
 * five metrics are computed from the transcripts (METRICS.md). No company time zone either: buckets
 * default to UTC.
 */
export const chorusConnector: Connector = {
  provider: chorusProvider,
  open(ctx) {
    return {
      users: chorusUsers(ctx.accountId, ctx.http),
      meetings: chorusMeetings(ctx.accountId, ctx.http),
      transcripts: chorusTranscripts(ctx.accountId, ctx.http),
    };
  },
};
