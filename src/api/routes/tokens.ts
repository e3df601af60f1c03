import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { TokensService } from '../../service/tokens.js';
import type { TokenRecord } from '../../store/repositories.js';
import { errorResponses, IdParams, listEnvelope, PaginationQuery } from '../schemas.js';

const ApiToken = z
  .object({ id: z.string(), label: z.string(), created_at: z.string() })
  .meta({ id: 'ApiToken' });

const CreatedApiToken = ApiToken.extend({ token: z.string().describe('the token itself: shown once, stored only as a hash') }).meta({
  id: 'CreatedApiToken',
});

const CreateTokenBody = z
  .object({ label: z.string().min(1).max(200).optional().describe('what the token is for (default "api")') })
  .default({});

function present(t: TokenRecord): z.infer<typeof ApiToken> {
  return { id: t.id, label: t.label, created_at: t.createdAt };
}

/** `/api-tokens`: the calling tenant's tokens (CONTRACT.md is silent; see README "API tokens"). */
export function tokenRoutes(deps: { tokens: TokensService }): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['api tokens'];
    app.post(
      '/api-tokens',
      {
        schema: {
          tags,
          operationId: 'createApiToken',
          summary: 'Create an API token of the calling tenant',
          body: CreateTokenBody,
          response: { 201: CreatedApiToken, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { record, token } = await deps.tokens.create(req.tenantId, req.body?.label ?? 'api');
        return reply.code(201).send({ ...present(record), token });
      },
    );
    app.get(
      '/api-tokens',
      {
        schema: {
          tags,
          operationId: 'listApiTokens',
          summary: 'List the calling tenant\'s API tokens (never the tokens themselves)',
          querystring: z.object(PaginationQuery),
          response: { 200: listEnvelope(ApiToken), ...errorResponses },
        },
      },
      async (req) => {
        const { page, nextCursor } = await deps.tokens.list(req.tenantId, req.query.limit, req.query.next_cursor);
        return { result: page.map(present), next_cursor: nextCursor, result_count: page.length };
      },
    );
    app.delete(
      '/api-tokens/:id',
      {
        schema: {
          tags,
          operationId: 'revokeApiToken',
          summary: 'Revoke an API token (it stops working at once)',
          params: IdParams,
          response: { 204: z.null().describe('revoked'), ...errorResponses },
        },
      },
      async (req, reply) => {
        await deps.tokens.revoke(req.tenantId, req.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}
