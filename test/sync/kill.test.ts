import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startGongSimulator, type GongSimulator, type RecordedRequest } from '../../sandbox/gong/index.js';
import { createParley } from '../../src/server.js';
import { clockAt } from '../../src/domain/clock.js';
import { DEFAULT_TENANT_ID } from '../../src/store/repositories.js';
import type { Config } from '../../src/config.js';
import { dropPostgresSchema, freshPostgresSchema, postgresAvailable } from '../helpers/services.js';

/**
 * CONTRACT.md "A sync run is resumable": a child process running a backfill is killed with SIGKILL
 * at random vendor pages, ten times, then left to finish. The store must equal an uninterrupted
 * sync's, and the vendor must have seen no page twice (every page was committed with its checkpoint
 * before the next one was asked for).
 */
const NOW = '2024-06-12T18:00:00Z';
const ACCOUNT = 'acct-resumable';
const CHILD = new URL('./fixtures/run-sync.ts', import.meta.url).pathname;
const KEY = randomBytes(32);

let sim: GongSimulator;
const dirs: string[] = [];
const schemas: string[] = [];

beforeAll(async () => {
  sim = await startGongSimulator({ pageSize: 5, now: () => new Date(Date.parse(NOW)), ratePerSecond: 100 });
});
afterAll(async () => {
  await sim.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const s of schemas) await dropPostgresSchema(s).catch(() => {});
});

function config(databaseUrl: string): Config {
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

async function seed(databaseUrl: string): Promise<void> {
  const parley = await createParley(config(databaseUrl), { clock: clockAt(NOW), logger: pino({ level: 'silent' }) });
  await parley.accounts.create(
    DEFAULT_TENANT_ID,
    {
      integration: 'gong',
      credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
      sync: { backfill_days: 5 },
    },
    { id: ACCOUNT },
  );
  await parley.close();
}

function runChild(databaseUrl: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, databaseUrl, KEY.toString('hex'), NOW, ACCOUNT], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, out })),
  );
  return { child, done };
}

/** Vendor response ids differ per request; the data behind them does not. */
function withoutRequestIds(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutRequestIds);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'requestId').map(([k, x]) => [k, withoutRequestIds(x)]));
  }
  return v;
}

/** Everything the store holds for the account, without the store's own timestamps. */
async function dump(databaseUrl: string): Promise<unknown> {
  const parley = await createParley(config(databaseUrl), { clock: clockAt(NOW), logger: pino({ level: 'silent' }) });
  try {
    const synced = parley.synced;
    const users = (await synced.users(ACCOUNT, { limit: 10_000 })).map((u) => u.record);
    const meetings = (await synced.meetings(ACCOUNT, { limit: 10_000 })).map((m) => m.record);
    const transcripts = [];
    for (const m of meetings) transcripts.push((await synced.transcript(ACCOUNT, m.id))?.record ?? null);
    const metrics = await synced.callMetrics(ACCOUNT, '0000', '9999');
    const native = [];
    for (const period of ['day', 'week', 'month']) {
      for (const b of await synced.nativeBuckets(ACCOUNT, 'US/Pacific', period, '0000', '9999')) {
        native.push({ period, start: b.bucketStart, end: b.bucketEnd, rows: await synced.nativeRecords(ACCOUNT, 'US/Pacific', period, b.bucketStart) });
      }
    }
    const state = await synced.state(ACCOUNT);
    return withoutRequestIds({
      users,
      meetings,
      transcripts,
      metrics: metrics.sort((a, b) => (a.call_id + a.user_id < b.call_id + b.user_id ? -1 : 1)),
      native,
      covered: { from: state?.syncedFrom, status: state?.status, runId: state?.runId },
    });
  } finally {
    await parley.close();
  }
}

/** A vendor page as asked: the run's own instant (milliseconds apart between runs, seconds on a busy machine) normalized. */
function pageKey(r: RecordedRequest): string {
  return `${r.method} ${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.body ?? null)}`.replace(/2024-06-12T18:0\d:\d\d(\.\d+)?Z/g, 'AT');
}

