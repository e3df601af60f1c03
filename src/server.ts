import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { buildApi, LOG_REDACT } from './api/app.js';
import { openDatabase, migrateToLatest } from './store/db.js';
import { createStore, DEFAULT_TENANT_ID, type Store } from './store/repositories.js';
import { AccountsService } from './service/accounts.js';
import { InteractionsService } from './service/interactions.js';
import { CursorCodec } from './service/cursor.js';
import { ResourcesService } from './service/resources.js';
import { createDispatchers, type RetryPolicy } from './upstream/client.js';
import { systemClock, utcNow, type Clock } from './domain/clock.js';

/** Wires config → store → services → API. The only place that knows every layer. */
export interface Parley {
  app: FastifyInstance;
  store: Store;
  accounts: AccountsService;
  clock: Clock;
  close(): Promise<void>;
}

export interface ParleyOverrides {
  /** tests pass a logger writing to memory, to assert what is (not) logged */
  logger?: Logger;
  retry?: RetryPolicy;
  pageBudgetMs?: number;
  /** the calendar; tests pin it so that no test depends on today's date */
  clock?: Clock;
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
  const cursors = new CursorCodec(config.secretKey);
  const accounts = new AccountsService({
    store,
    dispatchers,
    allowPrivateUpstreams: config.allowPrivateUpstreams,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    upstreamPatienceMs: config.upstreamPatienceMs,
    retry: overrides.retry,
    logger,
    clock,
  });
  const now = () => utcNow(clock);
  const interactions = new InteractionsService({ accounts, cursors, pageBudgetMs: overrides.pageBudgetMs, logger, now });
  const resources = new ResourcesService({ accounts, cursors, now });
  const app = await buildApi({ store, accounts, interactions, resources, cursors, logger, limits: { requestTimeoutMs: config.requestTimeoutMs } });
  return {
    app,
    store,
    accounts,
    clock,
    async close() {
      await app.close();
      await store.close();
      await Promise.all([dispatchers.publicOnly.close(), dispatchers.any.close()]);
    },
  };
}
