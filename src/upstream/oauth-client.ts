import * as oauth from 'oauth4webapi';

/**
 * OAuth 2 authorization-code client for vendors (Gong), over oauth4webapi: the authorization URL,
 * the code exchange and the refresh, with HTTP Basic client authentication. Knows no account or
 * store; the service decides when to refresh and where tokens go.
 */
export interface OAuthEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
}

export interface OAuthClientApp {
  clientId: string;
  clientSecret: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** epoch ms */
  expiresAt: number;
  /** every field of the token response (e.g. Gong's api_base_url_for_customer) */
  response: Record<string, unknown>;
}

/**
 * `rejected`: the vendor refused the grant for good (invalid_grant: a used or revoked refresh token,
 * a wrong client secret) — the end user must authorize again. `unavailable`: no answer (network,
 * 5xx, timeout) — try again later.
 */
export class OAuthGrantError extends Error {
  constructor(
    readonly kind: 'rejected' | 'unavailable',
    message: string,
    /** the vendor's error body when there was one (error, error_description) */
    readonly body?: unknown,
  ) {
    super(message);
  }
}

/** Access tokens without expires_in are assumed to live this long (Gong documents a day). */
const DEFAULT_LIFETIME_S = 3600;
const TOKEN_REQUEST_TIMEOUT_MS = 10_000;

function server(endpoints: OAuthEndpoints): oauth.AuthorizationServer {
  return { issuer: new URL(endpoints.tokenUrl).origin, authorization_endpoint: endpoints.authorizeUrl, token_endpoint: endpoints.tokenUrl };
}

function requestOptions(endpoints: OAuthEndpoints): oauth.TokenEndpointRequestOptions {
  // plain http only for loopback simulators in tests and the sandbox (the deployment sets the URLs)
  return { signal: AbortSignal.timeout(TOKEN_REQUEST_TIMEOUT_MS), ...(endpoints.tokenUrl.startsWith('http:') ? { [oauth.allowInsecureRequests]: true } : {}) };
}

export function authorizationUrl(endpoints: OAuthEndpoints, clientId: string, redirectUri: string, state: string, scopes: readonly string[]): string {
  const url = new URL(endpoints.authorizeUrl);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', scopes.join(' '));
  url.searchParams.set('state', state);
  return url.toString();
}

async function grant(endpoints: OAuthEndpoints, app: OAuthClientApp, now: number, send: (as: oauth.AuthorizationServer, client: oauth.Client, auth: oauth.ClientAuth) => Promise<Response>, process: (as: oauth.AuthorizationServer, client: oauth.Client, res: Response) => Promise<oauth.TokenEndpointResponse>): Promise<TokenSet> {
  const as = server(endpoints);
  const client: oauth.Client = { client_id: app.clientId };
  let res: Response;
  try {
    res = await send(as, client, oauth.ClientSecretBasic(app.clientSecret));
  } catch (err) {
    throw new OAuthGrantError('unavailable', `the token endpoint could not be reached: ${(err as Error).message}`);
  }
  if (res.status >= 500) throw new OAuthGrantError('unavailable', `the token endpoint answered ${res.status}`);
  let tokens: oauth.TokenEndpointResponse;
  try {
    tokens = await process(as, client, res);
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      throw new OAuthGrantError('rejected', `the vendor refused the grant: ${err.error}${err.error_description ? ` (${err.error_description})` : ''}`, err.cause);
    }
    throw new OAuthGrantError('unavailable', `the token endpoint's answer is not usable: ${(err as Error).message}`);
  }
  if (typeof tokens.refresh_token !== 'string') throw new OAuthGrantError('unavailable', 'the token response has no refresh_token');
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: now + (typeof tokens.expires_in === 'number' ? tokens.expires_in : DEFAULT_LIFETIME_S) * 1000,
    response: { ...tokens },
  };
}

export function exchangeCode(endpoints: OAuthEndpoints, app: OAuthClientApp, code: string, redirectUri: string, now: number): Promise<TokenSet> {
  return grant(
    endpoints,
    app,
    now,
    (as, client, auth) =>
      oauth.authorizationCodeGrantRequest(
        as,
        client,
        auth,
        // the caller checked `state` already (hashed, single use, bound to the browser)
        oauth.validateAuthResponse(as, client, new URLSearchParams({ code }), oauth.skipStateCheck),
        redirectUri,
        oauth.nopkce,
        requestOptions(endpoints),
      ),
    (as, client, res) => oauth.processAuthorizationCodeResponse(as, client, res),
  );
}

export function refreshTokens(endpoints: OAuthEndpoints, app: OAuthClientApp, refreshToken: string, now: number): Promise<TokenSet> {
  return grant(
    endpoints,
    app,
    now,
    (as, client, auth) => oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, requestOptions(endpoints)),
    (as, client, res) => oauth.processRefreshTokenResponse(as, client, res),
  );
}
