import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import SQLite from 'better-sqlite3';
import autocannon from 'autocannon';
import { startGongSimulator, type GongSimulator } from '../sandbox/gong/index.js';
import { openDatabase } from '../src/store/db.js';
import { SyncedStore, storeInstant } from '../src/store/synced-store.js';
import { clockAt } from '../src/domain/clock.js';
import type { Meeting, User } from '../src/domain/resources.js';
import { ratios, show, spread } from './stats.js';

/**
 * The synced store (issue 8), each figure against a baseline of the same run:
 * (a) read speed: List Interactions computed per day over 365 days, first page of 1000, from the
 *     store — on an account of 50 reps with ~90k per-call rows (p50), and the same query from the
 *     store vs live against the simulator it was synced from;
 * (b) backfill pacing: requests per second a Gong backfill achieves ÷ Gong's budget, 429s, and the
 *     peak memory of a backfill of ~10k calls;
 * (c) throughput: warm store reads at 64 connections ÷ /health on the same server;
 * (d) refresh cost: vendor requests per day to keep a 365-day daily dashboard fresh (every 5 min).
 * Parley runs in a process of its own; the load generator and the simulator run here.
 */

const NOW = '2026-01-02T18:00:00Z';
const CHILD = new URL('./fixtures/store-server.ts', import.meta.url).pathname;
const CI = '/unified/conversational-intelligence';

interface Server {
  base: string;
  token: string;
  child: ChildProcess;
  dbUrl: string;
  key: string;
  peakRssMb(): number;
  /** the database file and its write-ahead log */
  dbBytes(): number;
  close(): Promise<void>;
}

