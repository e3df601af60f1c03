import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import { createParley } from '../src/server.js';
import { loadConfig } from '../src/config.js';
import { startGongSimulator } from '../sandbox/gong/index.js';

/**
 * (a) The time Parley adds to a List Interactions request over calling the simulator directly, and
 * (b) pacing: wall time of N stats requests under Gong's 3/s budget against the ideal N/3 s.
 * Both against the Gong simulator over loopback HTTP, in one process and one run.
 */
/** A Parley on a temporary SQLite file, listening on loopback, with an account on a Gong simulator. */
export async function setupGongBench() {
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
  const parley = await createParley(config, { logger: pino({ level: 'silent' }) });
  await parley.app.listen({ port: 0, host: '127.0.0.1' });
  const address = parley.app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const sim = await startGongSimulator({});
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = await request(`${base}/integrated-accounts`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ integration: 'gong', credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url } }),
  });
  const account = ((await created.body.json()) as { id: string }).id;
  return {
    base,
    sim,
    account,
    auth,
    async close() {
      await parley.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runOverhead(rounds = 25): Promise<{ ratio: number; parleyMs: number; directMs: number }> {
  const env = await setupGongBench();
  try {
    const basic = `Basic ${Buffer.from('sandbox-key:sandbox-secret').toString('base64')}`;
    const day = (i: number) => DateTime.fromISO('2024-01-01').plus({ days: i });
    // warm up both paths (connections, user cache, company zone)
    await request(`${env.base}/unified/conversational-intelligence/interactions?integrated_account_id=${env.account}&start_time=2023-12-01&end_time=2023-12-02`, { headers: env.auth }).then((r) => r.body.text());
    const direct: number[] = [];
    const viaParley: number[] = [];
    for (let i = 0; i < rounds; i++) {
      // a distinct day each round, so Parley's bucket cache cannot answer; rounds spaced beyond
      // the 3/s budget, so pacing adds nothing to either path
      const from = day(i).toISODate()!;
      const to = day(i + 1).toISODate()!;
      let t0 = performance.now();
      const d = await request(`${env.sim.url}/v2/stats/interaction`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/json' },
        body: JSON.stringify({ filter: { fromDate: day(i + 200).toISODate(), toDate: day(i + 201).toISODate() } }),
      });
      await d.body.text();
      direct.push(performance.now() - t0);
      await sleep(400);
      t0 = performance.now();
      const p = await request(
        `${env.base}/unified/conversational-intelligence/interactions?integrated_account_id=${env.account}&start_time=${from}&end_time=${to}`,
        { headers: env.auth },
      );
      const body = await p.body.text();
      viaParley.push(performance.now() - t0);
      if (p.statusCode !== 200) throw new Error(`Parley answered ${p.statusCode}: ${body}`);
      await sleep(400);
    }
    const parleyMs = median(viaParley);
    const directMs = median(direct);
    const ratio = parleyMs / directMs;
    console.log(
      `overhead: List Interactions via Parley ${parleyMs.toFixed(2)} ms vs the same stats request sent directly ${directMs.toFixed(2)} ms (median of ${rounds}) — ratio ${ratio.toFixed(2)}, Parley adds ${(parleyMs - directMs).toFixed(2)} ms`,
    );
    return { ratio, parleyMs, directMs };
  } finally {
    await env.close();
  }
}

export async function runPacing(days = 30): Promise<{ ratio: number; requests: number; rateLimited: number }> {
  const env = await setupGongBench();
  try {
    const before = env.sim.requests.length;
    const t0 = performance.now();
    const res = await request(
      `${env.base}/unified/conversational-intelligence/interactions?integrated_account_id=${env.account}&start_time=2024-02-01&end_time=${DateTime.fromISO('2024-02-01').plus({ days }).toISODate()}&aggregation_period=day&limit=1000`,
      { headers: env.auth },
    );
    const text = await res.body.text();
    const wallS = (performance.now() - t0) / 1000;
    if (res.statusCode !== 200) throw new Error(`Parley answered ${res.statusCode}: ${text}`);
    const sent = env.sim.requests.slice(before);
    const n = sent.length;
    const rateLimited = sent.filter((r) => r.status === 429).length;
    const ideal = n / 3;
    const ratio = wallS / ideal;
    console.log(
      `pacing: ${n} Gong requests (1 users + ${n - 1} stats, one per day bucket) in ${wallS.toFixed(2)} s; ideal at 3/s ${ideal.toFixed(2)} s — ratio ${ratio.toFixed(3)}, ${rateLimited} answered 429`,
    );
    return { ratio, requests: n, rateLimited };
  } finally {
    await env.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runOverhead();
  await runPacing();
}
