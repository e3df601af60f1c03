import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, IntegratedAccountsTable } from './schema.js';
import { CredentialCipher, hashToken, newApiToken } from './crypto.js';
import { systemClock, type Clock } from '../domain/clock.js';

export const DEFAULT_TENANT_ID = 'default';

export interface TenantRecord {
  id: string;
  name: string;
}

export interface AccountRecord {
  id: string;
  tenantId: string;
  integration: string;
  status: string;
  settings: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
  /** the tenant's customer who connected it through a connect session */
  endUser?: { id: string; name?: string };
}

export interface AccountWithCredentials extends AccountRecord {
  credentials: Record<string, unknown>;
}


function toRecord(row: IntegratedAccountsTable): AccountRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    integration: row.integration,
    status: row.status,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.end_user ? { endUser: JSON.parse(row.end_user) as { id: string; name?: string } } : {}),
  };
}

export class TenantRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  async ensure(id: string, name: string): Promise<TenantRecord> {
    const found = await this.db.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst();
    if (found) return { id: found.id, name: found.name };
    await this.db
      .insertInto('tenants')
      .values({ id, name, created_at: this.nowIso() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    return { id, name };
  }

  async create(name: string): Promise<TenantRecord> {
    return this.ensure(randomUUID(), name);
  }
}

export interface TokenRecord {
  id: string;
  label: string;
  createdAt: string;
}

/** How long a known token's tenant is remembered (real time): the bound on a revocation made elsewhere. */
export const TOKEN_CACHE_MS = 2_000;
const TOKEN_CACHE_ENTRIES = 1_000;

export class TokenRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Stores only the hash; returns the clear token once, to show it to whoever asked for it. */
  async issue(tenantId: string, label: string): Promise<string> {
    const token = newApiToken();
    await this.register(tenantId, token, label);
    return token;
  }

  /** A token chosen outside (PARLEY_BOOTSTRAP_TOKEN): idempotent. */
  async register(tenantId: string, token: string, label: string): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({ id: randomUUID(), tenant_id: tenantId, token_hash: hashToken(token), label, created_at: this.nowIso() })
      .onConflict((oc) => oc.column('token_hash').doNothing())
      .execute();
  }

  /** A new token and its row (the id names it for `revoke`; the clear token is shown once). */
  async create(tenantId: string, label: string): Promise<{ record: TokenRecord; token: string }> {
    const token = newApiToken();
    const record: TokenRecord = { id: randomUUID(), label, createdAt: this.nowIso() };
    await this.db
      .insertInto('api_tokens')
      .values({ id: record.id, tenant_id: tenantId, token_hash: hashToken(token), label, created_at: record.createdAt })
      .execute();
    return { record, token };
  }

  /** The tenant's tokens by `(created_at, id)`, never their hashes. */
  async list(tenantId: string, limit: number, after?: { createdAt: string; id: string }): Promise<TokenRecord[]> {
    let q = this.db.selectFrom('api_tokens').select(['id', 'label', 'created_at']).where('tenant_id', '=', tenantId);
    if (after) {
      q = q.where((eb) =>
        eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]),
      );
    }
    const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at }));
  }

  /** false when the tenant has no token of that id */
  async revoke(tenantId: string, id: string): Promise<boolean> {
    this.forget();
    try {
      const res = await this.db.deleteFrom('api_tokens').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    } finally {
      this.forget();
    }
  }

  async revokeLabel(tenantId: string, label: string): Promise<void> {
    this.forget();
    try {
      await this.db.deleteFrom('api_tokens').where('tenant_id', '=', tenantId).where('label', '=', label).execute();
    } finally {
      this.forget();
    }
  }

  /**
   * The tenant of a token. Known tokens are remembered for TOKEN_CACHE_MS of real time (a warm read
   * then touches no token row): a revocation through this repository (HTTP, CLI) forgets them all at
   * once, so it is immediate in this process; one made by another process (another replica, `parley
   * token revoke` beside a running server) takes effect here within TOKEN_CACHE_MS. Unknown tokens
   * are never remembered (a stranger's guesses cannot fill the map, and a new token works at once).
   */
  async tenantOf(token: string): Promise<string | undefined> {
    const hash = hashToken(token);
    const now = performance.now();
    const known = this.known.get(hash);
    if (known && known.until > now) return known.tenantId;
    const generation = this.generation;
    const row = await this.db.selectFrom('api_tokens').select('tenant_id').where('token_hash', '=', hash).executeTakeFirst();
    // a revocation that ran while this lookup was in flight must not be undone by its answer
    if (row && generation === this.generation) {
      if (this.known.size >= TOKEN_CACHE_ENTRIES) this.known.delete(this.known.keys().next().value!);
      this.known.set(hash, { tenantId: row.tenant_id, until: now + TOKEN_CACHE_MS });
    } else if (!row) this.known.delete(hash);
    return row?.tenant_id;
  }

  private readonly known = new Map<string, { tenantId: string; until: number }>();
  private generation = 0;

  /** Forget every remembered token (called by each revocation, before and after it commits). */
  private forget(): void {
    this.known.clear();
    this.generation++;
  }
}

const CLEAR_CREDENTIALS_KEPT = 1_000;

