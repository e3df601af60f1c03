import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { startSimulatorsInWorker } from '../sandbox/launch.js';
import type { RecordedRequest } from '../sandbox/shared/request-log.js';
import { createParley } from '../src/server.js';
import { clockAt } from '../src/domain/clock.js';
import { DEFAULT_TENANT_ID } from '../src/store/repositories.js';
import type { Config } from '../src/config.js';
import { RateBudget, type SendBudget } from '../src/upstream/rate-budget.js';
import { RedisRateBudget } from '../src/upstream/redis-rate-budget.js';
import { dropPostgresSchema, dropRedisPrefix, freshPostgresSchema, freshRedisPrefix, postgresAvailable, redisAvailable, REDIS_URL } from '../test/helpers/services.js';
import { startProcess, stopProcess, type ClusterProcess } from '../test/scale/cluster.js';
import { interleaved, ratios, show, spread } from './stats.js';

/**
 * Scale-out (issue 9), on the real local Postgres and Redis, Parley in child processes:
 * (a) pacing: N cold requests spread over 3 api processes sharing one Gong account's budget through
 *     Redis, against the simulator's strict 3/s sliding window: wall ÷ (N/3 s), and vendor 429s;
 * (b) cached-read throughput (a native Interactions page served from the process's memory cache),
 *     1 api process vs 2 (load split over both), autocannon in this process: the ratio;
 * (c) what Redis adds to one request: rate-budget acquire + sent, Redis vs in-process (p50, µs).
 * BENCH_SCALE_N (default 60) sets N; BENCH_SCALE_PARTS=pacing,throughput,acquire runs a subset.
 */
const NOW = '2024-06-12T18:00:00Z';
const CI = '/unified/conversational-intelligence';
const PARTS = new Set((process.env.BENCH_SCALE_PARTS ?? 'pacing,throughput,acquire').split(','));

export async function runScale(): Promise<void> {
  console.log('\nScale-out (issue 9)');
  const [pg, redis] = [await postgresAvailable(), await redisAvailable()];
  if (!pg.ok || !redis.ok) {
    console.log(`  skipped: ${!pg.ok ? pg.why : ''} ${!redis.ok ? redis.why : ''}`);
    return;
  }
  if (PARTS.has('acquire')) await acquireCost();
  if (PARTS.has('pacing') || PARTS.has('throughput')) await cluster();
}

async function acquireCost(): Promise<void> {
  const prefix = freshRedisPrefix('bench-acquire');
  const client = new Redis(REDIS_URL);
  try {
    const budgets: Record<'memory' | 'redis', SendBudget> = {
      memory: new RateBudget({ perSecond: 1e9, marginMs: 0 }),
      redis: new RedisRateBudget({ redis: client, key: `${prefix}:budget:a`, perSecond: 1e9, marginMs: 0 }),
    };
    const once = async (b: SendBudget): Promise<number> => {
      const t = performance.now();
      const a = await b.acquire({ deadline: Date.now() + 10_000 });
      if (!a.ok) throw new Error('no slot');
      a.permit.sent();
      return (performance.now() - t) * 1000;
    };
    for (let i = 0; i < 200; i++) await Promise.all([once(budgets.memory), once(budgets.redis)]);
    const p50 = async (b: SendBudget) => {
      const xs: number[] = [];
      for (let i = 0; i < 1000; i++) xs.push(await once(b));
      return spread(xs).median;
    };
    const rounds = await interleaved(5, { memory: () => p50(budgets.memory), redis: () => p50(budgets.redis) });
    console.log(`  rate-budget acquire+sent, p50 per call: in-process ${show(spread(rounds.memory), 1, ' µs')}, Redis ${show(spread(rounds.redis), 1, ' µs')} (median of 5 rounds of 1000 sequential calls)`);
  } finally {
    client.disconnect();
    await dropRedisPrefix(prefix);
  }
}

