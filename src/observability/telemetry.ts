import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Accounts per integration and sync status, with the oldest data among them (SyncedStore.syncOverview). */
export type SyncOverview = () => Promise<{ integration: string; status: string; accounts: number; oldestDataAsOf: string | null }[]>;

/**
 * Parley's Prometheus metrics, one registry per Parley instance (tests run several in one process,
 * so nothing goes to prom-client's global registry). Labels are bounded sets only: route patterns
 * (never raw URLs), vendor names, statuses, outcomes; never a tenant, account or user id.
 *
 * The layers below the API do not import this: the upstream client and the sync engine take plain
 * callbacks (`UpstreamObserver`, `onRunEnded`) that src/server.ts points here.
 */
export class Telemetry {
  readonly registry = new Registry();
  private readonly httpRequests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'time from a request\'s arrival to its response, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [this.registry],
  });
  private readonly vendorRequests = new Counter({
    name: 'parley_vendor_requests_total',
    help: 'requests sent to vendors, by vendor and answer status (`error`: no answer: network failure or timeout)',
    labelNames: ['vendor', 'status'] as const,
    registers: [this.registry],
  });
  private readonly vendorRateLimited = new Counter({
    name: 'parley_vendor_rate_limited_total',
    help: 'vendor answers 429 (rate limited), by vendor',
    labelNames: ['vendor'] as const,
    registers: [this.registry],
  });
  private readonly syncRuns = new Counter({
    name: 'parley_sync_runs_total',
    help: 'sync runs ended, by outcome (completed, failed, interrupted, skipped)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly syncDuration = new Histogram({
    name: 'parley_sync_run_duration_seconds',
    help: 'duration of sync runs that were not skipped, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });

  private readonly budgetWait = new Histogram({
    name: 'parley_rate_budget_wait_seconds',
    help: 'time a vendor request waited for its account\'s rate budget before it could be sent, by vendor',
    labelNames: ['vendor'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.35, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean; syncOverview?: SyncOverview; now?: () => number } = {}) {
    // process CPU, memory, event-loop lag, GC, handles: prom-client's standard set, prefixed parley_
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
    const overview = options.syncOverview;
    if (overview) {
      const now = options.now ?? Date.now;
      // read from the database at scrape time: true across processes sharing the database
      let latest: ReturnType<SyncOverview> | undefined;
      const read = () => (latest ??= overview().finally(() => setTimeout(() => (latest = undefined), 0)));
      new Gauge({
        name: 'parley_sync_accounts',
        help: 'integrated accounts by integration and sync status (idle, running, failed, disabled)',
        labelNames: ['integration', 'status'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          for (const r of await read()) this.set({ integration: r.integration, status: r.status }, r.accounts);
        },
      });
      new Gauge({
        name: 'parley_sync_lag_seconds',
        help: 'age of the oldest synced data among an integration\'s enabled accounts (now minus the start of their last completed run); accounts never synced are not counted',
        labelNames: ['integration'] as const,
        registers: [this.registry],
        async collect() {
          this.reset();
          const oldest = new Map<string, number>();
          for (const r of await read()) {
            if (r.status === 'disabled' || r.oldestDataAsOf === null) continue;
            const at = Date.parse(r.oldestDataAsOf);
            oldest.set(r.integration, Math.min(oldest.get(r.integration) ?? at, at));
          }
          for (const [integration, at] of oldest) this.set({ integration }, Math.max(0, (now() - at) / 1000));
        },
      });
    }
  }

  rateBudgetWaited(vendor: string, seconds: number): void {
    this.budgetWait.observe({ vendor }, seconds);
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }

  vendorResponse(vendor: string, status: number | 'error'): void {
    this.vendorRequests.inc({ vendor, status: String(status) });
    if (status === 429) this.vendorRateLimited.inc({ vendor });
  }

  syncRunEnded(outcome: string, seconds: number): void {
    this.syncRuns.inc({ outcome });
    if (outcome !== 'skipped') this.syncDuration.observe({ outcome }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
