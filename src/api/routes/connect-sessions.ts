import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ConnectService } from '../../service/connect.js';
import { errorResponses } from '../schemas.js';
import { connectBaseUrl } from '../connect-urls.js';

const ConnectSessionBody = z.object({
  end_user: z
    .object({
      id: z.string().min(1).max(256).describe('your id of the customer who connects'),
      name: z.string().min(1).max(256).optional().describe('shown on the connect page'),
    })
    .describe('the tenant\'s customer; recorded on the integrated account'),
  integrations: z.array(z.string().min(1).max(64)).max(50).optional().describe('slugs offered on the page; default every integration'),
  redirect_url: z.url().max(2048).optional().describe('where the browser goes once connected, with `?integrated_account_id=…`'),
});

const ConnectSession = z
  .object({
    token: z.string().describe('single use; the only secret the browser gets'),
    url: z.string().describe('the connect page to open in the end user\'s browser'),
    expires_at: z.string(),
  })
  .meta({ id: 'ConnectSession' });

export function connectSessionRoutes(deps: { connect: ConnectService; publicUrl?: string }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/connect-sessions',
      {
        schema: {
          tags: ['integrations'],
          operationId: 'createConnectSession',
          summary: 'A connect page link for one end user',
          description: 'The end user opens `url`, picks a vendor and enters its credentials (or signs in through OAuth); Parley verifies them, creates the integrated account with `end_user` and redirects to `redirect_url?integrated_account_id=…`. Single use, expires after 30 minutes.',
          body: ConnectSessionBody,
          response: { 201: ConnectSession, ...errorResponses },
        },
      },
      async (req, reply) => {
        const created = await deps.connect.createSession(req.tenantId, req.body);
        const url = `${connectBaseUrl(req, deps.publicUrl)}/connect/${created.token}`;
        return reply.code(201).send({ token: created.token, url, expires_at: created.expires_at });
      },
    );
  };
}
