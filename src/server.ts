import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { buildApi, LOG_REDACT } from './api/app.js';
import { openDatabase, migrateToLatest } from './store/db.js';
import { writesOf } from './store/write-watch.js';
import { WarmAnswers } from './api/warm-answers.js';
import { createStore, DEFAULT_TENANT_ID, type Store } from './store/repositories.js';
import { AccountsService } from './service/accounts.js';
import { InteractionsService } from './service/interactions.js';
import { CursorCodec } from './service/cursor.js';
import { ResourcesService } from './service/resources.js';
import { ActivityService } from './service/activity.js';
import { ScorecardsService } from './service/scorecards.js';
import { createDispatchers, type RetryPolicy } from './upstream/client.js';
import { systemClock, utcNow, type Clock } from './domain/clock.js';
import { SyncedStore } from './store/synced-store.js';
import { TtlCache } from './store/memory-cache.js';
import { SyncEngine } from './sync/engine.js';
import { SyncScheduler } from './sync/scheduler.js';
import { SyncService } from './service/sync.js';
import { TokensService } from './service/tokens.js';
import { Telemetry } from './observability/telemetry.js';
import { CredentialCipher } from './store/crypto.js';
import { WebhookRepository } from './webhooks/repository.js';
import { WebhookDispatcher, type WebhookDispatcherOptions } from './webhooks/dispatcher.js';
import { SyncEventWriter } from './webhooks/sync-events.js';
import { OutboxAccountEvents } from './webhooks/account-events.js';
import { WebhooksService } from './service/webhooks.js';
import { createSharedState, type JobTuning } from './coordination/shared-state.js';
import type { LockService } from './coordination/locks.js';
import type { JobQueue } from './jobs/types.js';
import { createConnectStore, type ConnectStore } from './store/connect-repositories.js';
import { OAuthEndpointsTable, OAuthTokenService } from './service/oauth-tokens.js';
import { ConnectService } from './service/connect.js';

/** Wires config → store → services → API. The only place that knows every layer. */
export interface Parley {
  app: FastifyInstance;
  store: Store;
  accounts: AccountsService;
  clock: Clock;
  synced: SyncedStore;
  engine: SyncEngine;
  scheduler?: SyncScheduler;
  /** the Prometheus metrics served at /metrics */
  telemetry: Telemetry;
  /** delivers webhooks (not in PARLEY_ROLE=api); started by startBackgroundWork */
  webhookDispatcher?: WebhookDispatcher;
  /** mutual exclusion across requests and, with PARLEY_REDIS_URL, across processes (OAuth refresh) */
  locks: LockService;
  /** background jobs (sync runs; webhook deliveries): BullMQ with PARLEY_REDIS_URL, else in-process */
  jobs: JobQueue;
  connect: ConnectService;
  connectStore: ConnectStore;
  oauthTokens: OAuthTokenService;
  /** OAuth endpoints per integration (the sandbox points Gong's at its simulator) */
  oauthEndpoints: OAuthEndpointsTable;
  /** sandbox: per-integration hints shown on the connect page */
  connectHints: Map<string, string>;
  /** sandbox: GET /connect opens a fresh connect session of this tenant (the banner's link) */
  sandboxConnect: { tenantId?: string };
  /** the in-process sync scheduler (not in PARLEY_ROLE=api); `npm start` starts it once listening */
  startBackgroundWork(): Promise<void>;
  close(): Promise<void>;
}

export interface ParleyOverrides {
  /** tests pass a logger writing to memory, to assert what is (not) logged */
  logger?: Logger;
  retry?: RetryPolicy;
  pageBudgetMs?: number;
  /** the calendar; tests pin it so that no test depends on today's date */
  clock?: Clock;
  /** how often the sync scheduler looks for due accounts (default 5 s) */
  syncTickMs?: number;
  /** webhook delivery pacing for tests: poll interval, backoff, lease, signature clock */
  webhooks?: Pick<WebhookDispatcherOptions, 'pollMs' | 'backoff' | 'leaseMs' | 'wallClock' | 'random' | 'batch'>;
  /** with PARLEY_REDIS_URL: BullMQ's lock and stalled-check intervals (tests shorten them) */
  jobs?: JobTuning;
  /** the lock across processes (default: the shared state's: in-process, or Redis when scaled out) */
  locks?: LockService;
}

