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

/** The tenant of the request's bearer token; throws 401 when there is none or it is unknown. */
export async function authenticate(tokens: TokenRepository, req: FastifyRequest): Promise<string> {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new UnauthorizedError();
  const tenantId = await tokens.tenantOf(match[1]!);
  if (!tenantId) throw new UnauthorizedError('Unknown API token.');
  return tenantId;
}

/**
 * Bearer API tokens; each belongs to one tenant, which every later lookup is scoped to. This hook
 * runs before body parsing and validation, so an unauthenticated request to a real route gets 401
 * before any other complaint (docs/ARCHITECTURE.md, "Order of checks").
 */
export function installAuth(app: FastifyInstance, tokens: TokenRepository): void {
  app.decorateRequest('tenantId', '');
  app.addHook('onRequest', async (req: FastifyRequest) => {
    const url = req.routeOptions.url;
    // unmatched routes fall through to the 404/405 handler; /docs/* are the reference page's own assets
    if (req.routeOptions.config?.auth === false || url === undefined || url === '/docs' || url.startsWith('/docs/')) return;
    req.tenantId = await authenticate(tokens, req);
  });
}
