import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { BadRequestError, ConflictError, NotFoundError, RemoteError } from '../domain/errors.js';
import type { AccountEvents } from './account-events.js';
import { ACCOUNT_STATUS, type AccountStatus } from '../domain/account-status.js';
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
  /** where status changes are announced (server.ts wires the webhooks outbox) */
  events: AccountEvents;
}

/**
 * Access tokens of accounts connected through OAuth (service/oauth-tokens.ts): read before each
 * request, refreshed ahead of expiry and once after the vendor rejected one.
 */
export interface OAuthAccessTokens {
  accessToken(accountId: string): Promise<string>;
  /** the vendor rejected `rejected`: refresh once (unless another request already did); false when it cannot */
  afterRejection(accountId: string, rejected: string): Promise<boolean>;
}

export interface OpenedAccount {
  account: AccountRecord;
  session: ConnectorSession;
}

const SANDBOX_SETTING = 'sandbox';

export class AccountsService {
  // Budgets are per account and outlive requests, so concurrent requests share one pace.
  private readonly budgets = new Map<string, SendBudget>();
  readonly events: AccountEvents;
  private oauth?: OAuthAccessTokens;

  constructor(private readonly opts: AccountsServiceOptions) {
    this.events = opts.events;
  }

  private readonly sandboxOrigins = new Set<string>();

  /**
   * The sandbox's simulators listen on loopback: accounts pointed at them (typed on the connect
   * page, or given by the Gong simulator's OAuth) are sandbox accounts, exempt from the address policy.
   */
  trustSandboxOrigin(url: string): void {
    this.sandboxOrigins.add(new URL(url).origin);
  }

  isSandboxUpstream(url: string): boolean {
    try {
      return this.sandboxOrigins.has(new URL(url).origin);
    } catch {
      return false;
    }
  }

  /** Set once at wiring (the token service needs this service's store and events). */
  useOAuthTokens(tokens: OAuthAccessTokens): void {
    this.oauth = tokens;
  }

  /** Changes an account's status and announces the change (nothing when it is already that). */
  async setStatus(account: Pick<AccountRecord, 'id' | 'tenantId' | 'integration'>, to: AccountStatus, reason: string): Promise<void> {
    await this.opts.store.accounts.setStatus(account.id, to, (trx, from) =>
      this.events.statusChanged({ tenantId: account.tenantId, accountId: account.id, integration: account.integration, from, to, reason }, trx),
    );
  }

  /** The account's rate budget: one per account for as long as the process lives (or the credentials stay). */
  private budgetOf(id: string, connector: Connector, credentials: Record<string, unknown>): SendBudget {
    let budget = this.budgets.get(id);
    if (!budget) {
      const provider = connector.provider;
      const limit = typeof provider.rateLimit === 'function' ? provider.rateLimit(credentials) : provider.rateLimit;
      // scaled out, one budget shared by every process (Redis); else this process's own
      budget = this.opts.budgetFor ? this.opts.budgetFor(id, limit) : new RateBudget(limit);
      this.budgets.set(id, budget);
    }
    return budget;
  }

  /**
   * One cheap request with the credentials (the provider's `verification`). The vendor's rejection
   * (401/403, or a rejection in a 200 body) is a 400 with its answer and nothing is stored. A vendor
   * that cannot be reached or fails (5xx) does not block: the account is stored `active` and the
   * first 401 it answers later marks it `invalid_credentials`.
   */
  private async verify(id: string, connector: Connector, credentials: Record<string, unknown>, sandbox: boolean): Promise<void> {
    const provider = connector.provider;
    const check = provider.verification;
    const allowPrivate = sandbox || this.opts.allowPrivateUpstreams;
    // the account's own budget (kept only if the account is stored): the verification counts at the vendor too
    const budget = this.budgetOf(id, connector, credentials);
    const http = new UpstreamClient({
      vendor: provider.name,
      baseUrl: provider.baseUrl(credentials),
      headers: provider.authHeaders(credentials),
      budget,
      dispatcher: allowPrivate ? this.opts.dispatchers.any : this.opts.dispatchers.publicOnly,
      timeoutMs: this.opts.upstreamTimeoutMs,
      patienceMs: Math.min(this.opts.upstreamPatienceMs, VERIFY_PATIENCE_MS),
      retry: this.opts.retry,
      logger: this.opts.logger,
    });
    let res;
    try {
      res = await http.request({ method: check.method, path: check.path, body: check.body, passStatuses: CLIENT_ERRORS });
    } catch (err) {
      if (err instanceof RemoteError) {
        this.opts.logger?.warn({ vendor: provider.name, status: err.statusCode }, 'credentials not verified: the vendor could not be asked');
        return;
      }
      throw err;
    }
    if (res.status === 401 || res.status === 403 || (res.status < 300 && check.rejected?.(res.body))) {
      if (!(await this.opts.store.accounts.getWithCredentialsById(id))) this.budgets.delete(id);
      throw new RemoteError(
        400,
        `credentials: ${provider.name} rejected these credentials (${check.method} ${check.path} answered ${res.status}${res.status < 300 ? ' with an authentication error' : ''}); check them and try again. ${provider.credentialsHelp}`,
        res.body,
      );
    }
  }

