import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createParley } from '../src/server.js';
import { startGongSimulator } from '../sandbox/gong/index.js';

/**
 * How far Parley's computed metrics are from Gong's native ones over the same simulated
 * conversations: per metric, the median relative difference over (user, week) pairs both report.
 * Not a speed figure: a report for docs/METRICS.md and the issue notes.
 */
const dir = mkdtempSync(join(tmpdir(), 'parley-compare-'));
const token = randomBytes(8).toString('hex');
const parley = await createParley(
  {
    port: 0, host: '127.0.0.1', production: false, databaseUrl: `sqlite:${join(dir, 'p.db')}`, secretKey: randomBytes(32),
    bootstrapToken: token, sandbox: false, allowPrivateUpstreams: true, logLevel: 'silent', upstreamPatienceMs: 60_000, upstreamTimeoutMs: 30_000,
  },
  { logger: pino({ level: 'silent' }) },
);
const sim = await startGongSimulator({});
const call = async (method: 'GET' | 'POST', url: string, payload?: object) =>
  (await parley.app.inject({ method, url, payload, headers: { authorization: `Bearer ${token}` } })).json();
const account = (await call('POST', '/integrated-accounts', { integration: 'gong', credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url } })).id;
const url = `/unified/conversational-intelligence/interactions?integrated_account_id=${account}&start_time=2024-04-01&end_time=2024-05-27&aggregation_period=week&limit=1000`;
const native = (await call('GET', url)).result as any[];
const computed = (await call('GET', `${url}&metrics_source=computed`)).result as any[];
const byKey = new Map(native.map((r) => [`${r.start_time}|${r.user.id}`, r]));
const metrics = ['longest_monologue', 'longest_customer_story', 'interactivity', 'patience', 'question_rate'];
console.log(`native records ${native.length}, computed records ${computed.length}`);
for (const m of metrics) {
  const rel: number[] = [];
  const abs: number[] = [];
  for (const c of computed) {
    const n = byKey.get(`${c.start_time}|${c.user.id}`);
    if (!n || n.metrics[m] === undefined || c.metrics[m] === undefined) continue;
    abs.push(c.metrics[m] - n.metrics[m]);
    rel.push(Math.abs(c.metrics[m] - n.metrics[m]) / Math.max(Math.abs(n.metrics[m]), 1e-9));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const mean = abs.reduce((a, b) => a + b, 0) / abs.length;
  console.log(`${m.padEnd(24)} pairs ${String(abs.length).padStart(3)}  mean(computed − native) ${mean.toFixed(2).padStart(7)}  median |relative diff| ${(med(rel) * 100).toFixed(1)}%`);
}
await parley.close();
await sim.close();
rmSync(dir, { recursive: true, force: true });
