import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SyncStatus } from '../../domain/sync.js';
import type { SyncService } from '../../service/sync.js';
import { errorResponses, ErrorBody } from '../schemas.js';

const IdParams = z.object({ id: z.string().min(1) });

export function syncRoutes(deps: { sync: SyncService }): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['sync'];
    app.get(
      '/integrated-accounts/:id/sync',
      {
        schema: {
          tags,
          operationId: 'getIntegratedAccountSync',
          summary: 'Sync status of an integrated account',
          description: 'What the store holds for this account, the run in progress (pages and records so far) and the last error in words.',
          params: IdParams,
          response: { 200: SyncStatus, ...errorResponses },
        },
      },
      async (req) => deps.sync.status(req.tenantId, req.params.id),
    );
    app.post(
      '/integrated-accounts/:id/sync',
      {
        schema: {
          tags,
          operationId: 'startIntegratedAccountSync',
          summary: 'Start a sync run now',
          description: 'Answers 202 with the status. A run already going is not started twice; a disabled sync is a 409.',
          params: IdParams,
          response: { 202: SyncStatus, 409: ErrorBody, ...errorResponses },
        },
      },
      async (req, reply) => reply.code(202).send(await deps.sync.request(req.tenantId, req.params.id)),
    );
  };
}
