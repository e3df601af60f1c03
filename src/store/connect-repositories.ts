import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ConnectSessionsTable, Database } from './schema.js';
import { CredentialCipher, hashToken } from './crypto.js';
import type { Clock } from '../domain/clock.js';

/**
 * The connect flow's rows: connect sessions (single-use tokens, stored hashed), the tenants' OAuth
 * apps (secret sealed like credentials) and the OAuth `state`s in flight (hashed, bound to a browser).
 */
export interface EndUser {
  id: string;
  name?: string;
}

export interface ConnectSessionRecord {
  id: string;
  tenantId: string;
  endUser: EndUser;
  integrations: string[];
  redirectUrl: string | null;
  expiresAt: string;
  usedAt: string | null;
  accountId: string | null;
}

function toSession(row: ConnectSessionsTable): ConnectSessionRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    endUser: JSON.parse(row.end_user) as EndUser,
    integrations: JSON.parse(row.integrations) as string[],
    redirectUrl: row.redirect_url,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
    accountId: row.account_id,
  };
}

export class ConnectSessionRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async create(input: { token: string; tenantId: string; endUser: EndUser; integrations: string[]; redirectUrl?: string; expiresAt: string }): Promise<ConnectSessionRecord> {
    const row: ConnectSessionsTable = {
      id: randomUUID(),
      token_hash: hashToken(input.token),
      tenant_id: input.tenantId,
      end_user: JSON.stringify(input.endUser),
      integrations: JSON.stringify(input.integrations),
      redirect_url: input.redirectUrl ?? null,
      expires_at: input.expiresAt,
      used_at: null,
      account_id: null,
      created_at: new Date(this.clock.now()).toISOString(),
    };
    await this.db.insertInto('connect_sessions').values(row).execute();
    return toSession(row);
  }

  async byToken(token: string): Promise<ConnectSessionRecord | undefined> {
    const row = await this.db.selectFrom('connect_sessions').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  async byId(id: string): Promise<ConnectSessionRecord | undefined> {
    const row = await this.db.selectFrom('connect_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  /** Marks the session used, once: false when another request used it first. */
  async markUsed(id: string, accountId: string): Promise<boolean> {
    const res = await this.db
      .updateTable('connect_sessions')
      .set({ used_at: new Date(this.clock.now()).toISOString(), account_id: accountId })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
}

export class OAuthAppRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: CredentialCipher,
    private readonly clock: Clock,
  ) {}

  private static aad(tenantId: string, integration: string): string {
    return `oauth-app:${tenantId}:${integration}`;
  }

  async put(tenantId: string, integration: string, app: OAuthApp): Promise<void> {
    const row = {
      tenant_id: tenantId,
      integration,
      client_id: app.clientId,
      client_secret: this.cipher.encrypt(app.clientSecret, OAuthAppRepository.aad(tenantId, integration)),
      updated_at: new Date(this.clock.now()).toISOString(),
    };
    await this.db
      .insertInto('oauth_apps')
      .values(row)
      .onConflict((oc) => oc.columns(['tenant_id', 'integration']).doUpdateSet({ client_id: row.client_id, client_secret: row.client_secret, updated_at: row.updated_at }))
      .execute();
  }

  async get(tenantId: string, integration: string): Promise<OAuthApp | undefined> {
    const row = await this.db
      .selectFrom('oauth_apps')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('integration', '=', integration)
      .executeTakeFirst();
    if (!row) return undefined;
    return { clientId: row.client_id, clientSecret: this.cipher.decrypt(row.client_secret, OAuthAppRepository.aad(tenantId, integration)) };
  }
}

export class OAuthStateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async put(state: string, input: { sessionId: string; integration: string; browserNonce: string; expiresAt: string }): Promise<void> {
    await this.db
      .insertInto('oauth_states')
      .values({ state_hash: hashToken(state), session_id: input.sessionId, integration: input.integration, browser_hash: hashToken(input.browserNonce), expires_at: input.expiresAt })
      .execute();
  }

  /** Takes a state once (deleted as it is read): a replayed callback finds nothing. */
  async take(state: string): Promise<{ sessionId: string; integration: string; browserHash: string; expiresAt: string } | undefined> {
    const hash = hashToken(state);
    const row = await this.db.selectFrom('oauth_states').selectAll().where('state_hash', '=', hash).executeTakeFirst();
    if (!row) return undefined;
    const res = await this.db.deleteFrom('oauth_states').where('state_hash', '=', hash).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) return undefined;
    return { sessionId: row.session_id, integration: row.integration, browserHash: row.browser_hash, expiresAt: row.expires_at };
  }
}

export interface ConnectStore {
  sessions: ConnectSessionRepository;
  oauthApps: OAuthAppRepository;
  oauthStates: OAuthStateRepository;
}

export function createConnectStore(db: Kysely<Database>, secretKey: Buffer, clock: Clock): ConnectStore {
  return {
    sessions: new ConnectSessionRepository(db, clock),
    oauthApps: new OAuthAppRepository(db, new CredentialCipher(secretKey), clock),
    oauthStates: new OAuthStateRepository(db),
  };
}
