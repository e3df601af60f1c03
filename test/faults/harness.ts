import { expect } from 'vitest';
import type { FaultQueue, FaultSpec } from '../../sandbox/shared/fault-injection.js';
import type { RecordedRequest } from '../../sandbox/shared/request-log.js';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * The fault-injection suite: every unified route that reaches a vendor, against each misbehaviour a
 * vendor shows on a bad day, served on *every* request while it lasts (a storm). Each case runs on
 * its own simulator (faults are a per-simulator queue) and its own new account (caches, learned
 * settings and rate budgets are per account), so cases run side by side. A case passes when:
 * - the faulted answer is never a 500 but the right error: 429 with Retry-After for rate limits,
 *   else 502, both in the one error body with `is_remote_error: true`;
 * - once the faults clear, the same account answers the same query exactly as a fault-free
 *   baseline did (nothing the fault left behind — a cache, a learned zone, a paused budget —
 *   changes the answer).
 * Patience and retries are small so that every case is bounded: the suite runs in well under
 * 2 minutes.
 */

export const NOW = '2024-06-15T19:00:00Z';
/** a Monday and Tuesday, a few days before NOW: every simulator has meetings there */
export const RANGE = { start: '2024-06-10', end: '2024-06-12' };

export interface Simulated {
  url: string;
  faults: FaultQueue;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface VendorUnderFaults {
  integration: string;
  /** a simulator with `now` pinned to NOW and its own rate limit off; same data every time */
  start(): Promise<Simulated>;
  /** credentials for `url`, with a fast budget where the vendor's is configurable */
  credentials(url: string): Record<string, unknown>;
  nativeInteractions: boolean;
}

/** every kind of bad day, as a storm (served to every request until cleared) */
export const FAULTS: { name: string; spec: FaultSpec; expect: 429 | 502 }[] = [
  { name: '429 storm with Retry-After', spec: { kind: 'rate-limit', retryAfterSeconds: 1 }, expect: 429 },
  { name: '429 storm without Retry-After', spec: { kind: 'rate-limit', retryAfterSeconds: null }, expect: 429 },
  { name: '503 storm', spec: { kind: 'status', status: 503 }, expect: 502 },
  { name: '500 with an HTML body', spec: { kind: 'status', status: 500, body: '<html><body>Internal error</body></html>', contentType: 'text/html' }, expect: 502 },
  { name: 'connection resets', spec: { kind: 'reset' }, expect: 502 },
  { name: 'hangs', spec: { kind: 'timeout' }, expect: 502 },
  { name: 'redirects to another host', spec: { kind: 'redirect' }, expect: 502 },
  { name: 'malformed JSON', spec: { kind: 'malformed', variant: 'invalid-json' }, expect: 502 },
  { name: 'wrong-shape bodies', spec: { kind: 'malformed', variant: 'wrong-shape' }, expect: 502 },
];

const BASE = '/unified/conversational-intelligence';
const STORM = 100_000;
const CONCURRENT_CASES = 8;

export interface SuiteResult {
  cases: number;
  /** answers with status 500, faulted or cleared */
  serverErrors: number;
  failures: string[];
}

async function newAccount(t: TestParley, vendor: VendorUnderFaults, url: string): Promise<string> {
  const res = await t.call('POST', '/integrated-accounts', { integration: vendor.integration, credentials: vendor.credentials(url) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** What may differ between accounts: interaction ids hash the account, cursors are signed for it. */
function normalize(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body), (key, value) => {
    if (key === 'id' && typeof value === 'string' && value.startsWith('int_')) return '<interaction id>';
    if (key === 'next_cursor') return value ? '<cursor>' : null;
    return value;
  });
}

/** The routes reaching the vendor, as templates with ACCOUNT in place of the account id. */
async function routesOf(t: TestParley, vendor: VendorUnderFaults, account: string): Promise<Map<string, string>> {
  const q = (params: Record<string, string>) => new URLSearchParams({ integrated_account_id: 'ACCOUNT', include_remote_data: 'false', ...params }).toString();
  const at = (route: string) => route.replaceAll('ACCOUNT', account);
  const routes = new Map<string, string>();
  routes.set('users', `${BASE}/users?${q({ limit: '100' })}`);
  const users = await t.call('GET', at(routes.get('users')!));
  expect(users.status, JSON.stringify(users.body)).toBe(200);
  routes.set('users/{id}', `${BASE}/users/${encodeURIComponent(users.body.result[0].id)}?${q({})}`);
  routes.set('meetings', `${BASE}/meetings?${q({ start_time: `${RANGE.start}T00:00:00Z`, end_time: `${RANGE.end}T00:00:00Z`, limit: '100' })}`);
  const meetings = await t.call('GET', at(routes.get('meetings')!));
  expect(meetings.status, JSON.stringify(meetings.body)).toBe(200);
  expect(meetings.body.result.length).toBeGreaterThan(0);
  const meetingId = meetings.body.result[0].id as string;
  routes.set('meetings/{id}', `${BASE}/meetings/${encodeURIComponent(meetingId)}?${q({})}`);
  routes.set('transcripts', `${BASE}/transcripts?${q({ meeting_id: meetingId })}`);
  const interactions = { start_time: RANGE.start, end_time: RANGE.end, aggregation_period: 'day' };
  if (vendor.nativeInteractions) routes.set('interactions (native)', `${BASE}/interactions?${q({ ...interactions, metrics_source: 'native' })}`);
  routes.set('interactions (computed)', `${BASE}/interactions?${q({ ...interactions, metrics_source: 'computed' })}`);
  return routes;
}

export async function runFaultSuite(vendor: VendorUnderFaults): Promise<SuiteResult> {
  const t = await startTestParley({ upstreamPatienceMs: 2_000, upstreamTimeoutMs: 800 }, { clock: clockAt(NOW) });
  const result: SuiteResult = { cases: 0, serverErrors: 0, failures: [] };
  try {
    const baselineSim = await vendor.start();
    const baseline = new Map<string, unknown>();
    let routes: Map<string, string>;
    try {
      const account = await newAccount(t, vendor, baselineSim.url);
      routes = await routesOf(t, vendor, account);
      for (const [name, route] of routes) {
        const res = await t.call('GET', route.replaceAll('ACCOUNT', account));
        expect(res.status, `${vendor.integration} baseline ${name}: ${JSON.stringify(res.body)}`).toBe(200);
        baseline.set(name, normalize(res.body));
      }
    } finally {
      await baselineSim.close();
    }

    const cases = [...routes].flatMap(([route, template]) => FAULTS.map((fault) => ({ route, template, fault })));
    const runCase = async ({ route, template, fault }: (typeof cases)[number]): Promise<void> => {
      const label = `${vendor.integration} ${route} / ${fault.name}`;
      const sim = await vendor.start();
      try {
        const account = await newAccount(t, vendor, sim.url);
        const url = template.replaceAll('ACCOUNT', account);
        sim.faults.push({ ...fault.spec, times: STORM });
        const faulted = await t.call('GET', url);
        result.cases += 1;
        if (faulted.status === 500) result.serverErrors += 1;
        const problems: string[] = [];
        if (faulted.status !== fault.expect) problems.push(`status ${faulted.status}, expected ${fault.expect}`);
        const body = faulted.body ?? {};
        if (body.statusCode !== faulted.status || typeof body.error !== 'string' || typeof body.message !== 'string') problems.push('not the error body');
        if (body.is_remote_error !== true) problems.push('is_remote_error is not true');
        if (fault.expect === 429 && !/^\d+$/.test(String(faulted.headers['retry-after']))) problems.push('no Retry-After');
        if (sim.requests.length === 0) problems.push('the vendor was never asked');
        sim.faults.clear();
        const cleared = await t.call('GET', url);
        if (cleared.status === 500) result.serverErrors += 1;
        if (cleared.status !== 200) problems.push(`after the faults cleared: ${cleared.status} ${JSON.stringify(cleared.body)}`);
        else if (JSON.stringify(normalize(cleared.body)) !== JSON.stringify(baseline.get(route))) problems.push('after the faults cleared: not the baseline answer');
        if (problems.length > 0) result.failures.push(`${label}: ${problems.join('; ')} (faulted answer: ${faulted.status} ${JSON.stringify(body).slice(0, 300)})`);
      } finally {
        await sim.close();
      }
    };

    const queue = [...cases];
    await Promise.all(
      Array.from({ length: CONCURRENT_CASES }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) await runCase(next);
      }),
    );
  } finally {
    await t.close();
  }
  return result;
}
