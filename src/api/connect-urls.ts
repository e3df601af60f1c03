import type { FastifyRequest } from 'fastify';

/**
 * Parley's own origin as browsers reach it: PARLEY_PUBLIC_URL when set (production: behind a proxy,
 * and never taken from a Host header), else the origin of the request.
 */
export function connectBaseUrl(req: FastifyRequest, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `${req.protocol}://${req.host}`;
}

export function oauthRedirectUri(req: FastifyRequest, publicUrl?: string): string {
  return `${connectBaseUrl(req, publicUrl)}/connect/oauth/callback`;
}
