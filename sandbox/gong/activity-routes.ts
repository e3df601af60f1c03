import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { LosslessNumber, stringify } from 'lossless-json';
import { SimulatorHttpError } from '../shared/simulator-http.js';
import type { GongDataset } from './dataset.js';
import { emptyCounters, GONG_ACTIVITY_COUNTERS, GongActivityWorld, type ActivityCounters, type SimulatedScorecard } from './activity.js';

/**
 * Gong's activity stats and scorecard routes (reference/gong-openapi.json):
 * POST /v2/stats/activity/aggregate, POST /v2/stats/activity/aggregate-by-period,
 * POST /v2/stats/activity/scorecards, GET /v2/settings/scorecards. Ids the document declares as
 * int64 are written as JSON numbers of 19 digits (beyond what a double holds), as Gong does.
 */

type Json = Record<string, unknown>;
type Paginate = <T>(route: string, filter: unknown, cursor: unknown, list: (asOf: number) => readonly T[]) => { records: { totalRecords: number; cursor?: string }; items: T[] };

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const NO_ACTIVITY = 'No activity found for the specified period';
const int64 = (id: string): LosslessNumber => new LosslessNumber(id);

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function badRequest(message: string): never {
  throw new SimulatorHttpError(400, message);
}

function sendLossless(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(stringify(body));
}