  async create(
    tenantId: string,
    body: { integration: string; credentials: Record<string, unknown>; sync?: Partial<SyncSettings> },
    internal: {
      sandbox?: boolean;
      id?: string;
      endUser?: { id: string; name?: string };
      trusted?: boolean;
      /** tests only: store unverified credentials (a key revoked after it was verified) */
      skipVerification?: boolean;
    } = {},
  ): Promise<AccountRecord> {
    const connector = connectorFor(body.integration);
    if (!connector) {
      throw new BadRequestError(
        `integration: unknown integration "${body.integration}"; supported: ${[...connectors.keys()].join(', ')}`,
      );
    }
    const typedBaseUrl = typeof body.credentials?.base_url === 'string' ? body.credentials.base_url : '';
    const sandbox = internal.sandbox === true || this.isSandboxUpstream(typedBaseUrl);
    // `trusted`: credentials Parley obtained itself (an OAuth token exchange), not typed by anyone
    const credentials = internal.trusted ? body.credentials : this.validCredentials(connector, body.credentials, sandbox);
    // the sandbox's start does not ask its own simulators (they accept the keys the sandbox gives them)
    const id = internal.id ?? randomUUID();
    if (!internal.sandbox && !internal.trusted && !internal.skipVerification) await this.verify(id, connector, credentials, sandbox);
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
      id,
      tenantId,
      integration: connector.provider.slug,
      credentials,
      settings: sandbox ? { [SANDBOX_SETTING]: true } : {},
      ...(internal.endUser ? { endUser: internal.endUser } : {}),
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
    const sandbox = account.settings[SANDBOX_SETTING] === true;
    const credentials = this.validCredentials(connector, input, sandbox);
    // new credentials may bring another budget (a plan's limits): verified under a fresh one
    this.budgets.delete(id);
    await this.verify(id, connector, credentials, sandbox);
    await this.opts.store.accounts.replaceCredentials(tenantId, id, credentials);
    await this.setStatus(account, ACCOUNT_STATUS.active, 'credentials replaced and verified');
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
   * (a client that went away must not keep us calling the vendor on its behalf). `stopSending`: no
   * new vendor call is sent after it fires (a page's time is up); one already sent finishes.
   */
  async open(tenantId: string, id: string, opts: { signal?: AbortSignal; stopSending?: AbortSignal } = {}): Promise<OpenedAccount> {
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

  private session(account: AccountWithCredentials, opts: { patienceMs?: number; signal?: AbortSignal; stopSending?: AbortSignal; priority?: SendPriority }): OpenedAccount {
    const id = account.id;
    const connector = connectorFor(account.integration);
    if (!connector) throw new BadRequestError(`integrated account ${id} uses integration "${account.integration}", which this server does not support`);
    const provider = connector.provider;
    const sandbox = account.settings[SANDBOX_SETTING] === true;
    const baseUrl = provider.baseUrl(account.credentials);
    const allowPrivate = sandbox || this.opts.allowPrivateUpstreams;
    const problem = checkBaseUrl(baseUrl, allowPrivate);
    if (problem) throw new BadRequestError(`integrated account ${id}: base_url ${problem}`);
    if (account.status === ACCOUNT_STATUS.needsReauth) {
      throw new ConflictError(
        `integrated account ${id} needs re-authorization: ${provider.name} refused to refresh its OAuth token; connect it again through a connect session (POST /connect-sessions)`,
      );
    }
    const oauth = account.credentials.auth === 'oauth2' ? this.oauth : undefined;
    if (account.credentials.auth === 'oauth2' && !oauth) throw new ConflictError(`integrated account ${id} uses OAuth, which this server is not configured for`);
    let lastToken = '';
    const budget = this.budgetOf(id, connector, account.credentials);
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
      ...(opts.stopSending ? { stopSending: opts.stopSending } : {}),
      ...(opts.priority ? { priority: opts.priority } : {}),
      ...(provider.parseJson ? { parseJson: provider.parseJson } : {}),
      ...(oauth
        ? {
            authHeaders: async () => {
              lastToken = await oauth.accessToken(id);
              return { authorization: `Bearer ${lastToken}` };
            },
          }
        : {}),
      onAuthRejected: async (status, req, retried) => {
        // a 401 from an OAuth vendor: the token may have been revoked early; refresh once, retry once
        if (oauth && status === 401 && !retried) return oauth.afterRejection(id, lastToken);
        // Vendors answer a missing optional scope with 401 or 403 too (Gong's stats): only the
        // verification request, which needs no extra scope, says the credentials themselves are bad.
        if (req.method === provider.verification.method && req.path === provider.verification.path) {
          await this.setStatus(account, ACCOUNT_STATUS.invalidCredentials, `${provider.name} answered ${status} to ${req.method} ${req.path}`);
        }
        return false;
      },
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

/** A verification takes at most this long: someone (the connect page's user) is waiting. */
const VERIFY_PATIENCE_MS = 10_000;
// every client error comes back to be read; 429 stays the client's (Retry-After)
const CLIENT_ERRORS = Array.from({ length: 100 }, (_, i) => 400 + i).filter((s) => s !== 429);

function notFound(id: string): NotFoundError {
  return new NotFoundError(`integrated account "${id}" not found`);
}

