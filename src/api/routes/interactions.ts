import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Interaction } from '../../domain/interaction.js';
import { AGGREGATION_PERIODS } from '../../metrics/buckets.js';
import { METRICS_SOURCES, type InteractionsService } from '../../service/interactions.js';
import { ComputeInteractionsBody, computeRequest, MetricsInputError } from '../../metrics/index.js';
import { BadRequestError } from '../../domain/errors.js';
import { COMPUTE_BODY_LIMIT_BYTES } from '../limits.js';
import { DATA_AS_OF_HEADER, ErrorBody, errorResponses, idListFilter, idString, IncludeRemoteData, listEnvelope, PaginationQuery, ReadFromQuery } from '../schemas.js';
import { clientSignal } from '../client-signal.js';
import { sendPage } from '../page-body.js';

const ListInteractionsQuery = z.object({
  integrated_account_id: idString(),
  start_time: z.string().min(1).describe('ISO 8601 date or date-time; inclusive. A date alone is midnight in the bucket zone; a date-time without offset is UTC.'),
  end_time: z.string().min(1).describe('ISO 8601 date or date-time; exclusive'),
  aggregation_period: z
    .enum(AGGREGATION_PERIODS, { error: `must be one of ${AGGREGATION_PERIODS.join(', ')}` })
    .default('total'),
  timezone: z.string().min(1).optional().describe('IANA zone for the buckets; default the source system zone (Gong: the company zone, the only one it supports)'),
  users: idListFilter('users', 'only these users (sent to the vendor as a filter where it has one)'),
  metrics_source: z
    .enum(METRICS_SOURCES, { error: 'must be native or computed' })
    .optional()
    .describe('native: the vendor\'s own numbers; computed: Parley\'s METRICS.md definition over timed transcripts. Default native where the vendor reports all five standard metrics (Gong), else computed'),
  ...ReadFromQuery,
  ...PaginationQuery,
  ...IncludeRemoteData,
});

export function interactionRoutes(deps: { interactions: InteractionsService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/unified/conversational-intelligence/interactions',
      {
        config: { warm: true },
        schema: {
          tags: ['conversational intelligence'],
          operationId: 'listInteractions',
          summary: 'List Interactions',
          description:
            'Per-user interaction metrics per day, week, month or the whole range. Ordered by start_time, then user.id.',
          querystring: ListInteractionsQuery,
          response: { 200: listEnvelope(Interaction), 409: ErrorBody.describe('read_from=store and the store does not cover the request yet'), ...errorResponses },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const page = await deps.interactions.list(req.tenantId, {
          integrated_account_id: q.integrated_account_id,
          start_time: q.start_time,
          end_time: q.end_time,
          aggregation_period: q.aggregation_period,
          timezone: q.timezone,
          user_ids: q.users?.map((u) => u.id),
          limit: q.limit,
          next_cursor: q.next_cursor,
          metrics_source: q.metrics_source,
          read_from: q.read_from,
        }, { signal: clientSignal(req, reply) });
        if (page.data_as_of) reply.header(DATA_AS_OF_HEADER, page.data_as_of);
        return sendPage(reply, q.include_remote_data, page);
      },
    );

    app.post(
      '/unified/conversational-intelligence/interactions/compute',
      {
        schema: {
          tags: ['conversational intelligence'],
          operationId: 'computeInteractions',
          summary: 'Compute Interactions from your own transcripts',
          description:
            'For recorders no connector covers: send normalized calls (METRICS.md format) and get unified Interactions records, exactly as `parley compute` prints them.',
          body: ComputeInteractionsBody,
          response: { 200: z.object({ result: z.array(Interaction) }), ...errorResponses },
        },
        // The calls are validated by the engine's own fast parser, which names the call and field.
        validatorCompiler: () => (data: unknown) => ({ value: data }),
        bodyLimit: COMPUTE_BODY_LIMIT_BYTES,
      },
      async (req) => {
        try {
          return computeRequest(req.body);
        } catch (e) {
          if (e instanceof MetricsInputError) throw new BadRequestError(e.message);
          throw e;
        }
      },
    );
  };
}
