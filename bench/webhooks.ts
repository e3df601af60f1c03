import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'undici';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { startGongSimulator } from '../sandbox/gong/index.js';
import { createParley } from '../src/server.js';
import { clockAt } from '../src/domain/clock.js';
import { DEFAULT_TENANT_ID } from '../src/store/repositories.js';
import type { Config } from '../src/config.js';
import { ratios, show, spread } from './stats.js';

/**
 * Webhook delivery latency (issue 9): from "the sync committed a page with a new meeting" to "the
 * receiver got its meeting.created", per meeting, p50 and p99 per round; against a baseline from
 * the same rounds: a plain POST of an event-sized body to the same receiver over a pooled connection.
 * Parley runs in this process with its defaults (1 s poll, woken after each commit, 16 at once);
 * the Gong simulator serves a backfill, SQLite stores it.
 */
const NOW = '2024-06-12T18:00:00Z';
const ROUNDS = Number(process.env.PARLEY_BENCH_WEBHOOK_ROUNDS ?? 3);

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export async function runWebhooks(): Promise<void> {
  console.log('Webhooks: delivery latency, sync stored a meeting → receiver got it');
  const sim = await startGongSimulator({ pageSize: 10, now: () => new Date(Date.parse(NOW)), ratePerSecond: 1000 });
  const arrivals = new Map<string, number>();
  let secret = '';
  let verifyFailures = 0;
  const receiver: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const raw = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/hook') {
        try {
          new Webhook(secret).verify(raw, Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])));
        } catch {
          verifyFailures += 1;
        }
        const body = JSON.parse(raw) as { type: string; data: { meeting_id?: string } };
        if (body.type === 'meeting.created' && body.data.meeting_id) arrivals.set(body.data.meeting_id, at);
      }
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-hooks-'));
  const token = randomBytes(12).toString('hex');
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    production: false,
    databaseUrl: `sqlite:${join(dir, 'p.db')}`,
    secretKey: randomBytes(32),
    bootstrapToken: token,
    sandbox: false,
    allowPrivateUpstreams: true,
    logLevel: 'silent',
    upstreamPatienceMs: 20_000,
    upstreamTimeoutMs: 5_000,
    role: 'all',
    syncConcurrency: 1,
  };
  const parley = await createParley(config, { clock: clockAt(NOW), logger: pino({ level: 'silent' }) });
  const created = await parley.app.inject({ method: 'POST', url: '/webhooks', headers: { authorization: `Bearer ${token}` }, payload: { url: `${base}/hook`, events: ['meeting.created'] } });
  secret = (JSON.parse(created.body) as { secret: string }).secret;
  parley.webhookDispatcher!.start();
  // when each new meeting's page was committed
  const committed = new Map<string, number>();
  const commitStep = parley.synced.commitStep.bind(parley.synced);
  parley.synced.commitStep = async (...args) => {
    const changes = await commitStep(...args);
    const at = performance.now();
    for (const id of changes.newMeetings) committed.set(id, at);
    return changes;
  };
  const pool = new Agent({ connections: 16 });
  const sampleBody = JSON.stringify({ id: 'evt_x', type: 'meeting.created', created_at: NOW, integrated_account_id: 'a', data: { meeting_id: 'm', meeting: { id: 'm', title: 'x'.repeat(300) } } });

  const p50: number[] = [];
  const p99: number[] = [];
  const baseP50: number[] = [];
  const baseP99: number[] = [];
  let meetings = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // the baseline first on odd rounds, second on even ones
      const baseline = async () => {
        const times: number[] = [];
        for (let i = 0; i < 200; i++) {
          const t0 = performance.now();
          const res = await request(`${base}/plain`, { method: 'POST', body: sampleBody, headers: { 'content-type': 'application/json' }, dispatcher: pool });
          await res.body.dump();
          times.push(performance.now() - t0);
        }
        baseP50.push(percentile(times, 50));
        baseP99.push(percentile(times, 99));
      };
      const delivery = async () => {
        committed.clear();
        arrivals.clear();
        const account = await parley.accounts.create(DEFAULT_TENANT_ID, {
          integration: 'gong',
          credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
          sync: { backfill_days: 7 },
        });
        const outcome = await parley.engine.run(account.id);
        if (outcome !== 'completed') throw new Error(`sync ${outcome}`);
        const until = Date.now() + 30_000;
        while ([...committed.keys()].some((id) => !arrivals.has(id))) {
          if (Date.now() > until) throw new Error('deliveries did not all arrive within 30 s');
          await new Promise((r) => setTimeout(r, 5));
        }
        const latencies = [...committed].map(([id, at]) => arrivals.get(id)! - at);
        meetings = latencies.length;
        p50.push(percentile(latencies, 50));
        p99.push(percentile(latencies, 99));
      };
      if (round % 2 === 1) {
        await baseline();
        await delivery();
      } else {
        await delivery();
        await baseline();
      }
    }
  } finally {
    await pool.close();
    await parley.close();
    await sim.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
  if (verifyFailures > 0) throw new Error(`${verifyFailures} deliveries failed standardwebhooks verification`);
  console.log(`  ${ROUNDS} rounds, ${meetings} new meetings a round (a 7-day Gong backfill paced at Gong's 3 requests/s, SQLite), every delivery verified with standardwebhooks`);
  console.log(`  delivery latency p50 ${show(spread(p50), 1, ' ms')}, p99 ${show(spread(p99), 1, ' ms')}`);
  console.log(`  baseline plain local POST round trip p50 ${show(spread(baseP50), 2, ' ms')}, p99 ${show(spread(baseP99), 2, ' ms')}`);
  console.log(`  ratio p50 ${show(spread(ratios(p50, baseP50)), 1, '×')}, p99 ${show(spread(ratios(p99, baseP99)), 1, '×')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await runWebhooks();