export async function createParley(config: Config, overrides: ParleyOverrides = {}): Promise<Parley> {
  const clock = overrides.clock ?? systemClock;
  const db = openDatabase(config.databaseUrl);
  await migrateToLatest(db);
  const store = createStore(db, config.secretKey, clock);
  await store.tenants.ensure(DEFAULT_TENANT_ID, 'Default tenant');
  if (config.bootstrapToken) await store.tokens.register(DEFAULT_TENANT_ID, config.bootstrapToken, 'bootstrap');

  const logger = overrides.logger ?? pino({ level: config.logLevel, redact: LOG_REDACT });
  const dispatchers = createDispatchers(config.upstreamTimeoutMs);
  const shared = createSharedState(config);
  const locks = overrides.locks ?? shared.locks;
  const cursors = new CursorCodec(config.secretKey);
  const synced = new SyncedStore(db, config.secretKey, clock);
  const telemetry = new Telemetry({ syncOverview: () => synced.syncOverview(), now: () => clock.now() });
  const accounts = new AccountsService({
    store,
    synced,
    dispatchers,
    allowPrivateUpstreams: config.allowPrivateUpstreams,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    upstreamPatienceMs: config.upstreamPatienceMs,
    retry: overrides.retry,
    logger,
    upstreamObserver: {
      attempted: (vendor, status) => telemetry.vendorResponse(vendor, status),
      waited: (vendor, seconds) => telemetry.rateBudgetWaited(vendor, seconds),
    },
    clock,
    budgetFor: shared.budgetFor,
    // status changes go into the webhooks outbox with the change itself
    events: new OutboxAccountEvents(db, clock),
  });
  const connectStore = createConnectStore(db, config.secretKey, clock);
  const oauthEndpoints = new OAuthEndpointsTable();
  for (const [slug, e] of Object.entries(config.oauthEndpoints ?? {})) {
    oauthEndpoints.override(slug, { ...(e.authorizeUrl ? { authorizeUrl: e.authorizeUrl } : {}), ...(e.tokenUrl ? { tokenUrl: e.tokenUrl } : {}) });
  }
  const oauthTokens = new OAuthTokenService({ store, oauthApps: connectStore.oauthApps, locks: locks, accounts, endpoints: oauthEndpoints, clock });
  accounts.useOAuthTokens(oauthTokens);
  const connect = new ConnectService({ connect: connectStore, accounts, endpoints: oauthEndpoints, clock, allowPrivateUpstreams: config.allowPrivateUpstreams });
  const connectHints = new Map<string, string>();
  const sandboxConnect: { tenantId?: string } = {};
  const now = () => utcNow(clock);
  // answers from the store depend only on the query and the sync they came from: kept until the next one
  const storePages = new TtlCache<unknown>(10 * 60 * 1000, 5000);
  const interactions = new InteractionsService({ accounts, synced, storePages, cursors, pageBudgetMs: overrides.pageBudgetMs, logger, now });
  const resources = new ResourcesService({ accounts, cursors, synced, storePages, now });
  const activity = new ActivityService({ accounts, synced, storePages, cursors, pageBudgetMs: overrides.pageBudgetMs, now });
  const scorecards = new ScorecardsService({ accounts, synced, cursors, now });
  const jobs = shared.jobQueue((kind, key, e) => logger.error({ kind, key, err: e }, 'job failed'), overrides.jobs);
  const webhookTimeoutMs = config.webhookTimeoutMs ?? 10_000;
  // deliveries run where syncs run (all, worker); the API process only records events
  const webhookDispatcher =
    config.role === 'api'
      ? undefined
      : new WebhookDispatcher({ db, cipher: new CredentialCipher(config.secretKey), clock, allowPrivateReceivers: config.allowPrivateUpstreams, timeoutMs: webhookTimeoutMs, logger, ...overrides.webhooks });
  const engine = new SyncEngine({
    synced,
    accounts,
    clock,
    logger,
    events: new SyncEventWriter(clock),
    onCommitted: () => webhookDispatcher?.wake(),
    onRunEnded: (_id, outcome, seconds) => telemetry.syncRunEnded(outcome, seconds),
  });
  const webhooks = new WebhooksService({
    repository: new WebhookRepository(db, new CredentialCipher(config.secretKey), () => new Date(clock.now()).toISOString()),
    allowPrivateReceivers: config.allowPrivateUpstreams,
  });
  // PARLEY_ROLE=api serves HTTP only: without Redis its sync requests are picked up by a worker's
  // scheduler; with Redis it enqueues them on the shared queue and runs none
  const work = config.role !== 'api';
  const scheduler =
    work || jobs.shared
      ? new SyncScheduler({ synced, engine, jobs, clock, concurrency: config.syncConcurrency, tickMs: overrides.syncTickMs, logger, work })
      : undefined;
  const sync = new SyncService({ accounts, synced, clock, scheduler });
  // every database openDatabase opens counts its writes (the warm answers' validity)
  const writes = writesOf(db);
  const app = await buildApi({
    store,
    accounts,
    interactions,
    resources,
    sync,
    webhooks,
    activity,
    scorecards,
    tokens: new TokensService({ tokens: store.tokens, cursors }),
    cursors,
    logger,
    ...(writes ? { warm: new WarmAnswers(writes) } : {}),
    limits: { requestTimeoutMs: config.requestTimeoutMs },
    operations: { telemetry, corsOrigins: config.corsOrigins },
    connect: {
      connect,
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
      hints: () => connectHints,
      sandboxTenant: () => sandboxConnect.tenantId,
      oauthReady: async (tenantId, integration) => (await connectStore.oauthApps.get(tenantId, integration)) !== undefined && oauthEndpoints.of(integration) !== undefined,
    },
  });
  return {
    app,
    store,
    accounts,
    clock,
    synced,
    engine,
    scheduler,
    telemetry,
    webhookDispatcher,
    locks,
    jobs,
    connect,
    connectStore,
    oauthTokens,
    oauthEndpoints,
    connectHints,
    sandboxConnect,
    async startBackgroundWork() {
      await scheduler?.start();
      webhookDispatcher?.start();
    },
    async close() {
      await scheduler?.stop();
      await webhookDispatcher?.stop();
      await jobs.close();
      await app.close();
      await store.close();
      await Promise.all([dispatchers.publicOnly.close(), dispatchers.any.close()]);
      await shared.close();
    },
  };
}
