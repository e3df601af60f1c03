import { INSTANT_NATIVE_SOURCE, type ConnectorContext, type NativeBucketQuery, type NativeBucketResult, type NativeInteractions } from '../types.js';
import type { ClariCall } from './schemas.js';
import { callsPages } from './paging.js';
import { TRANSCRIBED_STATUSES } from './calls.js';
import { mapClariNativeBucket } from './mappers.js';
import { cachedClariDirectory } from './users.js';

/**
 * Clari's own numbers: `metrics` of each call in GET /calls
 * (https://api-doc.copilot.clari.com/#tag/call/paths/~1calls/get). There is no per-user or
 * per-period endpoint, so a bucket is the processed calls whose `time` falls in it, averaged per
 * call for the rep each call belongs to (mappers.ts `metricsOwner`). Calls are listed by instant,
 * so any zone and any boundary works; Clari has no company time zone.
 */
export function clariNativeInteractions(ctx: ConnectorContext): NativeInteractions {
  return {
    ...INSTANT_NATIVE_SOURCE,
    async listBucket(q: NativeBucketQuery): Promise<NativeBucketResult> {
      const dir = await cachedClariDirectory(ctx.accountId, ctx.http);
      let wanted: Set<string> | undefined;
      let userEmails: string[] | undefined;
      if (q.userIds && q.userIds.length > 0) {
        wanted = new Set(q.userIds);
        // filterUser takes users "by email as seen in manage users page"; ids Clari does not list
        // (no such user, or one who left) cannot be asked for.
        userEmails = [...new Set([...wanted].map((id) => dir.byId.get(id)?.email).filter((e): e is string => Boolean(e)))].sort();
        if (userEmails.length === 0) return { records: [] };
      }
      const calls: ClariCall[] = [];
      for await (const page of callsPages(ctx.http, { start: q.start, end: q.end, statuses: TRANSCRIBED_STATUSES, userEmails })) {
        calls.push(...page);
      }
      return { records: mapClariNativeBucket(calls, dir, wanted) };
    },
  };
}
