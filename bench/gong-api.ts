import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Agent, request } from 'undici';
import { pino } from 'pino';
import { createParley } from '../src/server.js';
import { loadConfig } from '../src/config.js';
import { clockAt } from '../src/domain/clock.js';
import { gongProvider } from '../src/connectors/gong/provider.js';
import { startGongSimulator, type GongSimulator } from '../sandbox/gong/index.js';
import { ratios, show, spread } from './stats.js';

/**
 * (a) What Parley itself costs on the query users send: List Interactions, native Gong, 90 days by
 * day (91 Gong requests when cold), against a vendor stub that answers from memory, so that no
 * vendor latency hides Parley's own work; the baseline is the same Gong requests sent straight to
 * the stub. Cold (a new account: nothing cached) and warm (the same query again: buckets cached).
 * (b) Pacing: wall time of a 30-day query under Gong's 3/s budget against the ideal N/3 s.
 * Both in one process; every figure is a median over rounds with its min–max.
 */

// Parley's calendar and the simulator's, pinned: the ranges below are in the past on any day.
const NOW = '2024-06-15T19:00:00Z';
const BASIC = `Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}`;
const Q90 = { start: '2024-01-01', end: '2024-03-31' };

/** A Parley on a temporary SQLite file, listening on loopback. */
export async function startBenchParley() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const token = randomBytes(16).toString('hex');
  const config = loadConfig({
    PARLEY_DATABASE_URL: `sqlite:${join(dir, 'p.db')}`,
    PARLEY_SECRET_KEY: randomBytes(32).toString('hex'),
    PARLEY_BOOTSTRAP_TOKEN: token,
    PARLEY_SANDBOX: 'false',
    PARLEY_ALLOW_PRIVATE_UPSTREAMS: 'true',
    PARLEY_UPSTREAM_PATIENCE_MS: '60000',
  });
  const parley = await createParley(config, { logger: pino({ level: 'silent' }), clock: clockAt(NOW) });
  await parley.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(parley.app.server.address() as AddressInfo).port}`;
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return {
    base,
    auth,
    async gongAccount(vendorUrl: string): Promise<string> {
      const created = await request(`${base}/integrated-accounts`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ integration: 'gong', credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: vendorUrl } }),
      });
      const body = (await created.body.json()) as { id: string };
      if (created.statusCode !== 201) throw new Error(`account not created: ${JSON.stringify(body)}`);
      return body.id;
    },
    /** every page of a list query, following next_cursor; returns the records and the bytes read */
    async listAll(path: string): Promise<{ records: number; bytes: number }> {
      let cursor: string | null = null;
      let records = 0;
      let bytes = 0;
      do {
        const url: string = `${base}${path}${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await request(url, { headers: auth });
        const text = await res.body.text();
        if (res.statusCode !== 200) throw new Error(`Parley answered ${res.statusCode}: ${text.slice(0, 300)}`);
        const page = JSON.parse(text) as { result: unknown[]; next_cursor: string | null };
        records += page.result.length;
        bytes += text.length;
        cursor = page.next_cursor;
      } while (cursor);
      return { records, bytes };
    },
    async close() {
      await parley.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An account's Gong setup for the benchmarks: the simulator with the pinned calendar. */
export async function startBenchGong(ratePerSecond = 3): Promise<GongSimulator> {
  return startGongSimulator({ now: () => new Date(NOW), ratePerSecond });
}

interface SeenRequest {
  method: string;
  url: string;
  body: string;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A Gong stand-in that answers from memory: the first time it sees a request it asks the simulator
 * (unpaced) and keeps the answer; from then on it answers at once, so timings are of the caller.
 */
async function startMemoryStub(sim: GongSimulator) {
  const answers = new Map<string, { status: number; body: string }>();
  const seen: SeenRequest[] = [];
  let misses = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const key = `${req.method} ${req.url} ${body}`;
      seen.push({ method: req.method ?? 'GET', url: req.url ?? '/', body });
      let answer = answers.get(key);
      if (answer === undefined) {
        misses += 1;
        const r = await request(`${sim.url}${req.url}`, {
          method: req.method as 'GET' | 'POST',
          headers: { authorization: BASIC, ...(body ? { 'content-type': 'application/json' } : {}) },
          ...(body ? { body } : {}),
        });
        answer = { status: r.statusCode, body: await r.body.text() };
        answers.set(key, answer);
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    misses: () => misses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function runOverhead(rounds = 7) {
  const sim = await startBenchGong(Infinity);
  const stub = await startMemoryStub(sim);
  const parley = await startBenchParley();
  const direct = new Agent({ connections: 4 });
  // Gong's 3 requests/s would make this a measurement of the budget (30 s for 91 requests); the
  // stub has no limit, so the benchmark lifts Parley's for its accounts (pacing is figure b).
  const gongRate = gongProvider.rateLimit;
  gongProvider.rateLimit = { perSecond: 1_000_000 };
  try {
    const query = (account: string) =>
      `/unified/conversational-intelligence/interactions?integrated_account_id=${account}&start_time=${Q90.start}&end_time=${Q90.end}&aggregation_period=day&limit=1000`;
    const coldOnce = async () => {
      const account = await parley.gongAccount(stub.url);
      const from = stub.seen.length;
      let t0 = performance.now();
      const cold = await parley.listAll(query(account));
      const coldMs = performance.now() - t0;
      const upstream = stub.seen.slice(from);
      t0 = performance.now();
      const warm = await parley.listAll(query(account));
      const warmMs = performance.now() - t0;
      if (warm.records !== cold.records || stub.seen.length !== from + upstream.length) throw new Error('the warm query asked Gong again');
      return { coldMs, warmMs, upstream, records: cold.records, bytes: cold.bytes };
    };
    const replay = async (requests: readonly SeenRequest[]) => {
      const t0 = performance.now();
      for (const r of requests) {
        const res = await request(`${stub.url}${r.url}`, {
          dispatcher: direct,
          method: r.method as 'GET' | 'POST',
          headers: { authorization: BASIC, ...(r.body ? { 'content-type': 'application/json' } : {}) },
          ...(r.body ? { body: r.body } : {}),
        });
        JSON.parse(await res.body.text());
      }
      return performance.now() - t0;
    };

    // Two untimed passes: the stub learns every answer, and both paths warm up.
    const first = await coldOnce();
    await replay(first.upstream);
    await coldOnce();
    const missesBefore = stub.misses();
    const cold: number[] = [];
    const warm: number[] = [];
    const straight: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // which path goes first alternates, so a slow stretch of the machine hits both alike
      if (round % 2 === 1) straight.push(await replay(first.upstream));
      const r = await coldOnce();
      if (r.upstream.length !== first.upstream.length) throw new Error(`cold query sent ${r.upstream.length} Gong requests, expected ${first.upstream.length}`);
      cold.push(r.coldMs);
      warm.push(r.warmMs);
      if (round % 2 === 0) straight.push(await replay(first.upstream));
    }
    if (stub.misses() !== missesBefore) throw new Error('the stub asked the simulator during the timed rounds');
    const c = spread(cold);
    const w = spread(warm);
    const d = spread(straight);
    const own = spread(cold.map((x, i) => x - straight[i]!));
    const ratio = spread(ratios(cold, straight));
    console.log(
      `overhead (a): List Interactions, Gong native, ${Q90.start}..${Q90.end} by day (${first.records} records, ${(first.bytes / 1024).toFixed(0)} KiB of JSON, ${first.upstream.length} Gong requests when cold), vendor stub answering from memory, median (min–max) of ${rounds} rounds:`,
    );
    console.log(`  cold via Parley (new account)         ${show(c, 1, ' ms')}`);
    console.log(`  the same ${first.upstream.length} Gong requests, direct  ${show(d, 1, ' ms')}`);
    const perRequest = spread(cold.map((x, i) => (x - straight[i]!) / first.upstream.length));
    console.log(`  Parley's own cost, cold               ${show(own, 1, ' ms')} per query, ${show(perRequest, 2, ' ms')} per Gong request; ratio cold/direct ${show(ratio, 2)}`);
    console.log(`  warm via Parley (buckets cached)      ${show(w, 1, ' ms')}; ratio warm/direct ${show(spread(ratios(warm, straight)), 2)}`);
    return { cold: c, warm: w, direct: d, own, ratio };
  } finally {
    gongProvider.rateLimit = gongRate;
    await direct.close();
    await parley.close();
    await stub.close();
    await sim.close();
  }
}

export async function runPacing(rounds = 5, days = 30) {
  const sim = await startBenchGong();
  const parley = await startBenchParley();
  try {
    const end = new Date(Date.parse('2024-02-01T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
    const walls: number[] = [];
    const ratioRuns: number[] = [];
    const requests: number[] = [];
    let rateLimited = 0;
    for (let round = 0; round < rounds; round++) {
      // a new account each round: nothing cached, one budget; the simulator's window is per company
      const account = await parley.gongAccount(sim.url);
      await new Promise((r) => setTimeout(r, 1100)); // the previous round's requests leave the vendor's window
      const before = sim.requests.length;
      const t0 = performance.now();
      await parley.listAll(
        `/unified/conversational-intelligence/interactions?integrated_account_id=${account}&start_time=2024-02-01&end_time=${end}&aggregation_period=day&limit=1000`,
      );
      const wallS = (performance.now() - t0) / 1000;
      const sent = sim.requests.slice(before);
      requests.push(sent.length);
      rateLimited += sent.filter((r) => r.status === 429).length;
      walls.push(wallS);
      ratioRuns.push(wallS / (sent.length / 3));
    }
    const r = spread(ratioRuns);
    console.log(
      `pacing (b): ${days}-day query by day, ${requests.join('/')} Gong requests in the ${rounds} rounds (users, one per day, retries of any 429): wall ${show(spread(walls), 2, ' s')}; ratio to the ideal N/3 s ${show(r, 3)}; ${rateLimited} answered 429 in all`,
    );
    return { ratio: r, rateLimited };
  } finally {
    await parley.close();
    await sim.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runOverhead();
  await runPacing();
}
