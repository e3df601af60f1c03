import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { createParley, type Parley } from '../../src/server.js';
import { clockAt } from '../../src/domain/clock.js';
import { DEFAULT_TENANT_ID } from '../../src/store/repositories.js';
import type { Config } from '../../src/config.js';
import { dropPostgresSchema, dropRedisPrefix, freshPostgresSchema, freshRedisPrefix, postgresAvailable, redisAvailable, REDIS_URL } from '../helpers/services.js';
import { startProcess, stopProcess, waitFor, type ClusterProcess } from './cluster.js';

/**
 * Issue 9, "two workers, one scheduled sync per account per interval: each runs exactly once; kill -9
 * of the worker running it → another finishes it". Real processes (tsx children) on one Postgres
 * schema and one Redis prefix; the workers' tick is the cluster's one BullMQ job scheduler.
 */
const NOW = '2024-06-12T18:00:00Z';
const KEY = randomBytes(32);
const pgOk = await postgresAvailable();
const redisOk = await redisAvailable();
const ready = pgOk.ok && redisOk.ok;
const schema = `w9scale_sync_${process.pid}_${Date.now().toString(36)}`;
const prefix = freshRedisPrefix('sync');
const procs: ClusterProcess[] = [];
const sims: GongSimulator[] = [];
let databaseUrl = '';
let reader: Parley | undefined;

function config(): Config {
  return {
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
}

async function account(id: string, pageSize: number): Promise<GongSimulator> {
  const sim = await startGongSimulator({ pageSize, now: () => new Date(Date.parse(NOW)), ratePerSecond: 3, perDay: Infinity });
  sims.push(sim);
  await reader!.accounts.create(
    DEFAULT_TENANT_ID,
    { integration: 'gong', credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url }, sync: { backfill_days: 5 } },
    { id },
  );
  return sim;
}

function worker(): Promise<ClusterProcess> {
  return startProcess({ role: 'worker', databaseUrl, secretKeyHex: KEY.toString('hex'), redisUrl: REDIS_URL, redisPrefix: prefix, now: NOW, tickMs: 300, lockMs: 2000, stalledMs: 1000 }).then((p) => {
    procs.push(p);
    return p;
  });
}

function runs(msg: string, accountId: string): number {
  return procs.flatMap((p) => p.logged(msg)).filter((l) => l.account === accountId).length;
}

beforeAll(async () => {
  if (!ready) return;
  databaseUrl = await freshPostgresSchema(schema);
  reader = await createParley(config(), { clock: clockAt(NOW), logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await Promise.all(procs.map((p) => stopProcess(p)));
  await reader?.close();
  for (const s of sims) await s.close();
  if (ready) {
    await dropPostgresSchema(schema).catch(() => {});
    await dropRedisPrefix(prefix);
  }
});

describe.skipIf(!ready)('scheduled syncs across two workers (BullMQ on Redis)', () => {
  it('each account due once runs exactly once across two workers, however many ticks pass', { timeout: 90_000 }, async () => {
    await account('acct-once-1', 50);
    await account('acct-once-2', 50);
    await Promise.all([worker(), worker()]);
    await waitFor('both runs completed', () => runs('sync run completed', 'acct-once-1') >= 1 && runs('sync run completed', 'acct-once-2') >= 1, 60_000);
    // a dozen more ticks: the accounts are not due again (their interval is an hour)
    await new Promise((r) => setTimeout(r, 4000));
    for (const id of ['acct-once-1', 'acct-once-2']) {
      expect(runs('sync run started', id), `${id} started`).toBe(1);
      expect(runs('sync run completed', id), `${id} completed`).toBe(1);
      const state = await reader!.synced.state(id);
      expect(state).toMatchObject({ status: 'idle', lastError: null });
    }
    // the tick ran in the cluster, not in every worker: each fired tick is one job (both took some)
    expect(procs.every((p) => p.child.exitCode === null)).toBe(true);
  });

  it('kill -9 of the worker running a sync: the other worker takes the job over and finishes the run', { timeout: 120_000 }, async () => {
    const sim = await account('acct-killed', 3);
    const running = () => procs.find((p) => p.logged('sync run started').some((l) => l.account === 'acct-killed'));
    await waitFor('a worker to start the run', () => running() !== undefined, 30_000);
    const victim = running()!;
    const before = sim.requests.length;
    await waitFor('a few pages of the run', () => sim.requests.length >= before + 3, 30_000);
    victim.child.kill('SIGKILL');
    await victim.exited;
    const survivor = procs.find((p) => p !== victim && p.child.exitCode === null && p.child.signalCode === null)!;
    await waitFor('the survivor to finish the run', () => survivor.logged('sync run completed').some((l) => l.account === 'acct-killed'), 90_000);
    expect(survivor.logged('sync run taken over from a worker that stopped').some((l) => l.account === 'acct-killed')).toBe(true);
    // resumed, not restarted: the run id is the killed worker's
    const startedRun = victim.logged('sync run started').find((l) => l.account === 'acct-killed')!.run;
    const resumed = survivor.logged('sync run started').find((l) => l.account === 'acct-killed')!;
    expect(resumed).toMatchObject({ run: startedRun, resumed: true });
    const state = await reader!.synced.state('acct-killed');
    expect(state).toMatchObject({ status: 'idle', lastError: null });
    expect(state!.syncedFrom).not.toBeNull();
    expect((await reader!.synced.meetings('acct-killed', { limit: 10_000 })).length).toBeGreaterThan(0);
  });
});
