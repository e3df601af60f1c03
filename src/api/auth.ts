import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../domain/errors.js';
import type { TokenRepository } from '../store/repositories.js';

declare module 'fastify' {
  interface FastifyRequest {
    tenantId: string;
  }
  interface FastifyContextConfig {
    /** false for the few public routes (/health, /openapi.json, /docs) */
    auth?: boolean;
  }
}

/** Bearer API tokens; each belongs to one tenant, which every later lookup is scoped to. */
export function installAuth(app: FastifyInstance, tokens: TokenRepository): void {
  app.decorateRequest('tenantId', '');
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const url = req.routeOptions.url;
    // unmatched routes fall through to the 404 handler; /docs/* are the reference page's own assets
    if (req.routeOptions.config?.auth === false || url === undefined || url === '/docs' || url.startsWith('/docs/')) return;
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new UnauthorizedError();
    const tenantId = await tokens.tenantOf(match[1]!);
    if (!tenantId) throw new UnauthorizedError('Unknown API token.');
    req.tenantId = tenantId;
  });
}
