import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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

  constructor(options: { processMetrics?: boolean } = {}) {
    // process CPU, memory, event-loop lag, GC, handles: prom-client's standard set, prefixed parley_
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'parley_' });
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
