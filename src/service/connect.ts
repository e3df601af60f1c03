import { randomBytes } from 'node:crypto';
import { BadRequestError, ConflictError, NotFoundError, ParleyError } from '../domain/errors.js';
import type { Clock } from '../domain/clock.js';
import { connectorFor, connectors } from '../connectors/registry.js';
import { checkBaseUrl } from '../upstream/address-policy.js';
import type { ConnectSessionRecord, ConnectStore, EndUser } from '../store/connect-repositories.js';
import { authorizationUrl, exchangeCode, OAuthGrantError } from '../upstream/oauth-client.js';
import { hashToken } from '../store/crypto.js';
import type { AccountsService } from './accounts.js';
import { credentialsFromTokens, type OAuthEndpointsTable } from './oauth-tokens.js';

/**
 * Connect sessions: a tenant lets its customer (the end user) connect a vendor account in a page
 * Parley serves, with API keys or through OAuth. The session token in the page's URL is the only
 * secret the browser holds (single use, 30 minutes); no tenant API token ever reaches it.
 */
export const CONNECT_SESSION_TTL_MS = 30 * 60 * 1000;
/** An OAuth round trip (authorize, consent, callback) must finish within this. */
const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

/** The session is over (used, expired or unknown): the page says so and what to do. */
export class ConnectSessionGoneError extends ParleyError {
  constructor(message: string) {
    super(410, message);
  }
}

export interface CreatedConnectSession {
  token: string;
  expires_at: string;
  session: ConnectSessionRecord;
}

export class ConnectService {
  constructor(
    private readonly deps: {
      connect: ConnectStore;
      accounts: AccountsService;
      endpoints: OAuthEndpointsTable;
      clock: Clock;
      allowPrivateUpstreams: boolean;
    },
  ) {}

