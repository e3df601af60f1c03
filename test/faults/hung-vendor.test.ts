import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { loadConfig } from '../../src/config.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';

/**
 * A vendor that accepts the connection and never answers, with Parley's *default* timeouts: the
 * README promises a page waits at most ~15 s, so one hung attempt must be retried inside that, and a
 * vendor that always hangs must become a 502 inside it too.
 */
const PAGE_PROMISE_MS = 15_000;
let gong: GongSimulator;
let hanging: GongSimulator;
let t: TestParley;

beforeAll(async () => {
  gong = await startGongSimulator({ ratePerSecond: Infinity });
  hanging = await startGongSimulator({ ratePerSecond: Infinity });
  const defaults = loadConfig({ PARLEY_SECRET_KEY: 'ab'.repeat(32) });
  t = await startTestParley({ upstreamPatienceMs: defaults.upstreamPatienceMs, upstreamTimeoutMs: defaults.upstreamTimeoutMs });
});
afterAll(async () => {
  await t.close();
  await gong.close();
  await hanging.close();
});

async function account(sim: GongSimulator): Promise<string> {
  const res = await t.call('POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

const users = (id: string) => `/unified/conversational-intelligence/users?integrated_account_id=${id}`;

describe('a hung vendor, with the default timeouts', () => {
  it('retries one hung attempt and answers well inside the page promise; a vendor that always hangs is a 502 inside it', async () => {
    const timed = async (url: string) => {
      const started = performance.now();
      const res = await t.call('GET', url);
      return { ...res, ms: performance.now() - started };
    };
    // accounts first: their verification (one /v2/users each) must not take the faults
    const [good, hung] = [await account(gong), await account(hanging)];
    const verified = gong.requests.length;
    gong.faults.push({ kind: 'timeout', path: '/v2/users', times: 1 });
    hanging.faults.push({ kind: 'timeout', path: '/v2/users', times: 50 });
    const hangingBefore = hanging.requests.length;
    const [recovered, failed] = await Promise.all([timed(users(good)), timed(users(hung))]);

    expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);
    expect(recovered.body.result.length).toBeGreaterThan(0);
    expect(gong.requests.slice(verified).map((r) => r.fault ?? r.status)).toEqual(['timeout', 200]);
    expect(recovered.ms).toBeLessThan(PAGE_PROMISE_MS - 3_000);

    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ statusCode: 502, is_remote_error: true });
    expect(failed.body.message).toMatch(/Gong could not be reached .*no complete answer within/);
    expect(hanging.requests.length - hangingBefore).toBeGreaterThan(1); // retried
    expect(failed.ms).toBeLessThan(PAGE_PROMISE_MS);
  }, 45_000);
});
