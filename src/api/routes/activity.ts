import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Activity } from '../../domain/activity.js';
import { Scorecard, ScorecardTemplate } from '../../domain/scorecard.js';
import { AGGREGATION_PERIODS } from '../../metrics/buckets.js';
import type { ActivityService } from '../../service/activity.js';
import type { ScorecardsService } from '../../service/scorecards.js';
import { DATA_AS_OF_HEADER, ErrorBody, errorResponses, idListFilter, idString, IncludeRemoteData, listEnvelope, PaginationQuery, ReadFromQuery } from '../schemas.js';
import { clientSignal } from '../client-signal.js';

const BASE = '/unified/conversational-intelligence';
const tags = ['conversational intelligence'];
const responses409 = { 409: ErrorBody.describe('read_from=store and the store does not cover the request yet') };

const ListActivityQuery = z.object({
  integrated_account_id: idString(),
  start_time: z.string().min(1).describe('ISO 8601 date or date-time; inclusive. A date alone is midnight in the bucket zone; a date-time without offset is UTC.'),
  end_time: z.string().min(1).describe('ISO 8601 date or date-time; exclusive'),
  aggregation_period: z.enum(AGGREGATION_PERIODS, { error: `must be one of ${AGGREGATION_PERIODS.join(', ')}` }).default('total'),
  timezone: z.string().min(1).optional().describe('IANA zone for the buckets; default the source system zone (Gong: the company zone, the only one it supports)'),
  users: idListFilter('users', 'only these users (sent to the vendor as a filter where it has one)'),
  ...ReadFromQuery,
  ...PaginationQuery,
  ...IncludeRemoteData,
});

const REVIEW_METHOD_FILTER = ['manual', 'automatic', 'both'] as const;

const ListScorecardsQuery = z.object({
  integrated_account_id: idString(),
  start_time: z.string().min(1).optional().describe('calls that started at or after this ISO 8601 date or date-time (a date alone: midnight in the vendor zone)'),
  end_time: z.string().min(1).optional().describe('calls that started before this instant'),
  review_start_time: z.string().min(1).optional().describe('reviews completed at or after this instant'),
  review_end_time: z.string().min(1).optional().describe('reviews completed before this instant'),
  reviewees: idListFilter('reviewees', 'only scorecards of these reviewed users (a vendor filter)'),
  reviewers: idListFilter('reviewers', 'only scorecards filled by these users (applied by Parley: Gong has no such filter)'),
  scorecard_templates: idListFilter('scorecard_templates', 'only answers to these scorecard templates'),
  review_method: z.enum(REVIEW_METHOD_FILTER, { error: 'must be manual, automatic or both' }).default('both').describe('manual, automatic or both (default both)'),
  ...ReadFromQuery,
  ...PaginationQuery,
  ...IncludeRemoteData,
});

const ListTemplatesQuery = z.object({ integrated_account_id: idString(), ...ReadFromQuery, ...PaginationQuery, ...IncludeRemoteData });

function strip<T extends { remote_data?: unknown }>(include: boolean, rows: T[]): T[] {
  return include ? rows : rows.map(({ remote_data: _r, ...rest }) => rest as T);
}

export function activityRoutes(deps: { activity: ActivityService; scorecards: ScorecardsService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      `${BASE}/activity`,
      {
        schema: {
          tags,
          operationId: 'listActivity',
          summary: 'List Activity',
          description:
            "Per-user activity counters per day, week, month or the whole range (the buckets, ids and paging of Interactions). Gong: its own 15 counters; other vendors: calls_hosted and calls_attended computed from meetings. A counter the source does not report is absent. Ordered by start_time, then user.id.",
          querystring: ListActivityQuery,
          response: { 200: listEnvelope(Activity), ...responses409, ...errorResponses },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const page = await deps.activity.list(
          req.tenantId,
          {
            integrated_account_id: q.integrated_account_id,
            start_time: q.start_time,
            end_time: q.end_time,
            aggregation_period: q.aggregation_period,
            timezone: q.timezone,
            user_ids: q.users?.map((u) => u.id),
            limit: q.limit,
            next_cursor: q.next_cursor,
            read_from: q.read_from,
          },
          { signal: clientSignal(req, reply) },
        );
        if (page.data_as_of) reply.header(DATA_AS_OF_HEADER, page.data_as_of);
        const result = strip(q.include_remote_data, page.result);
        return { result, next_cursor: page.next_cursor, result_count: result.length };
      },
    );

    app.get(
      `${BASE}/scorecards`,
      {
        schema: {
          tags,
          operationId: 'listScorecards',
          summary: 'List Scorecards (answered)',
          description: 'Answered scorecards of calls in [start_time, end_time), reviewed in [review_start_time, review_end_time). Ids are strings, digit for digit as the vendor sends them.',
          querystring: ListScorecardsQuery,
          response: { 200: listEnvelope(Scorecard), ...responses409, ...errorResponses },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const page = await deps.scorecards.list(
          req.tenantId,
          {
            integrated_account_id: q.integrated_account_id,
            ...(q.start_time !== undefined ? { start_time: q.start_time } : {}),
            ...(q.end_time !== undefined ? { end_time: q.end_time } : {}),
            ...(q.review_start_time !== undefined ? { review_start_time: q.review_start_time } : {}),
            ...(q.review_end_time !== undefined ? { review_end_time: q.review_end_time } : {}),
            ...(q.reviewees ? { reviewee_ids: q.reviewees.map((u) => u.id) } : {}),
            ...(q.reviewers ? { reviewer_ids: q.reviewers.map((u) => u.id) } : {}),
            ...(q.scorecard_templates ? { scorecard_template_ids: q.scorecard_templates.map((u) => u.id) } : {}),
            review_method: q.review_method,
            limit: q.limit,
            ...(q.next_cursor !== undefined ? { next_cursor: q.next_cursor } : {}),
            read_from: q.read_from,
          },
          { signal: clientSignal(req, reply) },
        );
        if (page.data_as_of) reply.header(DATA_AS_OF_HEADER, page.data_as_of);
        const result = strip(q.include_remote_data, page.result);
        return { result, next_cursor: page.next_cursor, result_count: result.length };
      },
    );

    app.get(
      `${BASE}/scorecard-templates`,
      {
        schema: {
          tags,
          operationId: 'listScorecardTemplates',
          summary: 'List Scorecard templates',
          querystring: ListTemplatesQuery,
          response: { 200: listEnvelope(ScorecardTemplate), ...responses409, ...errorResponses },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const page = await deps.scorecards.listTemplates(
          req.tenantId,
          { integrated_account_id: q.integrated_account_id, limit: q.limit, ...(q.next_cursor !== undefined ? { next_cursor: q.next_cursor } : {}), read_from: q.read_from },
          { signal: clientSignal(req, reply) },
        );
        if (page.data_as_of) reply.header(DATA_AS_OF_HEADER, page.data_as_of);
        const result = strip(q.include_remote_data, page.result);
        return { result, next_cursor: page.next_cursor, result_count: result.length };
      },
    );
  };
}
