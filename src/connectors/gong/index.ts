import type { Connector } from '../types.js';
import { gongProvider } from './provider.js';
import { gongNativeInteractions, learnGongZone } from './interaction-stats.js';
import { gongUsers } from './users.js';
import { gongNativeActivity } from './activity.js';
import { gongScorecards } from './scorecards.js';
import { gongConversations, gongMeetings, gongTranscripts, gongTranscriptsOf } from './calls.js';

export const gongConnector: Connector = {
  provider: gongProvider,
  open(ctx) {
    return {
      nativeInteractions: gongNativeInteractions(ctx),
      activity: gongNativeActivity(ctx),
      scorecards: gongScorecards(ctx),
      users: gongUsers(ctx.http),
      meetings: gongMeetings(ctx.http),
      transcripts: gongTranscripts(ctx.http),
      conversations: ({ start, end }) => gongConversations(ctx.http, start, end),
      sourceZone: () => learnGongZone(ctx),
      // a listed page of calls (≤ 100) is one transcript request
      sync: { transcriptsOf: (meetings) => gongTranscriptsOf(ctx.http, meetings), transcriptsBatch: 100 },
    };
  },
};
