import type { DateTime } from 'luxon';
import type { ActivityDraft, ConnectorContext, NativeActivity, NativeActivityQuery } from '../types.js';
import { gongPages } from './paging.js';
import { cachedGongUsers, gongUsersOf } from './users.js';
import { GongActivityByPeriodPage, GongAggregateActivityPage } from './activity-schemas.js';
import { gongActivityUser, gongPeriodStart, mapGongActivityCounters } from './activity-mappers.js';
import { rememberGongZone } from './interaction-stats.js';

const GONG_PERIODS = { day: 'DAY', week: 'WEEK', month: 'MONTH' } as const;

/**
 * Gong's own activity counters.
 * - POST /v2/stats/activity/aggregate-by-period
 *   (https://gong.app.gong.io/settings/api/documentation#post-/v2/stats/activity/aggregate-by-period):
 *   per user, one entry per DAY, WEEK (weeks start on Monday) or MONTH of [fromDate, toDate); the
 *   first entry starts at fromDate when that is mid-period.
 * - POST /v2/stats/activity/aggregate
 *   (https://gong.app.gong.io/settings/api/documentation#post-/v2/stats/activity/aggregate): one
 *   total per user for the range.
 * Dates are in the company zone, toDate exclusive and not after the current day; the cursor goes in
 * the body and the rest of the body stays identical while paging; 404 = no activity.
 */
export function gongNativeActivity(ctx: ConnectorContext): NativeActivity {
  return {
    granularity: 'day',
    zone: 'company',
    knownZone: () => (typeof ctx.settings.timezone === 'string' ? ctx.settings.timezone : undefined),
    reportableUntil: (now: DateTime, zone: string) => now.setZone(zone).startOf('day'),
    async list(q: NativeActivityQuery) {
      const filter: Record<string, unknown> = {
        fromDate: q.start.setZone(q.zone).toISODate(),
        toDate: q.end.setZone(q.zone).toISODate(),
      };
      if (q.userIds && q.userIds.length > 0) filter.userIds = [...new Set(q.userIds)];
      const users = q.directory ? gongUsersOf(q.directory) : await cachedGongUsers(ctx.accountId, ctx.http);
      const records: ActivityDraft[] = [];
      let zone: string | undefined;
      if (q.period === 'total') {
        for await (const page of gongPages(ctx.http, { method: 'POST', path: '/v2/stats/activity/aggregate', body: { filter } }, GongAggregateActivityPage)) {
          zone ??= page.timeZone;
          const envelope = { requestId: page.requestId, timeZone: page.timeZone, fromDateTime: page.fromDateTime, toDateTime: page.toDateTime };
          for (const row of page.usersAggregateActivityStats) {
            records.push({
              user: gongActivityUser(row.userId, users.get(row.userId), row.userEmailAddress),
              ...mapGongActivityCounters(row.userAggregateActivityStats ?? {}),
              remote_data: { ...envelope, ...row },
            });
          }
        }
      } else {
        const body = { filter, aggregationPeriod: GONG_PERIODS[q.period] };
        for await (const page of gongPages(ctx.http, { method: 'POST', path: '/v2/stats/activity/aggregate-by-period', body }, GongActivityByPeriodPage)) {
          zone ??= page.timeZone;
          for (const row of page.usersAggregateActivity) {
            const user = gongActivityUser(row.userId, users.get(row.userId), row.userEmailAddress);
            for (const period of row.userAggregateActivity ?? []) {
              const periodStart = gongPeriodStart(period.fromDate, q.zone);
              if (!periodStart) continue;
              records.push({
                user,
                ...mapGongActivityCounters(period),
                remote_data: { requestId: page.requestId, userId: row.userId, userEmailAddress: row.userEmailAddress, ...period },
                periodStart,
              });
            }
          }
        }
      }
      await rememberGongZone(ctx, zone);
      return { records, ...(zone ? { zone } : {}) };
    },
  };
}
