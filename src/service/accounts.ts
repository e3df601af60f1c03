import type { Dispatcher } from 'undici';
import { BadRequestError, NotFoundError } from '../domain/errors.js';
import { connectorFor, connectors } from '../connectors/registry.js';
import type { Connector, ConnectorSession } from '../connectors/types.js';
import type { AccountRecord, AccountWithCredentials, Store } from '../store/repositories.js';
import { RateBudget, type RateBudgetOptions, type SendBudget, type SendPriority } from '../upstream/rate-budget.js';
import { UpstreamClient, type RetryPolicy, type UpstreamLogger, type UpstreamObserver } from '../upstream/client.js';
import { checkBaseUrl } from '../upstream/address-policy.js';
import type { Clock } from '../domain/clock.js';
import { SyncSettings } from '../domain/sync.js';
import type { SyncedStore } from '../store/synced-store.js';

/**
 * Integrated accounts, and the one place where "load account, decrypt, build HTTP client" happens:
 * every service asks `open()` for a ready connector session.
 */
export interface AccountsServiceOptions {
  store: Store;
  synced: SyncedStore;
  dispatchers: { publicOnly: Dispatcher; any: Dispatcher };
  allowPrivateUpstreams: boolean;
  upstreamTimeoutMs: number;
  upstreamPatienceMs: number;
  retry?: RetryPolicy;
  logger?: UpstreamLogger;
  /** counts vendor requests (src/observability) */
  upstreamObserver?: UpstreamObserver;
  clock: Clock;
  /** scaled out: a budget shared by every process (Redis); default in-process */
  budgetFor?: (accountId: string, limit: RateBudgetOptions) => SendBudget;
}

export interface OpenedAccount {
  account: AccountRecord;
  session: ConnectorSession;
}

const SANDBOX_SETTING = 'sandbox';

export class AccountsService {
  // Budgets are per account and outlive requests, so concurrent requests share one pace.
  private readonly budgets = new Map<string, SendBudget>();

  constructor(private readonly opts: AccountsServiceOptions) {}

  async create(
    tenantId: string,
    body: { integration: string; credentials: Record<string, unknown>; sync?: Partial<SyncSettings> },
    internal: { sandbox?: boolean; id?: string } = {},
  ): Promise<AccountRecord> {
    const connector = connectorFor(body.integration);
    if (!connector) {
      throw new BadRequestError(
        `integration: unknown integration "${body.integration}"; supported: ${[...connectors.keys()].join(', ')}`,
      );
    }
    const credentials = this.validCredentials(connector, body.credentials, internal.sandbox === true);
    if (internal.id) {
      // A fixed id (the sandbox's accounts) that exists already is re-pointed, not re-created: what
      // its syncs stored stays (deleting the account would delete it).
      const existing = await this.opts.store.accounts.get(tenantId, internal.id);
      if (existing && existing.integration === connector.provider.slug) {
        await this.opts.store.accounts.replaceCredentials(tenantId, internal.id, credentials);
        this.budgets.delete(internal.id);
        await this.opts.synced.ensureState(internal.id, SyncSettings.parse(body.sync ?? {}));
        return (await this.opts.store.accounts.get(tenantId, internal.id))!;
      }
      if (existing) await this.opts.store.accounts.delete(tenantId, internal.id);
    }
    const account = await this.opts.store.accounts.create({
      id: internal.id,
      tenantId,
      integration: connector.provider.slug,
      credentials,
      settings: internal.sandbox ? { [SANDBOX_SETTING]: true } : {},
    });
    await this.opts.synced.ensureState(account.id, SyncSettings.parse(body.sync ?? {}));
    return account;
  }

  /** The integration's credentials, validated (400 naming the field) and within the address policy. */
  private validCredentials(connector: Connector, input: Record<string, unknown> | undefined, sandbox: boolean): Record<string, unknown> {
    const parsed = connector.provider.credentials.safeParse(input ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = ['credentials', ...issue.path.map(String)].join('.');
      // the credential fields word their own messages (what is expected; never the value)
      throw new BadRequestError(`${field}: ${issue.message}`);
    }
    if (!sandbox) {
      const problem = checkBaseUrl(connector.provider.baseUrl(parsed.data), this.opts.allowPrivateUpstreams);
      if (problem) throw new BadRequestError(`credentials.base_url: ${problem}`);
    }
    return parsed.data;
  }

