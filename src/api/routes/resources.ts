import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Meeting, Transcript, User } from '../../domain/resources.js';
import type { ResourcesService } from '../../service/resources.js';
import { DATA_AS_OF_HEADER, errorResponses, ErrorBody, IdParams, idString, IncludeRemoteData, listEnvelope, ModifiedAfterQuery, PaginationQuery, ReadFromQuery } from '../schemas.js';
import type { FastifyReply } from 'fastify';
import { clientSignal } from '../client-signal.js';
import { sendPage, withoutRemoteData } from '../page-body.js';

const BASE = '/unified/conversational-intelligence';
const Account = { integrated_account_id: idString() };
const GetQuery = z.object({ ...Account, ...ReadFromQuery, ...IncludeRemoteData });
const storeResponses = { 409: ErrorBody.describe('read_from=store and the store does not cover the request yet') };

/** Store answers say as of when (the instant of the sync that produced them). */
function asOf(reply: FastifyReply, dataAsOf: string | undefined): void {
  if (dataAsOf) reply.header(DATA_AS_OF_HEADER, dataAsOf);
}

function envelope<T extends { remote_data?: unknown }>(reply: FastifyReply, include: boolean, page: { result: T[]; next_cursor: string | null; data_as_of?: string }) {
  asOf(reply, page.data_as_of);
  return sendPage(reply, include, page);
}

export function resourceRoutes(deps: { resources: ResourcesService }): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['conversational intelligence'];

    app.get(
      `${BASE}/users`,
      {
        config: { warm: true },
        schema: {
          tags,
          operationId: 'listUsers',
          summary: 'List Users',
          querystring: z.object({ ...Account, ...ReadFromQuery, ...ModifiedAfterQuery, ...PaginationQuery, ...IncludeRemoteData }),
          response: { 200: listEnvelope(User), ...storeResponses, ...errorResponses },
        },
      },
      async (req, reply) =>
        envelope(reply, req.query.include_remote_data, await deps.resources.listUsers(req.tenantId, req.query, { signal: clientSignal(req, reply) })),
    );

    app.get(
      `${BASE}/users/:id`,
      { schema: { tags, operationId: 'getUser', summary: 'Get a User', params: IdParams, querystring: GetQuery, response: { 200: User, ...storeResponses, ...errorResponses } } },
      async (req, reply) => {
        const got = await deps.resources.getUser(req.tenantId, req.query.integrated_account_id, req.params.id, {
          signal: clientSignal(req, reply),
          read_from: req.query.read_from,
        });
        asOf(reply, got.data_as_of);
        return withoutRemoteData(req.query.include_remote_data, got.record);
      },
    );

    app.get(
      `${BASE}/meetings`,
      {
        config: { warm: true },
        schema: {
          tags,
          operationId: 'listMeetings',
          summary: 'List Meetings',
          description: 'Meetings that started in [start_time, end_time): from the vendor in the vendor\'s order; from the synced store by start_time, then id (with modified_after: by the time the store saw each change).',
          querystring: z.object({
            ...Account,
            start_time: z.string().min(1).optional().describe('ISO 8601 date (midnight UTC) or date-time; inclusive'),
            end_time: z.string().min(1).optional().describe('ISO 8601 date (midnight UTC) or date-time; exclusive'),
            ...ReadFromQuery,
            ...ModifiedAfterQuery,
            ...PaginationQuery,
            ...IncludeRemoteData,
          }),
          response: { 200: listEnvelope(Meeting), ...storeResponses, ...errorResponses },
        },
      },
      async (req, reply) =>
        envelope(reply, req.query.include_remote_data, await deps.resources.listMeetings(req.tenantId, req.query, { signal: clientSignal(req, reply) })),
    );

    app.get(
      `${BASE}/meetings/:id`,
      { schema: { tags, operationId: 'getMeeting', summary: 'Get a Meeting', params: IdParams, querystring: GetQuery, response: { 200: Meeting, ...storeResponses, ...errorResponses } } },
      async (req, reply) => {
        const got = await deps.resources.getMeeting(req.tenantId, req.query.integrated_account_id, req.params.id, {
          signal: clientSignal(req, reply),
          read_from: req.query.read_from,
        });
        asOf(reply, got.data_as_of);
        return withoutRemoteData(req.query.include_remote_data, got.record);
      },
    );

    app.get(
      `${BASE}/transcripts`,
      {
        config: { warm: true },
        schema: {
          tags,
          operationId: 'listTranscripts',
          summary: 'List Transcripts of a meeting (or every transcript changed after modified_after)',
          description: 'Entry times are seconds from the start of the meeting.',
          querystring: z.object({
            ...Account,
            meeting_id: idString().optional().describe('the id of the meeting whose transcript to list (required unless modified_after is given)'),
            ...ReadFromQuery,
            ...ModifiedAfterQuery,
            ...PaginationQuery,
            ...IncludeRemoteData,
          }),
          response: { 200: listEnvelope(Transcript), ...storeResponses, ...errorResponses },
        },
      },
      async (req, reply) =>
        envelope(reply, req.query.include_remote_data, await deps.resources.listTranscripts(req.tenantId, req.query, { signal: clientSignal(req, reply) })),
    );
  };
}
