import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { integrationsCatalog } from '../../service/integrations.js';
import type { ConnectService } from '../../service/connect.js';
import type { CursorCodec } from '../../service/cursor.js';
import { UNIFIED_RESOURCES } from '../../connectors/types.js';
import { MAX_CREDENTIAL_STRING_LENGTH } from '../../connectors/credential-fields.js';
import { errorResponses, listEnvelope, PaginationQuery } from '../schemas.js';

const ResourceSources = z.array(z.enum(['native', 'computed']));

const Integration = z
  .object({
    slug: z.string(),
    name: z.string(),
    auth: z.array(z.enum(['api_key', 'oauth2'])).describe('api_key: credentials typed in; oauth2: the connect page sends the end user through the vendor\'s OAuth'),
    docs_url: z.string(),
    credentials_help: z.string().describe('where in the vendor\'s app the credentials are found'),
    credentials_schema: z.record(z.string(), z.unknown()).describe('JSON Schema (2020-12) of the `credentials` of POST /integrated-accounts'),
    resources: z
      .object(Object.fromEntries(UNIFIED_RESOURCES.map((r) => [r, ResourceSources.optional()])) as Record<(typeof UNIFIED_RESOURCES)[number], z.ZodOptional<typeof ResourceSources>>)
      .describe('the unified resources served, and whether from the vendor\'s own records (native) or derived by Parley (computed); the first is the default'),
  })
  .meta({ id: 'Integration' });

const OAuthAppBody = z.object({
  client_id: z.string().min(1).max(MAX_CREDENTIAL_STRING_LENGTH),
  client_secret: z.string().min(1).max(MAX_CREDENTIAL_STRING_LENGTH),
});

const OAuthApp = z.object({ integration: z.string(), client_id: z.string(), client_secret_set: z.literal(true) }).meta({ id: 'OAuthApp' });

export function integrationRoutes(deps: { connect: ConnectService; cursors: CursorCodec }): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['integrations'];
    app.get(
      '/integrations',
      {
        schema: {
          tags,
          operationId: 'listIntegrations',
          summary: 'The integrations catalog',
          description: 'Each vendor Parley connects to: how accounts authenticate, the credential fields as JSON Schema, and the resources served. Generated from the provider registry.',
          querystring: z.object(PaginationQuery),
          response: { 200: listEnvelope(Integration), ...errorResponses },
        },
      },
      async (req) => {
        const all = integrationsCatalog();
        const filters = { r: 'integrations' };
        const from = req.query.next_cursor ? deps.cursors.decode<{ o: number }>(req.query.next_cursor, filters).o : 0;
        const page = all.slice(from, from + req.query.limit);
        const next = from + page.length;
        return { result: page, next_cursor: next < all.length ? deps.cursors.encode(filters, { o: next }) : null, result_count: page.length };
      },
    );

    app.put(
      '/integrations/:slug/oauth-app',
      {
        schema: {
          tags,
          operationId: 'putIntegrationOAuthApp',
          summary: 'Register the tenant\'s OAuth app of a vendor',
          description: 'The client id and secret of the OAuth app the tenant registered with the vendor (Gong). The secret is encrypted at rest and never returned. Register `<PARLEY_PUBLIC_URL>/connect/oauth/callback` as the app\'s redirect URI.',
          params: z.object({ slug: z.string().min(1).max(64) }),
          body: OAuthAppBody,
          response: { 200: OAuthApp, ...errorResponses },
        },
      },
      async (req) => {
        await deps.connect.putOAuthApp(req.tenantId, req.params.slug, req.body);
        return { integration: req.params.slug, client_id: req.body.client_id, client_secret_set: true as const };
      },
    );
  };
}