  async createSession(tenantId: string, body: { end_user: EndUser; integrations?: string[]; redirect_url?: string }): Promise<CreatedConnectSession> {
    const known = [...connectors.keys()];
    const integrations = body.integrations && body.integrations.length > 0 ? [...new Set(body.integrations)] : known;
    for (const [i, slug] of integrations.entries()) {
      if (!connectorFor(slug)) throw new BadRequestError(`integrations[${i}]: unknown integration ${JSON.stringify(slug.slice(0, 40))}; supported: ${known.join(', ')}`);
    }
    if (body.redirect_url) {
      const url = new URL(body.redirect_url);
      // the end user's browser goes there: the address policy keeps https (plain http only where private upstreams are allowed: tests, on-prem)
      if (url.protocol !== 'https:' && !(this.deps.allowPrivateUpstreams && url.protocol === 'http:')) {
        throw new BadRequestError('redirect_url: must use https');
      }
    }
    const token = `cs_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(this.deps.clock.now() + CONNECT_SESSION_TTL_MS).toISOString();
    const session = await this.deps.connect.sessions.create({
      token,
      tenantId,
      endUser: body.end_user,
      integrations,
      ...(body.redirect_url ? { redirectUrl: body.redirect_url } : {}),
      expiresAt,
    });
    return { token, expires_at: expiresAt, session };
  }

  /** The open session behind a token: 410 when used or expired, 404 when unknown. */
  async open(token: string): Promise<ConnectSessionRecord> {
    const session = await this.deps.connect.sessions.byToken(token);
    if (!session) throw new NotFoundError('This connect link is not valid. Ask for a new one.');
    this.usable(session);
    return session;
  }

  private usable(session: ConnectSessionRecord): void {
    if (session.usedAt) throw new ConnectSessionGoneError('This connect link was already used. Ask for a new one to connect another account.');
    if (Date.parse(session.expiresAt) <= this.deps.clock.now()) throw new ConnectSessionGoneError('This connect link has expired (links last 30 minutes). Ask for a new one.');
  }

  private allowed(session: ConnectSessionRecord, integration: string): void {
    if (!session.integrations.includes(integration) || !connectorFor(integration)) {
      throw new NotFoundError(`integration "${integration.slice(0, 40)}" is not offered in this connect session`);
    }
  }

  /** Where the browser goes once connected: the tenant's redirect_url with the account id, else Parley's done page. */
  private finish(session: ConnectSessionRecord, accountId: string): { accountId: string; redirect?: string } {
    if (!session.redirectUrl) return { accountId };
    const url = new URL(session.redirectUrl);
    url.searchParams.set('integrated_account_id', accountId);
    return { accountId, redirect: url.toString() };
  }

  /** API keys typed by the end user: validated and verified like POST /integrated-accounts (400 naming the field). */
  async connectWithCredentials(token: string, integration: string, credentials: Record<string, unknown>): Promise<{ accountId: string; redirect?: string }> {
    const session = await this.open(token);
    this.allowed(session, integration);
    const account = await this.deps.accounts.create(session.tenantId, { integration, credentials }, { endUser: session.endUser });
    if (!(await this.deps.connect.sessions.markUsed(session.id, account.id))) {
      // another tab finished first: this account is one too many
      await this.deps.accounts.delete(session.tenantId, account.id);
      throw new ConnectSessionGoneError('This connect link was already used. Ask for a new one to connect another account.');
    }
    return this.finish(session, account.id);
  }

  /**
   * The vendor's authorization URL. `state` is random, stored hashed with the session, single use and
   * bound to this browser by a nonce the page keeps in an HttpOnly SameSite cookie: a callback
   * carrying someone else's state (login CSRF) is refused.
   */
  async startOAuth(token: string, integration: string, redirectUri: string): Promise<{ authorizeUrl: string; browserNonce: string }> {
    const session = await this.open(token);
    this.allowed(session, integration);
    const provider = connectorFor(integration)!.provider;
    const endpoints = this.deps.endpoints.of(integration);
    if (!provider.auth.includes('oauth2') || !endpoints || !provider.oauth) throw new BadRequestError(`${provider.name} does not connect through OAuth here`);
    const app = await this.deps.connect.oauthApps.get(session.tenantId, integration);
    if (!app) throw new ConflictError(`${provider.name} OAuth is not set up for this workspace yet (PUT /integrations/${integration}/oauth-app); use the API key form instead.`);
    const state = randomBytes(32).toString('base64url');
    const browserNonce = randomBytes(32).toString('base64url');
    await this.deps.connect.oauthStates.put(state, {
      sessionId: session.id,
      integration,
      browserNonce,
      expiresAt: new Date(this.deps.clock.now() + OAUTH_STATE_TTL_MS).toISOString(),
    });
    return { authorizeUrl: authorizationUrl(endpoints, app.clientId, redirectUri, state, provider.oauth.scopes), browserNonce };
  }

  /** The vendor sent the browser back: check state and browser, exchange the code, create the account. */
  async finishOAuth(input: { state?: string; code?: string; error?: string; browserNonce?: string; redirectUri: string }): Promise<{ accountId: string; redirect?: string; token?: string }> {
    if (!input.state) throw new BadRequestError('state: missing from the callback; start again from the connect page');
    const pending = await this.deps.connect.oauthStates.take(input.state);
    if (!pending || Date.parse(pending.expiresAt) <= this.deps.clock.now()) throw new BadRequestError('state: unknown or expired; start again from the connect page');
    if (!input.browserNonce || hashToken(input.browserNonce) !== pending.browserHash) {
      throw new BadRequestError('state: this authorization was started in another browser; start again from the connect page');
    }
    const session = await this.deps.connect.sessions.byId(pending.sessionId);
    if (!session) throw new NotFoundError('This connect link is not valid. Ask for a new one.');
    this.usable(session);
    const provider = connectorFor(pending.integration)!.provider;
    if (input.error) throw new BadRequestError(`${provider.name} did not authorize the connection (${input.error.slice(0, 100)})`);
    if (!input.code) throw new BadRequestError('code: missing from the callback');
    const app = await this.deps.connect.oauthApps.get(session.tenantId, pending.integration);
    const endpoints = this.deps.endpoints.of(pending.integration);
    if (!app || !endpoints) throw new ConflictError(`${provider.name} OAuth is not set up for this workspace`);
    let credentials;
    try {
      const tokens = await exchangeCode(endpoints, app, input.code, input.redirectUri, this.deps.clock.now());
      credentials = credentialsFromTokens(pending.integration, tokens);
    } catch (err) {
      if (err instanceof OAuthGrantError) {
        throw new BadRequestError(`${provider.name} refused the authorization code (${err.message}); start again from the connect page`);
      }
      throw err;
    }
    const baseUrl = credentials.base_url ?? provider.defaultBaseUrl;
    const problem = this.deps.accounts.isSandboxUpstream(baseUrl) ? undefined : checkBaseUrl(baseUrl, this.deps.allowPrivateUpstreams);
    if (problem) throw new BadRequestError(`${provider.name} gave an API base URL Parley may not use: ${problem}`);
    const account = await this.deps.accounts.create(
      session.tenantId,
      { integration: pending.integration, credentials: { ...credentials } },
      { endUser: session.endUser, trusted: true, ...(this.deps.accounts.isSandboxUpstream(baseUrl) ? { sandbox: true } : {}) },
    );
    if (!(await this.deps.connect.sessions.markUsed(session.id, account.id))) {
      await this.deps.accounts.delete(session.tenantId, account.id);
      throw new ConnectSessionGoneError('This connect link was already used. Ask for a new one to connect another account.');
    }
    return this.finish(session, account.id);
  }

  async putOAuthApp(tenantId: string, integration: string, app: { client_id: string; client_secret: string }): Promise<void> {
    const provider = connectorFor(integration)?.provider;
    if (!provider) throw new NotFoundError(`integration "${integration.slice(0, 40)}" not found; supported: ${[...connectors.keys()].join(', ')}`);
    if (!provider.auth.includes('oauth2')) throw new BadRequestError(`${provider.name} does not support OAuth in Parley; its accounts connect with API keys`);
    await this.deps.connect.oauthApps.put(tenantId, integration, { clientId: app.client_id, clientSecret: app.client_secret });
  }
}
