import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Meeting, Transcript, User } from '../../domain/resources.js';
import type { ResourcesService } from '../../service/resources.js';
import { errorResponses, IdParams, idString, IncludeRemoteData, listEnvelope, PaginationQuery } from '../schemas.js';
import { clientSignal } from '../client-signal.js';

const BASE = '/unified/conversational-intelligence';
const Account = { integrated_account_id: idString() };
const GetQuery = z.object({ ...Account, ...IncludeRemoteData });

function strip<T extends { remote_data?: unknown }>(include: boolean, r: T): T {
  if (include) return r;
  const { remote_data: _r, ...rest } = r;
  return rest as T;
}

function envelope<T extends { remote_data?: unknown }>(include: boolean, page: { result: T[]; next_cursor: string | null }) {
  const result = page.result.map((r) => strip(include, r));
  return { result, next_cursor: page.next_cursor, result_count: result.length };
}

export function resourceRoutes(deps: { resources: ResourcesService }): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['conversational intelligence'];

    app.get(
      `${BASE}/users`,
      {
        schema: {
          tags,
          operationId: 'listUsers',
          summary: 'List Users',
          querystring: z.object({ ...Account, ...PaginationQuery, ...IncludeRemoteData }),
          response: { 200: listEnvelope(User), ...errorResponses },
        },
      },
      async (req, reply) =>
        envelope(req.query.include_remote_data, await deps.resources.listUsers(req.tenantId, req.query, { signal: clientSignal(req, reply) })),
    );

    app.get(
      `${BASE}/users/:id`,
      { schema: { tags, operationId: 'getUser', summary: 'Get a User', params: IdParams, querystring: GetQuery, response: { 200: User, ...errorResponses } } },
      async (req, reply) =>
        strip(
          req.query.include_remote_data,
          await deps.resources.getUser(req.tenantId, req.query.integrated_account_id, req.params.id, { signal: clientSignal(req, reply) }),
        ),
    );

    app.get(
      `${BASE}/meetings`,
      {
        schema: {
          tags,
          operationId: 'listMeetings',
          summary: 'List Meetings',
          description: 'Meetings that started in [start_time, end_time), in the vendor\'s order.',
          querystring: z.object({
            ...Account,
            start_time: z.string().min(1).optional().describe('ISO 8601 date (midnight UTC) or date-time; inclusive'),
            end_time: z.string().min(1).optional().describe('ISO 8601 date (midnight UTC) or date-time; exclusive'),
            ...PaginationQuery,
            ...IncludeRemoteData,
          }),
          response: { 200: listEnvelope(Meeting), ...errorResponses },
        },
      },
      async (req, reply) =>
        envelope(req.query.include_remote_data, await deps.resources.listMeetings(req.tenantId, req.query, { signal: clientSignal(req, reply) })),
    );

    app.get(
      `${BASE}/meetings/:id`,
      { schema: { tags, operationId: 'getMeeting', summary: 'Get a Meeting', params: IdParams, querystring: GetQuery, response: { 200: Meeting, ...errorResponses } } },
      async (req, reply) =>
        strip(
          req.query.include_remote_data,
          await deps.resources.getMeeting(req.tenantId, req.query.integrated_account_id, req.params.id, { signal: clientSignal(req, reply) }),
        ),
    );

    app.get(
      `${BASE}/transcripts`,
      {
        schema: {
          tags,
          operationId: 'listTranscripts',
          summary: 'List Transcripts of a meeting',
          description: 'Entry times are seconds from the start of the meeting.',
          querystring: z.object({
            ...Account,
            meeting_id: idString().describe('the id of the meeting whose transcript to list'),
            ...PaginationQuery,
            ...IncludeRemoteData,
          }),
          response: { 200: listEnvelope(Transcript), ...errorResponses },
        },
      },
      async (req, reply) =>
        envelope(req.query.include_remote_data, await deps.resources.listTranscripts(req.tenantId, req.query, { signal: clientSignal(req, reply) })),
    );
  };
}