/** A small seeded generator, so a failing sequence of kills can be replayed from the printed seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The page in flight when a child is killed was sent but never committed: the next child asks for
 * it again, as it must (once per kill that caught it in flight). Any other page asked twice is a defect.
 */
async function killedBackfill(databaseUrl: string, seed: number): Promise<{ kills: number; sent: RecordedRequest[]; inFlight: Map<string, number> }> {
  const random = rng(seed);
  const from = sim.requests.length;
  const inFlight = new Map<string, number>();
  let kills = 0;
  for (let i = 0; i < 10; i++) {
    const { child, done } = runChild(databaseUrl);
    const start = sim.requests.length;
    const after = 1 + Math.floor(random() * 4);
    const finished = await new Promise<boolean>((resolve) => {
      const poll = setInterval(() => {
        if (sim.requests.length - start >= after) {
          clearInterval(poll);
          child.kill('SIGKILL');
          const key = pageKey(sim.requests[sim.requests.length - 1]!);
          inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
          resolve(false);
        }
      }, 5);
      void done.then(() => {
        clearInterval(poll);
        resolve(true);
      });
    });
    const exit = await done;
    if (finished) {
      expect(exit.out.trim(), exit.out).toBe('completed');
      return { kills, sent: sim.requests.slice(from), inFlight };
    }
    expect(exit.signal).toBe('SIGKILL');
    kills += 1;
  }
  const last = await runChild(databaseUrl).done;
  expect(last.code, last.out).toBe(0);
  expect(last.out.trim(), last.out).toBe('completed');
  return { kills, sent: sim.requests.slice(from), inFlight };
}

async function uninterrupted(databaseUrl: string): Promise<RecordedRequest[]> {
  const from = sim.requests.length;
  const run = await runChild(databaseUrl).done;
  expect(run.out.trim(), run.out).toBe('completed');
  return sim.requests.slice(from);
}

async function check(makeUrl: () => Promise<string>): Promise<void> {
  const baselineUrl = await makeUrl();
  await seed(baselineUrl);
  const baselineSent = await uninterrupted(baselineUrl);
  const expected = await dump(baselineUrl);

  const seedValue = Number(process.env.PARLEY_KILL_SEED ?? Date.now() % 100_000);
  const killedUrl = await makeUrl();
  await seed(killedUrl);
  const { kills, sent, inFlight } = await killedBackfill(killedUrl, seedValue);
  expect(kills, `seed ${seedValue}`).toBeGreaterThan(0);
  expect(await dump(killedUrl), `seed ${seedValue}`).toEqual(expected);

  const seen = new Map<string, number>();
  for (const r of sent) seen.set(pageKey(r), (seen.get(pageKey(r)) ?? 0) + 1);
  const twice = [...seen].filter(([k, n]) => n > 1 + (inFlight.get(k) ?? 0)).map(([k]) => k);
  expect(twice, `seed ${seedValue}: pages asked twice:\n${twice.join("\n")}`).toEqual([]);
  // the killed sequence asked for as many distinct pages as one uninterrupted run, of the same requests
  // (cursors are the simulator's signed snapshots, so they differ between the two runs)
  expect(seen.size).toBe(new Set(baselineSent.map(pageKey)).size);
  const uncursored = (r: RecordedRequest) => pageKey(r).replace(/"cursor":"[^"]*",?/g, '');
  expect(new Set(sent.map(uncursored))).toEqual(new Set(baselineSent.map(uncursored)));
}

describe('a sync killed at random pages (kill -9) loses nothing and repeats nothing', () => {
  it('on SQLite', async () => {
    await check(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'parley-kill-'));
      dirs.push(dir);
      return `sqlite:${join(dir, 'parley.db')}`;
    });
  }, 180_000);

  it('on PostgreSQL', async (ctx) => {
    const pg = await postgresAvailable();
    if (!pg.ok) return ctx.skip(pg.why);
    let n = 0;
    await check(async () => {
      const schema = `kill_${process.pid}_${n++}`;
      schemas.push(schema);
      return freshPostgresSchema(schema);
    });
  }, 180_000);
});