export class AccountRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: CredentialCipher,
    private readonly clock: Clock = systemClock,
  ) {}

  private nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /**
   * The clear credentials of a row, decrypted once per ciphertext: every write seals them anew with
   * a random IV, so a row whose sealed text is the one decrypted before holds the same credentials
   * (a warm read decrypts nothing). Each call gets its own copy; one entry per account, dropped
   * with the account, at most CLEAR_CREDENTIALS_KEPT accounts.
   */
  private credentialsOf(row: { id: string; credentials: string }): Record<string, unknown> {
    let clear = this.clear.get(row.id);
    if (clear?.sealed !== row.credentials) {
      clear = { sealed: row.credentials, json: this.cipher.decrypt(row.credentials, row.id) };
      this.clear.delete(row.id);
      if (this.clear.size >= CLEAR_CREDENTIALS_KEPT) this.clear.delete(this.clear.keys().next().value!);
      this.clear.set(row.id, clear);
    }
    return JSON.parse(clear.json) as Record<string, unknown>;
  }

  private readonly clear = new Map<string, { sealed: string; json: string }>();

  async create(input: {
    tenantId: string;
    integration: string;
    credentials: Record<string, unknown>;
    settings?: Record<string, unknown>;
    /** a chosen id (the sandbox's fixed accounts); default a random UUID */
    id?: string;
    endUser?: { id: string; name?: string };
  }): Promise<AccountRecord> {
    const id = input.id ?? randomUUID();
    const now = this.nowIso();
    const row: IntegratedAccountsTable = {
      id,
      tenant_id: input.tenantId,
      integration: input.integration,
      status: 'active',
      credentials: this.cipher.encrypt(JSON.stringify(input.credentials), id),
      settings: JSON.stringify(input.settings ?? {}),
      created_at: now,
      updated_at: now,
      ...(input.endUser ? { end_user: JSON.stringify(input.endUser) } : {}),
    };
    await this.db.insertInto('integrated_accounts').values(row).execute();
    return toRecord(row);
  }

  private row(tenantId: string, id: string): Promise<IntegratedAccountsTable | undefined> {
    return this.db
      .selectFrom('integrated_accounts')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async get(tenantId: string, id: string): Promise<AccountRecord | undefined> {
    const row = await this.row(tenantId, id);
    return row ? toRecord(row) : undefined;
  }

  async getWithCredentials(tenantId: string, id: string): Promise<AccountWithCredentials | undefined> {
    const row = await this.row(tenantId, id);
    if (!row) return undefined;
    const credentials = this.credentialsOf(row);
    return { ...toRecord(row), credentials };
  }

  /** An account of any tenant, for background work (sync runs) that has no request's tenant. */
  async getWithCredentialsById(id: string): Promise<AccountWithCredentials | undefined> {
    const row = await this.db.selectFrom('integrated_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const credentials = this.credentialsOf(row);
    return { ...toRecord(row), credentials };
  }

  /** Keyset page ordered by (created_at, id), so pages never skip or repeat an account. */
  async list(
    tenantId: string,
    limit: number,
    after?: { createdAt: string; id: string },
  ): Promise<AccountRecord[]> {
    let q = this.db.selectFrom('integrated_accounts').selectAll().where('tenant_id', '=', tenantId);
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '>', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
        ]),
      );
    }
    const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map(toRecord);
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const res = await this.db
      .deleteFrom('integrated_accounts')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    this.clear.delete(id);
    return Number(res.numDeletedRows) > 0;
  }

  async replaceCredentials(tenantId: string, id: string, credentials: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('integrated_accounts')
      .set({ credentials: this.cipher.encrypt(JSON.stringify(credentials), id), updated_at: this.nowIso() })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .execute();
  }

  /** New credentials of an account of any tenant (an OAuth refresh, which has no request's tenant). */
  async replaceCredentialsById(id: string, credentials: Record<string, unknown>): Promise<void> {
    await this.db
      .updateTable('integrated_accounts')
      .set({ credentials: this.cipher.encrypt(JSON.stringify(credentials), id), updated_at: this.nowIso() })
      .where('id', '=', id)
      .execute();
  }

  /**
   * Sets the status; returns the one before (undefined: no such account). `changed` runs in the same
   * transaction when the status really changes (the event announcing it is written with it).
   */
  async setStatus(id: string, status: string, changed?: (trx: Transaction<Database>, from: string) => Promise<void>): Promise<string | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('integrated_accounts').select('status').where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      if (row.status !== status) {
        await trx.updateTable('integrated_accounts').set({ status, updated_at: this.nowIso() }).where('id', '=', id).execute();
        await changed?.(trx, row.status);
      }
      return row.status;
    });
  }

  async mergeSettings(id: string, patch: Record<string, unknown>): Promise<void> {
    const row = await this.db.selectFrom('integrated_accounts').select('settings').where('id', '=', id).executeTakeFirst();
    if (!row) return;
    const settings = { ...(JSON.parse(row.settings) as Record<string, unknown>), ...patch };
    await this.db
      .updateTable('integrated_accounts')
      .set({ settings: JSON.stringify(settings), updated_at: this.nowIso() })
      .where('id', '=', id)
      .execute();
  }
}

export interface Store {
  db: Kysely<Database>;
  tenants: TenantRepository;
  tokens: TokenRepository;
  accounts: AccountRepository;
  close(): Promise<void>;
}

export function createStore(db: Kysely<Database>, secretKey: Buffer, clock: Clock = systemClock): Store {
  return {
    db,
    tenants: new TenantRepository(db, clock),
    tokens: new TokenRepository(db, clock),
    accounts: new AccountRepository(db, new CredentialCipher(secretKey), clock),
    close: () => db.destroy(),
  };
}
