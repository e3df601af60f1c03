import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Gong's OAuth 2 for apps, as a simulator (https://help.gong.io/docs/create-an-app-for-gong):
 * `GET /oauth2/authorize` (the customer's admin consents: here at once, an auto-consent), `POST
 * /oauth2/generate-customer-token` with HTTP Basic client authentication, for `authorization_code`
 * and `refresh_token` grants (parameters in the query string as Gong documents them, or in a form
 * body). Access tokens are short-lived; refresh tokens are single use: a reused one is refused with
 * `invalid_grant`, as Gong does. The token response carries `api_base_url_for_customer`.
 */
export interface GongOAuthOptions {
  clientId?: string;
  clientSecret?: string;
  /** access token lifetime in seconds; default 3600 */
  accessTokenTtlS?: number;
}

export const OAUTH_PREFIX = '/oauth2/';

interface Grant {
  expiresAt: number;
}

export interface GongOAuth {
  clientId: string;
  clientSecret: string;
  /** true when `authorization` carries a live access token */
  accepts(authorization: string | undefined): boolean;
  /** every token request: grant type and outcome (tests count refreshes) */
  tokenRequests: { grantType: string; status: number }[];
  /** revoke every token (the customer removed the app) */
  revokeAll(): void;
  /** expire every access token now (refresh tests) */
  expireAccessTokens(): void;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function installGongOAuth(app: FastifyInstance, opts: GongOAuthOptions & { now: () => Date; apiBaseUrl: () => string }): GongOAuth {
  const clientId = opts.clientId ?? 'sandbox-client';
  const clientSecret = opts.clientSecret ?? 'sandbox-client-secret';
  const ttlS = opts.accessTokenTtlS ?? 3600;
  const codes = new Map<string, { redirectUri: string; expiresAt: number }>();
  const accessTokens = new Map<string, Grant>();
  const refreshTokens = new Map<string, { used: boolean }>();
  const tokenRequests: { grantType: string; status: number }[] = [];
  const now = () => opts.now().getTime();

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  const oauthError = (reply: FastifyReply, status: number, error: string, description: string) =>
    reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });

  app.get(`${OAUTH_PREFIX}authorize`, async (req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply) => {
    const q = req.query;
    if (q.client_id !== clientId) return reply.code(400).type('text/plain').send('Unknown client_id');
    if (q.response_type !== 'code') return reply.code(400).type('text/plain').send('response_type must be code');
    if (!q.redirect_uri) return reply.code(400).type('text/plain').send('redirect_uri is required');
    const code = randomBytes(16).toString('hex');
    codes.set(code, { redirectUri: q.redirect_uri, expiresAt: now() + 5 * 60_000 });
    const target = new URL(q.redirect_uri);
    target.searchParams.set('code', code);
    if (q.state !== undefined) target.searchParams.set('state', q.state);
    // the sandbox's admin always consents
    return reply.code(302).header('location', target.toString()).send();
  });

  const issue = () => {
    const access = `gong-at-${randomBytes(16).toString('hex')}`;
    const refresh = `gong-rt-${randomBytes(16).toString('hex')}`;
    accessTokens.set(access, { expiresAt: now() + ttlS * 1000 });
    refreshTokens.set(refresh, { used: false });
    return {
      access_token: access,
      refresh_token: refresh,
      token_type: 'bearer',
      expires_in: ttlS,
      scope: 'api:users:read api:calls:read:basic api:calls:read:extensive api:calls:read:transcript api:stats:interaction',
      api_base_url_for_customer: opts.apiBaseUrl(),
    };
  };

  app.post(`${OAUTH_PREFIX}generate-customer-token`, async (req: FastifyRequest<{ Querystring: Record<string, string | undefined> }>, reply) => {
    const params = { ...(typeof req.body === 'object' && req.body ? (req.body as Record<string, string>) : {}), ...req.query };
    const grantType = params.grant_type ?? '';
    const answer = (status: number, error: string, description: string) => {
      tokenRequests.push({ grantType, status });
      return oauthError(reply, status, error, description);
    };
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
    if (!id || !secret || !same(decodeURIComponent(id), clientId) || !same(decodeURIComponent(secret), clientSecret)) {
      return answer(401, 'invalid_client', 'client authentication failed');
    }
    if (grantType === 'authorization_code') {
      const code = params.code ? codes.get(params.code) : undefined;
      if (!code || code.expiresAt <= now()) return answer(400, 'invalid_grant', 'the authorization code is unknown, used or expired');
      codes.delete(params.code!);
      if (params.redirect_uri !== code.redirectUri) return answer(400, 'invalid_grant', 'redirect_uri does not match the authorization request');
    } else if (grantType === 'refresh_token') {
      const token = params.refresh_token ? refreshTokens.get(params.refresh_token) : undefined;
      if (!token) return answer(400, 'invalid_grant', 'the refresh token is unknown or revoked');
      if (token.used) return answer(400, 'invalid_grant', 'the refresh token was already used');
      token.used = true;
    } else {
      return answer(400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
    }
    tokenRequests.push({ grantType, status: 200 });
    return reply.header('cache-control', 'no-store').send(issue());
  });

  return {
    clientId,
    clientSecret,
    tokenRequests,
    accepts(authorization) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      const grant = m ? accessTokens.get(m[1]!) : undefined;
      return grant !== undefined && grant.expiresAt > now();
    },
    revokeAll() {
      accessTokens.clear();
      refreshTokens.clear();
    },
    expireAccessTokens() {
      for (const g of accessTokens.values()) g.expiresAt = 0;
    },
  };
}