async function startServer(opts: { liftGong?: boolean } = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-store-'));
  const dbUrl = `sqlite:${join(dir, 'p.db')}`;
  const key = randomBytes(32).toString('hex');
  const token = randomBytes(16).toString('hex');
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      PARLEY_DATABASE_URL: dbUrl,
      PARLEY_SECRET_KEY: key,
      PARLEY_BOOTSTRAP_TOKEN: token,
      PARLEY_LOG_LEVEL: 'silent',
      BENCH_NOW: NOW,
      ...(opts.liftGong ? { BENCH_LIFT_GONG: '1' } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
  });
  const { port } = JSON.parse(line) as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    token,
    child,
    dbUrl,
    key,
    // the kernel's high-water mark of the server process's resident memory
    peakRssMb: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024,
    dbBytes: () => {
      // what the data takes once the write-ahead log is folded in (the log's size is transient)
      const db = new SQLite(join(dir, 'p.db'));
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
    },
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function call(s: Server, method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const res = await request(`${s.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${s.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function gongAccount(s: Server, sim: GongSimulator, sync: Record<string, unknown>): Promise<string> {
  const res = await call(s, 'POST', '/integrated-accounts', {
    integration: 'gong',
    credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
    sync,
  });
  if (res.status !== 201) throw new Error(`account not created: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

async function synced(s: Server, account: string): Promise<{ ms: number; status: any }> {
  const t0 = performance.now();
  await call(s, 'POST', `/integrated-accounts/${account}/sync`);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const st = await call(s, 'GET', `/integrated-accounts/${account}/sync`);
    if (st.body.status === 'failed') throw new Error(`sync failed: ${st.body.last_error}`);
    if (st.body.status === 'idle' && st.body.synced_through) return { ms: performance.now() - t0, status: st.body };
  }
}

/** Time to the answer's last byte (the client's own JSON parsing is not Parley's time). */
async function timed(s: Server, path: string): Promise<number> {
  const t0 = performance.now();
  const res = await request(`${s.base}${path}`, { headers: { authorization: `Bearer ${s.token}` } });
  const body = await res.body.arrayBuffer();
  const ms = performance.now() - t0;
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
  return ms;
}

const yearDaily = (account: string, readFrom: string, zone = 'UTC') =>
  `${CI}/interactions?integrated_account_id=${account}&start_time=2025-01-02&end_time=2026-01-02&aggregation_period=day&metrics_source=computed&limit=1000&read_from=${readFrom}&timezone=${encodeURIComponent(zone)}`;

/**
 * A cold read is a query nothing has kept yet (neither the store's page cache nor a warm answer):
 * the same year by day, one zone per request. All are at or west of UTC, so every day of each zone's
 * year lies inside the synced range.
 */
const COLD_ZONES = [
  'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Anchorage', 'Pacific/Honolulu',
  'America/Sao_Paulo', 'America/Halifax', 'America/Bogota', 'America/Lima', 'America/Mexico_City', 'America/Phoenix',
  'America/Caracas', 'Atlantic/Azores', 'Etc/GMT+1', 'Etc/GMT+2', 'Etc/GMT+3', 'Etc/GMT+4', 'Etc/GMT+5', 'Etc/GMT+6',
  'Etc/GMT+7', 'Etc/GMT+8', 'Etc/GMT+9', 'Etc/GMT+10', 'Etc/GMT+11',
];

/** Zones of the warm-up before the cold reads: the code a cold read runs is compiled before it is timed. */
const WARM_UP_ZONES = ['America/Regina', 'America/Winnipeg', 'America/Montevideo', 'America/La_Paz', 'America/Guatemala'];

/**
 * An account of 50 reps with a year of calls written straight into the store (~90k per-call rows):
 * the read under test is the store's; how the rows got there is not.
 */
async function seedYear(s: Server, sim: GongSimulator): Promise<{ account: string; rows: number }> {
  const account = await gongAccount(s, sim, { enabled: false });
  const db = openDatabase(s.dbUrl);
  const store = new SyncedStore(db, Buffer.from(s.key, 'hex'), clockAt(NOW));
  const users: User[] = Array.from({ length: 50 }, (_, i) => ({ id: `rep-${String(i).padStart(2, '0')}`, name: `Rep ${i}`, emails: [{ email: `rep${i}@example.com`, is_primary: true }] }));
  const runId = randomUUID();
  await store.commitStep(account, { users }, { stream: 'seed', runId, position: null });
  let seed = 7;
  const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const start = Date.parse('2025-01-02T00:00:00Z');
  let rows = 0;
  const perDay = 123; // meetings a day, two reps each: ~90k rows a year
  for (let day = 0; day < 365; day++) {
    const meetings: Meeting[] = [];
    const transcripts = [];
    for (let k = 0; k < perDay; k++) {
      const at = start + day * 86_400_000 + Math.floor(rand() * 86_400_000);
      const id = `m-${day}-${k}`;
      const a = users[Math.floor(rand() * 50)]!.id;
      const b = users[Math.floor(rand() * 50)]!.id;
      const meeting: Meeting = { id, start_time: new Date(at).toISOString(), attendees: [{ side: 'internal', user_id: a }, { side: 'internal', user_id: b }] };
      meetings.push(meeting);
      const metrics = [...new Set([a, b])].map((user_id) => ({
        call_id: id,
        user_id,
        started_at: at,
        metrics: { longest_monologue: 30 + rand() * 200, longest_customer_story: 20 + rand() * 150, patience: rand() * 3, interactivity: rand() * 10, question_rate: rand() * 60, talk_ratio: rand() },
      }));
      rows += metrics.length;
      transcripts.push({ meetingId: id, startAt: meeting.start_time, transcript: { id, meeting: { id }, entries: [] }, metrics });
    }
    await store.commitStep(account, { meetings, transcripts }, { stream: 'seed', runId, position: null });
  }
  // covered: synced over the year, current, and not due again during the benchmark
  await store.updateState(account, {
    settings: { enabled: true, backfill_days: 365, interval_minutes: 60, lookback_days: 3 },
    status: 'idle',
    syncedFrom: storeInstant('2025-01-02T00:00:00Z'),
    syncedThrough: storeInstant(NOW),
    dataAsOf: storeInstant(NOW),
    nextRunAt: '2100-01-01T00:00:00.000Z',
  });
  await db.destroy();
  return { account, rows };
}

async function getBody(s: Server, path: string): Promise<string> {
  const res = await request(`${s.base}${path}`, { headers: { authorization: `Bearer ${s.token}` } });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${path}: ${res.statusCode} ${text.slice(0, 200)}`);
  return text;
}

async function throughput(s: Server, path: string, seconds: number): Promise<number> {
  const result = await autocannon({ url: `${s.base}${path}`, connections: 64, duration: seconds, headers: { authorization: `Bearer ${s.token}` } });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${path}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

/** BENCH_STORE_PARTS=read,live,pacing,memory (default all) runs a subset while working on one figure. */
const PARTS = new Set((process.env.BENCH_STORE_PARTS ?? 'read,live,pacing,memory').split(','));

export async function runStore(): Promise<void> {
  console.log('Synced store (issue 8)');
  const sim = await startGongSimulator({ now: () => new Date(NOW), userCount: 50, ratePerSecond: Infinity, pageSize: 100 });
  const lifted = await startServer({ liftGong: true });
  try {
    if (PARTS.has('read')) {
    // (a) 90k rows: the store's read p50, cold (a query nothing kept yet) and kept (the same URL again)
    const seeded = await seedYear(lifted, sim);
    const seededQuery = yearDaily(seeded.account, 'store');
    // warm-up: the process's code paths, the cold one included (zones west of UTC, none of those measured below)
    for (const zone of WARM_UP_ZONES) await timed(lifted, yearDaily(seeded.account, 'store', zone));
    for (let i = 0; i < 3; i++) await timed(lifted, seededQuery);
    const coldMs: number[] = [];
    for (const zone of COLD_ZONES) coldMs.push(await timed(lifted, yearDaily(seeded.account, 'store', zone)));
    if (process.env.BENCH_SHOW_ALL) console.log(coldMs.map((x) => x.toFixed(0)).join(" "));
    const keptMs: number[] = [];
    for (let i = 0; i < 25; i++) keptMs.push(await timed(lifted, seededQuery));
    console.log(
      `  (a) read: 50 reps, ${seeded.rows} per-call rows, 365 days by day, first page of 1000 from the store: cold p50 ${show(spread(coldMs), 1, ' ms')} over ${coldMs.length} queries nothing had kept (one zone each); the same URL again p50 ${show(spread(keptMs), 1, ' ms')} over 25 requests`,
    );

    // (c) throughput: warm store reads vs /health, 64 connections, interleaved rounds; a team page
    // (100 records, ~35 KB) and one rep's quarter (13 records, as a per-rep chart asks)
    const quarter = `${CI}/interactions?integrated_account_id=${seeded.account}&start_time=2025-10-06&end_time=2026-01-02&aggregation_period=week&metrics_source=computed`;
    const reads = { team: `${quarter}&limit=100`, rep: `${quarter}&users[][id]=rep-07` };
    for (const [name, path] of Object.entries(reads).filter(([n]) => (process.env.BENCH_STORE_READS ?? 'team,rep').split(',').includes(n))) {
      const bytes = (await getBody(lifted, path)).length;
      await throughput(lifted, path, 2);
      const health: number[] = [];
      const got: number[] = [];
      for (let round = 0; round < 3; round++) {
        if (round % 2 === 0) health.push(await throughput(lifted, '/health', 4));
        got.push(await throughput(lifted, path, 4));
        if (round % 2 === 1) health.push(await throughput(lifted, '/health', 4));
      }
      console.log(
        `  (c) throughput at 64 connections, ${name === 'team' ? "a team's quarter by week (100 records)" : "one rep's quarter by week"}, ${(bytes / 1024).toFixed(1)} KiB a response: warm store reads ${show(spread(got), 0, ' req/s')} ÷ /health ${show(spread(health), 0, ' req/s')} = ${show(spread(ratios(got, health)), 3)}`,
      );
    }
    }

    // (a) store vs live on the same account: synced from the simulator (50 reps, a year), then the same first page
    if (PARTS.has('live')) {
    const account = await gongAccount(lifted, sim, { backfill_days: 365 });
    const backfill = await synced(lifted, account);
    console.log(
      `      backfill of a year from the simulator (Gong's budget lifted): ${(backfill.ms / 1000).toFixed(1)} s, ${backfill.status.counts.meetings} calls, ${backfill.status.counts.call_metrics} per-call rows`,
    );
    const store: number[] = [];
    const live: number[] = [];
    for (let round = 0; round < 3; round++) {
      // a new account (no sync) per live round and a zone per round: nothing cached on either side
      const cold = await gongAccount(lifted, sim, { enabled: false });
      live.push(await timed(lifted, yearDaily(cold, 'live', COLD_ZONES[round]!)));
      store.push(await timed(lifted, yearDaily(account, 'store', COLD_ZONES[round]!)));
    }
    const r = spread(ratios(live, store));
    console.log(
      `      same query, same data: live ${show(spread(live), 0, ' ms')} vs store ${show(spread(store), 1, ' ms')}: the store is ${show(r, 0, '×')} faster (live with Gong's budget lifted; at Gong's real 3/s the live page waits on the budget too)`,
    );
    }

  } finally {
    await lifted.close();
  }

  // (b) pacing at Gong's real budget, and the memory of a ~10k-call backfill
  if (PARTS.has('pacing')) await pacing();
  if (PARTS.has('memory')) await backfillMemory(sim);
  await sim.close();
}