  /** PATCH: new credentials for an existing account (the rate budget is rebuilt from them). */
  async replaceCredentials(tenantId: string, id: string, input: Record<string, unknown>): Promise<AccountRecord> {
    const account = await this.get(tenantId, id);
    const connector = connectorFor(account.integration);
    if (!connector) throw new BadRequestError(`integrated account ${id} uses integration "${account.integration}", which this server does not support`);
    const credentials = this.validCredentials(connector, input, account.settings[SANDBOX_SETTING] === true);
    await this.opts.store.accounts.replaceCredentials(tenantId, id, credentials);
    this.budgets.delete(id);
    return this.get(tenantId, id);
  }

  async get(tenantId: string, id: string): Promise<AccountRecord> {
    const account = await this.opts.store.accounts.get(tenantId, id);
    if (!account) throw notFound(id);
    return account;
  }

  list(tenantId: string, limit: number, after?: { createdAt: string; id: string }): Promise<AccountRecord[]> {
    return this.opts.store.accounts.list(tenantId, limit, after);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.opts.store.accounts.delete(tenantId, id))) throw notFound(id);
    this.budgets.delete(id);
  }

  /**
   * `signal`: the HTTP request's abort signal; when it fires, every vendor call of this session stops
   * (a client that went away must not keep us calling the vendor on its behalf).
   */
  async open(tenantId: string, id: string, opts: { signal?: AbortSignal } = {}): Promise<OpenedAccount> {
    const account = await this.opts.store.accounts.getWithCredentials(tenantId, id);
    if (!account) throw notFound(id);
    return this.session(account, opts);
  }

  /**
   * A session for background work on an account of any tenant (sync runs): it waits on the vendor
   * as long as `patienceMs` (nobody is holding a request open) and stops when `signal` aborts.
   */
  async openForSync(id: string, opts: { patienceMs: number; signal?: AbortSignal }): Promise<OpenedAccount> {
    const account = await this.opts.store.accounts.getWithCredentialsById(id);
    if (!account) throw notFound(id);
    // a sync takes what live reads leave of the account's budget
    return this.session(account, { ...opts, priority: 'background' });
  }

  private session(account: AccountWithCredentials, opts: { patienceMs?: number; signal?: AbortSignal; priority?: SendPriority }): OpenedAccount {
    const id = account.id;
    const connector = connectorFor(account.integration);
    if (!connector) throw new BadRequestError(`integrated account ${id} uses integration "${account.integration}", which this server does not support`);
    const provider = connector.provider;
    const sandbox = account.settings[SANDBOX_SETTING] === true;
    const baseUrl = provider.baseUrl(account.credentials);
    const allowPrivate = sandbox || this.opts.allowPrivateUpstreams;
    const problem = checkBaseUrl(baseUrl, allowPrivate);
    if (problem) throw new BadRequestError(`integrated account ${id}: base_url ${problem}`);
    let budget = this.budgets.get(id);
    if (!budget) {
      const limit = typeof provider.rateLimit === 'function' ? provider.rateLimit(account.credentials) : provider.rateLimit;
      budget = this.opts.budgetFor ? this.opts.budgetFor(id, limit) : new RateBudget(limit);
      this.budgets.set(id, budget);
    }
    const http = new UpstreamClient({
      vendor: provider.name,
      baseUrl,
      headers: provider.authHeaders(account.credentials),
      budget,
      dispatcher: allowPrivate ? this.opts.dispatchers.any : this.opts.dispatchers.publicOnly,
      timeoutMs: this.opts.upstreamTimeoutMs,
      patienceMs: opts.patienceMs ?? this.opts.upstreamPatienceMs,
      retry: this.opts.retry,
      logger: this.opts.logger,
      ...(this.opts.upstreamObserver ? { observer: this.opts.upstreamObserver } : {}),
      signal: opts.signal,
      ...(opts.priority ? { priority: opts.priority } : {}),
      ...(provider.parseJson ? { parseJson: provider.parseJson } : {}),
    });
    const settings = { ...account.settings };
    const session = connector.open({
      accountId: account.id,
      credentials: account.credentials,
      settings,
      saveSettings: (patch) => this.opts.store.accounts.mergeSettings(account.id, patch),
      http,
      clock: this.opts.clock,
    });
    const { credentials: _secret, ...record } = account;
    return { account: record, session };
  }
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`integrated account "${id}" not found`);
}