async function cluster(): Promise<void> {
  const key = randomBytes(32);
  const token = `boot_${randomBytes(12).toString('hex')}`;
  const schema = `w9scale_bench_${process.pid}`;
  const prefix = freshRedisPrefix('bench');
  // the simulator in a thread of its own: the load generated here never delays its arrival clock
  const sims = await startSimulatorsInWorker([{ name: 'gong', options: { ratePerSecond: 3, perDay: Infinity } }]);
  const paced = { url: sims.simulators[0]!.url };
  const requests = async () => ((await (await fetch(`${paced.url}/__sandbox/requests`)).json()) as { requests: RecordedRequest[] }).requests;
  const procs: ClusterProcess[] = [];
  try {
    const databaseUrl = await freshPostgresSchema(schema);
    const config: Config = {
      port: 0, host: '127.0.0.1', production: false, databaseUrl, secretKey: key, sandbox: false, allowPrivateUpstreams: true,
      logLevel: 'silent', upstreamPatienceMs: 20_000, upstreamTimeoutMs: 5_000, role: 'api', syncConcurrency: 1,
    };
    const seed = await createParley(config, { clock: clockAt(NOW), logger: pino({ level: 'silent' }) });
    const gong = (url: string) => ({ access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: url });
    await seed.accounts.create(DEFAULT_TENANT_ID, { integration: 'gong', credentials: gong(paced.url), sync: { enabled: false } }, { id: 'bench-paced' });
    await seed.close();
    const options = { role: 'api', databaseUrl, secretKeyHex: key.toString('hex'), redisUrl: REDIS_URL, redisPrefix: prefix, bootstrapToken: token, now: NOW, patienceMs: 120_000 };
    procs.push(...(await Promise.all([startProcess(options), startProcess(options), startProcess(options)])));
    const auth = { authorization: `Bearer ${token}` };

    if (PARTS.has('pacing')) {
      const n = Number(process.env.BENCH_SCALE_N ?? 60);
      const before = (await requests()).length;
      const t = performance.now();
      await Promise.all(
        Array.from({ length: n }, async (_, i) => {
          const id = String(7_100_000_000_000_000_000n + BigInt(i));
          const res = await fetch(`http://127.0.0.1:${procs[i % 3]!.port}${CI}/meetings/${id}?integrated_account_id=bench-paced`, { headers: auth });
          await res.arrayBuffer();
        }),
      );
      const wall = performance.now() - t;
      const got = (await requests()).slice(before);
      // how close the vendor's sliding window came to a 429: the arrival k minus arrival k−3, less 1 s
      const at = got.map((r) => r.at).sort((x, y) => x - y);
      const slack = spread(at.slice(3).map((x, i) => x - at[i]! - 1000));
      console.log(
        `  pacing, 3 processes sharing Redis, ${n} concurrent cold requests (Gong 3/s strict sliding window): wall ${(wall / 1000).toFixed(1)} s = ${(wall / ((n / 3) * 1000)).toFixed(3)} × N/3 s; vendor 429s: ${got.filter((r) => r.status === 429).length} of ${got.length} requests; slack in the vendor's window (arrival k − arrival k−3 − 1 s): min ${slack.min.toFixed(1)} ms, median ${slack.median.toFixed(1)} ms`,
      );
    }

    if (PARTS.has('throughput')) {
      const path = `${CI}/interactions?integrated_account_id=bench-paced&start_time=2024-06-03&end_time=2024-06-10&aggregation_period=day&limit=50`;
      // warm each process's memory cache (the vendor's buckets), then read them from memory
      for (const p of procs.slice(0, 2)) {
        const res = await fetch(`http://127.0.0.1:${p.port}${path}`, { headers: auth });
        if (res.status !== 200) throw new Error(`warm-up: ${res.status} ${await res.text()}`);
      }
      const load = async (ports: number[]): Promise<number> => {
        const results = await Promise.all(
          ports.map((port) => autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: 32 / ports.length, duration: 4, headers: auth })),
        );
        for (const r of results) if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx, ${r.errors} errors`);
        return results.reduce((s, r) => s + r.requests.average, 0);
      };
      const rounds = await interleaved(3, { one: () => load([procs[0]!.port!]), two: () => load([procs[0]!.port!, procs[1]!.port!]) });
      console.log(
        `  cached reads (native Interactions page from memory), 32 connections: 1 api process ${show(spread(rounds.one), 0, ' req/s')}, 2 api processes ${show(spread(rounds.two), 0, ' req/s')}; ratio ${show(spread(ratios(rounds.two, rounds.one)), 2, '×')} (2 cores, load generator on the same machine)`,
      );
    }
  } finally {
    await Promise.all(procs.map((p) => stopProcess(p)));
    await sims.close();
    await dropPostgresSchema(schema).catch(() => {});
    await dropRedisPrefix(prefix);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runScale();