export function registerGongActivityRoutes(
  app: FastifyInstance,
  ctx: { dataset: GongDataset; now: () => Date; requestIdOf(request: FastifyRequest): string | undefined },
  paginate: Paginate,
): GongActivityWorld {
  const { dataset } = ctx;
  const world = new GongActivityWorld(dataset);
  const nowMs = () => ctx.now().getTime();

  function date(value: unknown, field: string, required: boolean): string | undefined {
    if (value === undefined || value === null) {
      if (required) badRequest(`${field} is required (a date in YYYY-MM-DD format)`);
      return undefined;
    }
    if (typeof value !== 'string' || !DATE_ONLY.test(value) || !DateTime.fromISO(value).isValid) badRequest(`${field}: '${String(value)}' is not a valid date in YYYY-MM-DD format`);
    return value;
  }

  /** fromDate/toDate of an activity filter: company-zone days, toDate exclusive and not after today. */
  function range(filter: Json): { fromDate: string; toDate: string; from: number; to: number } {
    const fromDate = date(filter.fromDate, 'filter.fromDate', true)!;
    const toDate = date(filter.toDate, 'filter.toDate', true)!;
    if (fromDate >= toDate) badRequest(`filter.fromDate (${fromDate}) must be earlier than filter.toDate (${toDate})`);
    const today = dataset.localDate(ctx.now());
    if (toDate > today) badRequest(`filter.toDate (${toDate}) must not be later than the current day (${today} in ${dataset.timeZone})`);
    return { fromDate, toDate, from: dataset.startOfDay(fromDate), to: dataset.startOfDay(toDate) };
  }

  function userIds(filter: Json): string[] | undefined {
    const v = filter.userIds;
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) badRequest('filter.userIds must be an array of id strings');
    return v as string[];
  }

  const userOrder = (id: string) => {
    const i = dataset.users.findIndex((u) => u.id === id);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  const email = (id: string) => dataset.user(id)?.emailAddress;

  // https://gong.app.gong.io/settings/api/documentation#post-/v2/stats/activity/aggregate
  app.post('/v2/stats/activity/aggregate', async (request, reply) => {
    const body = asObject(request.body);
    const filter = asObject(body.filter);
    const r = range(filter);
    const ids = userIds(filter);
    const { records, items } = paginate('POST /v2/stats/activity/aggregate', filter, body.cursor, (asOf) => {
      const perUser = world.counters({ from: r.from, to: r.to, asOf, ...(ids ? { userIds: ids } : {}), periodOf: () => 'total' });
      return [...perUser.keys()].sort((a, b) => userOrder(a) - userOrder(b)).map((id) => ({ id, counters: perUser.get(id)!.get('total')! }));
    });
    if (records.totalRecords === 0) throw new SimulatorHttpError(404, NO_ACTIVITY);
    return {
      requestId: ctx.requestIdOf(request),
      records,
      usersAggregateActivityStats: items.map((u) => ({ userId: u.id, userEmailAddress: email(u.id), userAggregateActivityStats: u.counters })),
      timeZone: dataset.timeZone,
      fromDateTime: dataset.formatInstant(r.from),
      toDateTime: dataset.formatInstant(r.to),
    };
  });

  // https://gong.app.gong.io/settings/api/documentation#post-/v2/stats/activity/aggregate-by-period
  // Consecutive periods cover the range (the first from fromDate, the last to toDate); weeks start Monday.
  app.post('/v2/stats/activity/aggregate-by-period', async (request) => {
    const body = asObject(request.body);
    const filter = asObject(body.filter);
    const r = range(filter);
    const ids = userIds(filter);
    const unit = ({ DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter', YEAR: 'year' } as const)[String(body.aggregationPeriod) as 'DAY'];
    if (!unit) badRequest('aggregationPeriod must be one of DAY, WEEK, MONTH, QUARTER, YEAR');
    const periodStart = (at: number) => DateTime.fromMillis(at, { zone: dataset.timeZone }).startOf(unit); // luxon weeks start on Monday
    const periods: Array<{ label: string; from: number; to: number }> = [];
    for (let t = periodStart(r.from); t.toMillis() < r.to; t = t.plus({ [unit]: 1 })) {
      periods.push({ label: t.toISO()!, from: Math.max(t.toMillis(), r.from), to: Math.min(t.plus({ [unit]: 1 }).toMillis(), r.to) });
    }
    const { records, items } = paginate('POST /v2/stats/activity/aggregate-by-period', { ...filter, aggregationPeriod: body.aggregationPeriod }, body.cursor, (asOf) => {
      const perUser = world.counters({ from: r.from, to: r.to, asOf, ...(ids ? { userIds: ids } : {}), periodOf: (at) => periodStart(at).toISO()! });
      return [...perUser.keys()].sort((a, b) => userOrder(a) - userOrder(b)).map((id) => ({ id, periods: perUser.get(id)! }));
    });
    if (records.totalRecords === 0) throw new SimulatorHttpError(404, NO_ACTIVITY);
    return {
      requestId: ctx.requestIdOf(request),
      records,
      usersAggregateActivity: items.map((u) => ({
        userId: u.id,
        userEmailAddress: email(u.id),
        userAggregateActivity: periods.map((p) => ({
          ...(u.periods.get(p.label) ?? emptyCounters()),
          fromDate: dataset.formatInstant(p.from),
          toDate: dataset.formatInstant(p.to),
        })),
      })),
    };
  });

  // https://gong.app.gong.io/settings/api/documentation#post-/v2/stats/activity/scorecards
  app.post('/v2/stats/activity/scorecards', async (request, reply) => {
    const body = asObject(request.body);
    const filter = asObject(body.filter);
    const day = (field: string) => {
      const d = date(filter[field], `filter.${field}`, false);
      return d === undefined ? undefined : dataset.startOfDay(d);
    };
    const callFrom = day('callFromDate') ?? dataset.startOfDay(dataset.historyStart);
    const callTo = day('callToDate') ?? Number.POSITIVE_INFINITY;
    const reviewFrom = day('reviewFromDate');
    const reviewTo = day('reviewToDate');
    const method = filter.reviewMethod ?? 'MANUAL';
    const reviewed = filter.reviewedUserIds as string[] | undefined;
    const templates = filter.scorecardIds as string[] | undefined;
    const { records, items } = paginate<SimulatedScorecard>('POST /v2/stats/activity/scorecards', filter, body.cursor, (asOf) =>
      world
        .scorecards({ callFrom, callTo, asOf, ...(reviewFrom !== undefined ? { reviewFrom } : {}), ...(reviewTo !== undefined ? { reviewTo } : {}) })
        .filter((s) => (method === 'BOTH' || s.reviewMethod === method) && (!reviewed || reviewed.includes(s.reviewedUserId)) && (!templates || templates.includes(s.scorecardId)))
        .sort((a, b) => a.reviewedAt - b.reviewedAt || a.answeredScorecardId.localeCompare(b.answeredScorecardId)),
    );
    if (records.totalRecords === 0) throw new SimulatorHttpError(404, 'Answered scorecards not found');
    return sendLossless(reply, {
      requestId: ctx.requestIdOf(request),
      records,
      answeredScorecards: items.map((s) => ({
        answeredScorecardId: int64(s.answeredScorecardId),
        scorecardId: int64(s.scorecardId),
        scorecardName: s.scorecardName,
        callId: int64(s.callId),
        callStartTime: s.callStartTime,
        reviewedUserId: int64(s.reviewedUserId),
        // the document says null for automatic reviews but types it a plain integer: left out instead
        ...(s.reviewerUserId ? { reviewerUserId: int64(s.reviewerUserId) } : {}),
        reviewMethod: s.reviewMethod,
        reviewTime: s.reviewTime,
        visibilityType: s.visibilityType,
        answers: s.answers.map((a) => ({ ...a, questionId: int64(a.questionId), questionRevisionId: int64(a.questionRevisionId) })),
      })),
    });
  });

  // https://gong.app.gong.io/settings/api/documentation#get-/v2/settings/scorecards
  app.get('/v2/settings/scorecards', async (request, reply) =>
    sendLossless(reply, {
      requestId: ctx.requestIdOf(request),
      scorecards: world.templates.map((t) => ({
        ...t,
        scorecardId: int64(t.scorecardId),
        workspaceId: int64(t.workspaceId),
        updaterUserId: int64(t.updaterUserId),
        questions: t.questions.map((q) => ({ ...q, questionId: int64(q.questionId), questionRevisionId: int64(q.questionRevisionId) })),
      })),
    }),
  );

  return world;
}

export type { ActivityCounters };
export { GONG_ACTIVITY_COUNTERS };
