import { request } from 'undici';
import { startBenchGong, startBenchParley } from './gong-api.js';

/**
 * How far Parley's computed metrics are from Gong's native ones over the same simulated
 * conversations: per metric, the median relative difference over (user, week) pairs both report.
 * Not a speed figure: a report for docs/METRICS.md and the issue notes.
 */
const sim = await startBenchGong();
const env = await startBenchParley();
const account = await env.gongAccount(sim.url);
const list = async (url: string) =>
  ((await (await request(`${env.base}${url}`, { headers: env.auth })).body.json()) as { result: any[] }).result;
const url = `/unified/conversational-intelligence/interactions?integrated_account_id=${account}&start_time=2024-04-01&end_time=2024-05-27&aggregation_period=week&limit=1000`;
const native = await list(url);
const computed = await list(`${url}&metrics_source=computed`);
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
await env.close();
await sim.close();
