import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { clockAt } from '../../src/domain/clock.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/** Nothing a client sends may produce a 500 or crash the process: random queries and bodies. */
let t: TestParley;
let account: string;

beforeAll(async () => {
  // ranges are clipped at "today": with a pinned calendar a generated case behaves the same on any day
  t = await startTestParley({}, { clock: clockAt('2025-06-12T15:00:00Z') });
  // an account whose vendor is unreachable: requests that get past validation fail as 502, never 500
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'k', access_key_secret: 's', base_url: 'http://127.0.0.1:9' },
  });
  account = res.body.id;
});
afterAll(() => t.close());

const ROUTES = [
  '/integrated-accounts',
  '/unified/conversational-intelligence/interactions',
  '/unified/conversational-intelligence/users',
  '/unified/conversational-intelligence/meetings',
  '/unified/conversational-intelligence/transcripts',
];
const KEYS = ['integrated_account_id', 'start_time', 'end_time', 'aggregation_period', 'timezone', 'users', 'limit', 'next_cursor', 'include_remote_data', 'metrics_source', 'meeting_id', '__proto__', 'constructor'];
const SUFFIXES = ['', '[]', '[0]', '[][id]', '[0][id]', '[a][b][c][d][e]', '[id]', '[__proto__]'];
const VALUES = fc.oneof(
  fc.constantFrom('', '2024-01-01', '2024-02-30', '0000-00-00', '9999-12-31', 'day', 'week', 'total', 'true', 'UTC', 'Mars/X', '-1', '1e309', 'NaN', '%00', '%E0%A4%A', '..', 'null'),
  fc.string({ maxLength: 40 }),
  fc.constant('x'.repeat(5000)),
);

describe('robustness', () => {
  it('never answers 500 to random query strings on any list route', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...SUFFIXES), VALUES), { maxLength: 6 }),
        fc.boolean(),
        async (route, params, withAccount) => {
          const parts = params.map(([k, s, v]) => `${k}${s}=${encodeURIComponent(v)}`);
          if (withAccount) parts.push(`integrated_account_id=${account}`);
          const res = await t.parley.app.inject({ method: 'GET', url: `${route}?${parts.join('&')}`, headers: { authorization: `Bearer ${t.token}` } });
          expect(res.statusCode, `${route}?${parts.join('&')}: ${res.body}`).not.toBe(500);
          expect(res.statusCode).toBeLessThan(600);
          const body = res.json();
          if (res.statusCode >= 400) expect(body).toMatchObject({ statusCode: res.statusCode, error: expect.any(String), message: expect.any(String) });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never answers 500 to random JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/integrated-accounts', '/unified/conversational-intelligence/interactions/compute'),
        fc.oneof(fc.jsonValue(), fc.record({ integration: fc.constantFrom('gong', 'fireflies', 'avoma', 'x'), credentials: fc.jsonValue() }), fc.record({ start_time: fc.string(), end_time: fc.string(), calls: fc.jsonValue() })),
        async (route, body) => {
          const res = await t.parley.app.inject({
            method: 'POST',
            url: route,
            headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          expect(res.statusCode, `${route} ${JSON.stringify(body)}: ${res.body}`).not.toBe(500);
        },
      ),
      { numRuns: 150 },
    );
  });
});
