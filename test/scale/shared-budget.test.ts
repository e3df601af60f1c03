import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startSimulatorsInWorker, type LaunchedSimulators } from '../../sandbox/launch.js';
import type { RecordedRequest } from '../../sandbox/shared/request-log.js';
import { createParley } from '../../src/server.js';
import { clockAt } from '../../src/domain/clock.js';
import { DEFAULT_TENANT_ID } from '../../src/store/repositories.js';
import type { Config } from '../../src/config.js';
import { dropPostgresSchema, dropRedisPrefix, freshPostgresSchema, freshRedisPrefix, postgresAvailable, redisAvailable, REDIS_URL } from '../helpers/services.js';
import { expectPaced } from '../helpers/pacing.js';
import { startProcess, stopProcess, type ClusterProcess } from './cluster.js';

/**
 * Issue 9: three Parley processes share one Gong account's budget through Redis. The simulator's
 * limiter is a strict sliding window (3 per second over arrival times): 100 concurrent cold
 * requests spread over the three processes must reach it with no 429 and take about N/3 seconds —
 * each process alone would pace at the full 3/s, together 9/s.
 */
const NOW = '2024-06-12T18:00:00Z';
const KEY = randomBytes(32);
const TOKEN = `boot_${randomBytes(12).toString('hex')}`;
const N = 100;
const pgOk = await postgresAvailable();
const redisOk = await redisAvailable();
const ready = pgOk.ok && redisOk.ok;
const schema = `w9scale_budget_${process.pid}_${Date.now().toString(36)}`;
const prefix = freshRedisPrefix('budget');
const procs: ClusterProcess[] = [];
let sims: LaunchedSimulators | undefined;
let simUrl = '';

/** the simulator runs in a thread of its own, so this process's 100 fetches never delay its arrival clock */
async function received(): Promise<RecordedRequest[]> {
  const res = await fetch(`${simUrl}/__sandbox/requests`);
  return ((await res.json()) as { requests: RecordedRequest[] }).requests;
}

beforeAll(async () => {
  if (!ready) return;
  sims = await startSimulatorsInWorker([{ name: 'gong', options: { ratePerSecond: 3, perDay: Infinity } }]);
  simUrl = sims.simulators[0]!.url;
  const databaseUrl = await freshPostgresSchema(schema);
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    production: false,
    databaseUrl,
    secretKey: KEY,
    sandbox: false,
    allowPrivateUpstreams: true,
    logLevel: 'silent',
    upstreamPatienceMs: 20_000,
    upstreamTimeoutMs: 5_000,
    role: 'api',
    syncConcurrency: 1,
  };
  const seed = await createParley(config, { clock: clockAt(NOW), logger: pino({ level: 'silent' }) });
  await seed.accounts.create(
    DEFAULT_TENANT_ID,
    { integration: 'gong', credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: simUrl }, sync: { enabled: false } },
    { id: 'acct-shared' },
  );
  await seed.close();
  const options = { role: 'api', databaseUrl, secretKeyHex: KEY.toString('hex'), redisUrl: REDIS_URL, redisPrefix: prefix, bootstrapToken: TOKEN, now: NOW, patienceMs: 90_000 };
  procs.push(...(await Promise.all([startProcess(options), startProcess(options), startProcess(options)])));
}, 90_000);
afterAll(async () => {
  await Promise.all(procs.map((p) => stopProcess(p)));
  await sims?.close();
  if (ready) {
    await dropPostgresSchema(schema).catch(() => {});
    await dropRedisPrefix(prefix);
  }
});

describe.skipIf(!ready)('one vendor budget across three processes (Redis)', () => {
  it(`${N} concurrent cold requests over three processes: no vendor 429, wall ≈ N/3 s`, { timeout: 120_000 }, async () => {
    const before = (await received()).length;
    const started = Date.now();
    const statuses = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const port = procs[i % 3]!.port!;
        // a distinct call id per request: each is one cold vendor request (POST /v2/calls/extensive)
        const id = String(7_000_000_000_000_000_000n + BigInt(i));
        const res = await fetch(`http://127.0.0.1:${port}/unified/conversational-intelligence/meetings/${id}?integrated_account_id=acct-shared`, {
          headers: { authorization: `Bearer ${TOKEN}` },
          signal: AbortSignal.timeout(100_000),
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    const wallMs = Date.now() - started;
    const got = (await received()).slice(before);
    const tooMany = got.filter((r) => r.status === 429).length;
    const ratio = wallMs / ((N / 3) * 1000);
    console.log(`shared budget: ${N} requests over 3 processes in ${wallMs} ms = ${ratio.toFixed(3)} × N/3 s; vendor 429s: ${tooMany}; vendor requests: ${got.length}`);
    const at = got.map((r) => r.at);
    for (const [i, r] of got.entries()) {
      if (r.status === 429) console.log(`429 at #${i}: arrivals around it (ms after the first): ${at.slice(Math.max(0, i - 4), i + 2).map((t) => Math.round(t - at[0]!)).join(', ')}`);
    }
    expect(tooMany).toBe(0);
    expect(got.length).toBe(N);
    expect(statuses.every((s) => s === 200 || s === 404), `statuses ${[...new Set(statuses)].join(',')}`).toBe(true);
    expectPaced(got.map((r) => r.at).sort((a, b) => a - b), 1000 / 3);
    expect(ratio).toBeLessThanOrEqual(1.5);
    expect(ratio).toBeGreaterThan(0.9);
  });
});