async function pacing(): Promise<void> {
  const paced = await startServer();
  const paceSim = await startGongSimulator({ now: () => new Date(NOW), userCount: 12, pageSize: 100 });
  try {
    // the backfill a user starts with: 90 days (the default), at Gong's real 3/s
    const account = await gongAccount(paced, paceSim, { backfill_days: 90 });
    const from = paceSim.requests.length;
    const run = await synced(paced, account);
    const sent = paceSim.requests.slice(from);
    if (process.env.BENCH_SHOW_ALL) {
      const gaps = new Map<string, number[]>();
      for (let i = 1; i < sent.length; i++) {
        const key = `${sent[i - 1]!.method} ${sent[i - 1]!.path} → ${sent[i]!.path}`;
        gaps.set(key, [...(gaps.get(key) ?? []), sent[i]!.at - sent[i - 1]!.at]);
      }
      for (const [k, v] of gaps) console.log(`    ${k}: n=${v.length} mean ${(v.reduce((a, b) => a + b) / v.length).toFixed(0)} ms, over 337: ${v.filter((x) => x > 340).map((x) => x.toFixed(0)).join(' ')}`);
    }
    const spanS = (sent[sent.length - 1]!.at - sent[0]!.at) / 1000;
    const rate = (sent.length - 1) / spanS;
    console.log(
      `  (b) backfill pacing, 90 days of 12 reps (${run.status.counts.meetings} calls): ${sent.length} Gong requests in ${spanS.toFixed(1)} s = ${rate.toFixed(2)}/s ÷ 3/s = ${(rate / 3).toFixed(3)}; ${sent.filter((x) => x.status === 429).length} answered 429; the whole run ${(run.ms / 1000).toFixed(1)} s`,
    );
  } finally {
    await paced.close();
    await paceSim.close();
  }
}

async function backfillMemory(sim: GongSimulator): Promise<void> {
  const big = await startServer({ liftGong: true });
  try {
    const account = await gongAccount(big, sim, { backfill_days: 170 });
    const before = big.peakRssMb();
    const run = await synced(big, account);
    const bytes = big.dbBytes();
    console.log(
      `      backfill of ${run.status.counts.meetings} calls (170 days, 50 reps): peak RSS ${big.peakRssMb().toFixed(0)} MB (${before.toFixed(0)} MB before), ${(run.ms / 1000).toFixed(1)} s; database ${(bytes / 1e6).toFixed(0)} MB = ${((bytes / run.status.counts.meetings) * 1000 / 1e6).toFixed(1)} MB per 1,000 calls`,
    );
  } finally {
    await big.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runStore();
