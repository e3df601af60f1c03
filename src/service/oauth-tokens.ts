import { ConflictError, RemoteError } from '../domain/errors.js';
import { ACCOUNT_STATUS } from '../domain/account-status.js';
import type { Clock } from '../domain/clock.js';
import type { LockService } from '../coordination/locks.js';
import { connectorFor } from '../connectors/registry.js';
import type { Store } from '../store/repositories.js';
import type { OAuthAppRepository } from '../store/connect-repositories.js';
import { OAuthGrantError, refreshTokens, type OAuthEndpoints, type TokenSet } from '../upstream/oauth-client.js';
import type { AccountsService, OAuthAccessTokens } from './accounts.js';

/** What an OAuth account keeps in its (encrypted) credentials. */
export interface OAuthCredentials {
  auth: 'oauth2';
  access_token: string;
  refresh_token: string;
  /** epoch ms */
  expires_at: number;
  base_url?: string;
}

/** Where each vendor's OAuth endpoints are: the provider's, unless the deployment (or the sandbox) overrides them. */
export class OAuthEndpointsTable {
  private readonly overrides = new Map<string, Partial<OAuthEndpoints>>();

  override(integration: string, endpoints: Partial<OAuthEndpoints>): void {
    this.overrides.set(integration, { ...this.overrides.get(integration), ...endpoints });
  }

  of(integration: string): OAuthEndpoints | undefined {
    const oauth = connectorFor(integration)?.provider.oauth;
    if (!oauth) return undefined;
    const o = this.overrides.get(integration);
    return { authorizeUrl: o?.authorizeUrl ?? oauth.authorizeUrl, tokenUrl: o?.tokenUrl ?? oauth.tokenUrl };
  }
}

/** The credentials an account stores from a token response. */
export function credentialsFromTokens(integration: string, tokens: TokenSet, before?: OAuthCredentials): OAuthCredentials {
  const field = connectorFor(integration)?.provider.oauth?.baseUrlField;
  const baseUrl = field && typeof tokens.response[field] === 'string' ? (tokens.response[field] as string) : before?.base_url;
  return {
    auth: 'oauth2',
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    expires_at: tokens.expiresAt,
    ...(baseUrl ? { base_url: baseUrl.replace(/\/+$/, '') } : {}),
  };
}

/** Refreshed this long before expiry, so a request never leaves with a token about to lapse. */
export const REFRESH_AHEAD_MS = 5 * 60 * 1000;
const LOCK_TTL_MS = 30_000;

/**
 * Access tokens of OAuth accounts. Refresh tokens are single use (Gong), so a refresh must happen
 * once however many requests need it: one promise per account in this process (single flight), a
 * lock per account across processes (`LockService`: Redis when scaled out), and inside the lock the
 * account is read again — another process may have refreshed while we waited. The new tokens are
 * stored before the new access token is handed out; a refresh the vendor refuses marks the account
 * `needs_reauth`.
 */
export class OAuthTokenService implements OAuthAccessTokens {
  private readonly inflight = new Map<string, Promise<string>>();
  /** refreshes this process sent to a vendor (tests and metrics) */
  refreshes = 0;

  constructor(
    private readonly deps: {
      store: Store;
      oauthApps: OAuthAppRepository;
      locks: LockService;
      accounts: AccountsService;
      endpoints: OAuthEndpointsTable;
      clock: Clock;
    },
  ) {}

  private async current(id: string) {
    const account = await this.deps.store.accounts.getWithCredentialsById(id);
    if (!account || account.credentials.auth !== 'oauth2') throw new ConflictError(`integrated account ${id} is not connected through OAuth`);
    return { account, credentials: account.credentials as unknown as OAuthCredentials };
  }

  async accessToken(id: string): Promise<string> {
    const { credentials } = await this.current(id);
    if (credentials.expires_at - this.deps.clock.now() > REFRESH_AHEAD_MS) return credentials.access_token;
    return this.refresh(id, credentials.access_token);
  }

  async afterRejection(id: string, rejected: string): Promise<boolean> {
    try {
      await this.refresh(id, rejected);
      return true;
    } catch {
      return false;
    }
  }

  /** A fresh access token in place of `stale`; one refresh per account at a time, whoever asks. */
  refresh(id: string, stale: string): Promise<string> {
    const running = this.inflight.get(id);
    if (running) return running;
    const p = this.deps.locks
      .withLock(`oauth-refresh:${id}`, LOCK_TTL_MS, () => this.refreshLocked(id, stale))
      .finally(() => this.inflight.delete(id));
    this.inflight.set(id, p);
    return p;
  }

  private async refreshLocked(id: string, stale: string): Promise<string> {
    const { account, credentials } = await this.current(id);
    const integration = account.integration;
    const name = connectorFor(integration)?.provider.name ?? integration;
    if (account.status === ACCOUNT_STATUS.needsReauth) throw needsReauth(id, name);
    // someone refreshed while we waited for the lock
    if (credentials.access_token !== stale && credentials.expires_at - this.deps.clock.now() > REFRESH_AHEAD_MS) return credentials.access_token;
    const app = await this.deps.oauthApps.get(account.tenantId, integration);
    const endpoints = this.deps.endpoints.of(integration);
    if (!app || !endpoints) {
      await this.deps.accounts.setStatus(account, ACCOUNT_STATUS.needsReauth, `the tenant's ${name} OAuth app is not registered`);
      throw needsReauth(id, name);
    }
    let tokens: TokenSet;
    try {
      this.refreshes += 1;
      tokens = await refreshTokens(endpoints, app, credentials.refresh_token, this.deps.clock.now());
    } catch (err) {
      if (err instanceof OAuthGrantError && err.kind === 'rejected') {
        await this.deps.accounts.setStatus(account, ACCOUNT_STATUS.needsReauth, `${name} refused to refresh the OAuth token: ${err.message}`);
        throw needsReauth(id, name);
      }
      throw new RemoteError(502, `${name}: the OAuth token of integrated account ${id} could not be refreshed: ${(err as Error).message}; try again`, null);
    }
    // stored before it is used: the old refresh token is spent now
    await this.deps.store.accounts.replaceCredentialsById(id, { ...credentialsFromTokens(integration, tokens, credentials) });
    return tokens.accessToken;
  }
}

function needsReauth(id: string, vendor: string): ConflictError {
  return new ConflictError(
    `integrated account ${id} needs re-authorization: ${vendor} refused to refresh its OAuth token; connect it again through a connect session (POST /connect-sessions)`,
  );
}
