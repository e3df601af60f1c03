import { DateTime } from 'luxon';
import type { ConnectorContext, NativeBucketQuery, NativeBucketResult, NativeInteractions } from '../types.js';
import { fetchGongPage, gongPages } from './paging.js';
import { GongInteractionStatsPage, GongUser } from './schemas.js';
import type { User } from '../../domain/resources.js';
import { cachedGongUsers } from './users.js';
import { mapGongInteractionStats } from './mappers.js';
import { RemoteError } from '../../domain/errors.js';
import { TtlCache } from '../../store/memory-cache.js';

/**
 * POST /v2/stats/interaction — https://gong.app.gong.io/settings/api/documentation#post-/v2/stats/interaction
 * One aggregate per user for the window [fromDate, toDate): dates in the company time zone, toDate
 * exclusive and "should not exceed the current day". There is no aggregation period, so the
 * service asks once per bucket; the cursor goes in the body and the filter stays identical.
 */
export function gongNativeInteractions(ctx: ConnectorContext): NativeInteractions {
  return {
    reportsAllStandardMetrics: true,
    granularity: 'day',
    zone: 'company',
    knownZone: () => (typeof ctx.settings.timezone === 'string' ? ctx.settings.timezone : undefined),
    reportableUntil: (now, zone) => now.setZone(zone).startOf('day'),
    async listBucket(q: NativeBucketQuery): Promise<NativeBucketResult> {
      const filter: Record<string, unknown> = {
        fromDate: q.start.setZone(q.zone).toISODate(),
        toDate: q.end.setZone(q.zone).toISODate(),
      };
      if (q.userIds && q.userIds.length > 0) filter.userIds = [...new Set(q.userIds)];
      const users = q.directory ? gongUsersOf(q.directory) : await cachedGongUsers(ctx.accountId, ctx.http);
      const records = [];
      let zone: string | undefined;
      for await (const page of gongPages(
        ctx.http,
        { method: 'POST', path: '/v2/stats/interaction', body: { filter } },
        GongInteractionStatsPage,
      )) {
        zone ??= page.timeZone;
        const envelope = { requestId: page.requestId, timeZone: page.timeZone, fromDateTime: page.fromDateTime, toDateTime: page.toDateTime };
        for (const row of page.peopleInteractionStats) {
          records.push(mapGongInteractionStats(row, users.get(String(row.userId)), envelope));
        }
      }
      await rememberGongZone(ctx, zone);
      return { records, zone };
    },
  };
}

export async function rememberGongZone(ctx: ConnectorContext, zone: string | undefined): Promise<void> {
  if (zone && zone !== ctx.settings.timezone && DateTime.local().setZone(zone).isValid) {
    await ctx.saveSettings({ timezone: zone });
    ctx.settings.timezone = zone;
  }
}

// A key without the stats scope: ask again after a while (the scope may be granted), not per request.
const statsScopeMissing = new TtlCache<true>(10 * 60 * 1000, 1000, { now: () => Date.now() });

/**
 * The company time zone appears only in stats responses. When no earlier answer taught it, one
 * stats request over the last week asks; a toDate of yesterday (UTC) never exceeds the company's
 * "current day" in any zone. No stats at all (404) leaves the zone unknown, and so does a key
 * without the optional `api:stats:interaction` scope (401/403 there): computed metrics then cut
 * buckets in UTC rather than fail a request that never needed the stats.
 */
export async function learnGongZone(ctx: ConnectorContext): Promise<string | undefined> {
  if (typeof ctx.settings.timezone === 'string') return ctx.settings.timezone;
  if (statsScopeMissing.get(ctx.accountId)) return undefined;
  const to = DateTime.fromMillis(ctx.clock.now(), { zone: 'UTC' }).minus({ days: 1 });
  let page;
  try {
    page = await fetchGongPage(
      ctx.http,
      { method: 'POST', path: '/v2/stats/interaction', body: { filter: { fromDate: to.minus({ days: 7 }).toISODate(), toDate: to.toISODate() } } },
      GongInteractionStatsPage,
    );
  } catch (e) {
    if (e instanceof RemoteError && (e.statusCode === 401 || e.statusCode === 403)) {
      statsScopeMissing.set(ctx.accountId, true);
      return undefined;
    }
    throw e;
  }
  await rememberGongZone(ctx, page?.timeZone);
  return page?.timeZone;
}

/** Gong's own user records behind unified users this connector mapped (their remote_data). */
function gongUsersOf(directory: ReadonlyMap<string, User>): Map<string, GongUser> {
  const out = new Map<string, GongUser>();
  for (const [id, u] of directory) {
    const parsed = GongUser.safeParse(u.remote_data);
    if (parsed.success) out.set(id, parsed.data);
  }
  return out;
}
