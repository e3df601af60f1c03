import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { clockAt } from '../../src/domain/clock.js';
import { loadConfig, ConfigError } from '../../src/config.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startVendor, type VendorUnderTest } from '../sync/vendors.js';

/**
 * CONTRACT.md "Operating it": /metrics in the Prometheus text format (read back with a Prometheus
 * parser) whose counters move with requests, vendor calls and sync runs; x-request-id on every
 * response and in the logs; compression; CORS only when configured.
 */
const NOW = Date.parse('2025-06-12T15:00:00Z');

function sample(families: PrometheusFamily[], name: string, labels: Record<string, string>): number {
  const family = families.find((f) => f.name === name);
  const m = family?.metrics.find((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  if (!m) return 0;
  return Number(m.value ?? m.count);
}

describe('operations', () => {
  let t: TestParley;
  let gong: VendorUnderTest;

  async function scrape(): Promise<PrometheusFamily[]> {
    const res = await t.parley.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${t.token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusTextFormat(res.body);
  }

  beforeAll(async () => {
    gong = await startVendor('gong', NOW);
    t = await startTestParley({}, { clock: clockAt(NOW) });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await gong?.close();
  });

  it('/metrics needs an API token like every route but /health, /openapi.json and /docs', async () => {
    const res = await t.parley.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(401);
  });

  it('counts requests by route pattern and status, with durations, and serves process metrics', async () => {
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await t.call('GET', '/health')).status).toBe(200);
    expect((await t.call('GET', '/integrated-accounts/nope-1')).status).toBe(404);
    expect((await t.call('GET', '/integrated-accounts/nope-2')).status).toBe(404);
    const after = await scrape();
    const health = { method: 'GET', route: '/health', status: '200' };
    expect(sample(after, 'parley_http_requests_total', health) - sample(before, 'parley_http_requests_total', health)).toBe(3);
    // two different ids, one route pattern: ids never become label values
    const missing = { method: 'GET', route: '/integrated-accounts/:id', status: '404' };
    expect(sample(after, 'parley_http_requests_total', missing) - sample(before, 'parley_http_requests_total', missing)).toBe(2);
    // this parser folds a labelled histogram's series into one set of buckets: its type and buckets are what it can tell
    const durations = after.find((f) => f.name === 'parley_http_request_duration_seconds');
    expect(durations?.type).toBe('HISTOGRAM');
    expect(Number(durations?.metrics[0]?.buckets?.['+Inf'])).toBeGreaterThan(0);
    expect(after.find((f) => f.name === 'parley_process_resident_memory_bytes' || f.name === 'parley_nodejs_heap_size_used_bytes')).toBeDefined();
    expect(JSON.stringify(after)).not.toContain('nope-1');
  });

  it('counts vendor requests and 429s by vendor, and sync runs by outcome', async () => {
    const created = await t.call('POST', '/integrated-accounts', { integration: 'gong', credentials: gong.credentials, sync: { backfill_days: 3 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const before = await scrape();
    gong.faults.push({ kind: 'rate-limit', retryAfterSeconds: 0, times: 1 });
    expect(await t.parley.engine.run(created.body.id)).toBe('completed');
    const after = await scrape();
    const ok = sample(after, 'parley_vendor_requests_total', { vendor: 'Gong', status: '200' }) - sample(before, 'parley_vendor_requests_total', { vendor: 'Gong', status: '200' });
    expect(ok).toBeGreaterThan(0);
    expect(sample(after, 'parley_vendor_rate_limited_total', { vendor: 'Gong' }) - sample(before, 'parley_vendor_rate_limited_total', { vendor: 'Gong' })).toBe(1);
    expect(sample(after, 'parley_vendor_requests_total', { vendor: 'Gong', status: '429' })).toBe(1);
    expect(sample(after, 'parley_sync_runs_total', { outcome: 'completed' }) - sample(before, 'parley_sync_runs_total', { outcome: 'completed' })).toBe(1);
    expect(after.find((f) => f.name === 'parley_sync_run_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(after.find((f) => f.name === 'parley_rate_budget_wait_seconds')?.type).toBe('HISTOGRAM');
    // read from the store at scrape time: the account is idle, its data as of the run's start (the pinned clock)
    expect(sample(after, 'parley_sync_accounts', { integration: 'gong', status: 'idle' })).toBe(1);
    const lag = sample(after, 'parley_sync_lag_seconds', { integration: 'gong' });
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(60);
  }, 60_000);

  it('echoes a sane x-request-id, replaces an unsafe one, generates one otherwise, and logs it', async () => {
    const given = await t.parley.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers['x-request-id']).toBe('trace-abc.123');
    expect(t.logs.some((l) => JSON.parse(l).request_id === 'trace-abc.123')).toBe(true);
    const unsafe = await t.parley.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': `x\u0007${'y'.repeat(300)}` } });
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const none = await t.parley.app.inject({ method: 'GET', url: '/integrated-accounts' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const notFound = await t.call('GET', '/no/such/route');
    expect(notFound.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('compresses when the client accepts it', async () => {
    const plain = await t.parley.app.inject({ method: 'GET', url: '/openapi.json' });
    const gz = await t.parley.app.inject({ method: 'GET', url: '/openapi.json', headers: { 'accept-encoding': 'gzip' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
  });

  it('sends no CORS headers unless PARLEY_CORS_ORIGINS is set', async () => {
    const res = await t.parley.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS when configured', () => {
  let t: TestParley;
  beforeAll(async () => {
    t = await startTestParley({ corsOrigins: ['https://app.example.com'] }, { clock: clockAt(NOW) });
  });
  afterAll(async () => t?.close());

  it('answers a preflight without a token and allows only the listed origins', async () => {
    const preflight = await t.parley.app.inject({
      method: 'OPTIONS',
      url: '/integrated-accounts',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('authorization');
    const get = await t.parley.app.inject({ method: 'GET', url: '/integrated-accounts', headers: { origin: 'https://app.example.com', authorization: `Bearer ${t.token}` } });
    expect(get.statusCode).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(get.headers['access-control-expose-headers'])).toContain('x-request-id');
    const other = await t.parley.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('PARLEY_CORS_ORIGINS takes origins or *, and names what is not an origin', () => {
    const base = { PARLEY_SECRET_KEY: 'a'.repeat(64) };
    expect(loadConfig(base).corsOrigins).toBeUndefined();
    expect(loadConfig({ ...base, PARLEY_CORS_ORIGINS: 'https://a.example, http://localhost:5173/' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
    expect(loadConfig({ ...base, PARLEY_CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(() => loadConfig({ ...base, PARLEY_CORS_ORIGINS: 'https://a.example/path' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, PARLEY_CORS_ORIGINS: 'not an origin' })).toThrow(/PARLEY_CORS_ORIGINS/);
  });
});
