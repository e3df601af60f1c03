import { pathToFileURL } from 'node:url';
import { DateTime } from 'luxon';
import { buckets } from '../src/metrics/buckets.js';
import { computedRecordId, InteractionAggregator } from '../src/metrics/aggregate.js';
import { type NormalizedCall, parseCalls } from '../src/metrics/call.js';
import { interleaved, ratios, scaled, show, type Spread, spread } from './stats.js';

/**
 * Metrics engine throughput on ~1,000,000 utterances, against a baseline from the same run that only
 * reads every utterance's fields. The ratio engine/baseline is what to compare across machines.
 *
 *   node --expose-gc --import tsx bench/metrics.ts      (or: npx tsx bench/metrics.ts)
 */

const TARGET_UTTERANCES = 1_000_000;
const USERS = 40;
const ZONE = 'Europe/Berlin';
const RANGE_START = DateTime.fromISO('2024-01-01T00:00:00', { zone: ZONE });
const RANGE_END = DateTime.fromISO('2024-07-01T00:00:00', { zone: ZONE });

const PHRASES = [
  'Thanks for making the time today.',
  'How are you handling onboarding right now?',
  'Could you walk me through the pricing?',
  'We looked at three vendors last quarter.',
  'Our budget is about 3.5 million.',
  'That makes sense. Who else is involved? When do you decide?',
  'We need SOC 2 before anything else…',
  'What would success look like for you?!',
  'Let me share my screen and show you the dashboard, it takes a minute to load.',
  'Right, so the integration runs nightly and the numbers show up the next morning.',
];
const BACKCHANNELS = ['Mm-hm.', 'Right.', 'Yes.', 'Okay.', 'Really?'];

/** xorshift32: deterministic and fast, so every run benchmarks the same transcripts. */
function rng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

/**
 * Calls of 60–400 utterances with 1–3 internal users and 1–3 external speakers: monologues cut in
 * sentences, pauses of 0–4 s, ~20 % backchannels laid over the other side's speech (so slightly out
 * of order), a few vendor question counts and a few invalid utterances.
 */
export function generateCalls(target = TARGET_UTTERANCES, seed = 42): NormalizedCall[] {
  const r = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const calls: NormalizedCall[] = [];
  const spanMs = RANGE_END.toMillis() - RANGE_START.toMillis();
  let total = 0;
  for (let c = 0; total < target; c++) {
    const internal = 1 + Math.floor(r() * 3);
    const external = 1 + Math.floor(r() * 3);
    const participants: NormalizedCall['participants'] = [];
    const speakers: string[] = [];
    for (let i = 0; i < internal; i++) {
      participants.push({ speaker_id: `i${i}`, side: 'internal', user_id: String(1_000_000_000_000_000 + Math.floor(r() * USERS) * 7919) });
      speakers.push(`i${i}`);
    }
    for (let i = 0; i < external; i++) {
      participants.push({ speaker_id: `e${i}`, side: 'external' });
      speakers.push(`e${i}`);
    }
    const n = Math.min(60 + Math.floor(r() * 340), target - total);
    const utterances: NormalizedCall['utterances'] = [];
    let t = r() * 3;
    let speaker = pick(speakers);
    while (utterances.length < n) {
      if (r() < 0.35) speaker = pick(speakers);
      if (r() < 0.2 && utterances.length > 0) {
        // A backchannel of someone else, during the current speech.
        const other = pick(speakers);
        const at = Math.max(0, t - r() * 4);
        utterances.push({ speaker_id: other, start_s: round2(at), end_s: round2(at + 0.2 + r() * 0.7), text: pick(BACKCHANNELS) });
        continue;
      }
      const len = 1 + r() * (r() < 0.1 ? 60 : 12);
      const u: NormalizedCall['utterances'][number] = { speaker_id: speaker, start_s: round2(t), end_s: round2(t + len), text: pick(PHRASES) };
      if (r() < 0.03) u.questions = Math.floor(r() * 3);
      if (r() < 0.002) u.end_s = u.start_s - 1;
      utterances.push(u);
      t += len + (r() < 0.7 ? r() * 1.5 : r() * 4);
    }
    total += n;
    const call: NormalizedCall = {
      id: `bench-${c}`,
      started_at: new Date(RANGE_START.toMillis() + Math.floor(r() * spanMs)).toISOString(),
      participants,
      utterances,
    };
    if (r() < 0.7) call.duration_s = round2(t + r() * 10);
    calls.push(call);
  }
  return calls;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Reads what any consumer of the input must read: every utterance's times and text. */
function baseline(calls: readonly NormalizedCall[]): number {
  let sum = 0;
  for (const call of calls) {
    const utts = call.utterances;
    for (let i = 0; i < utts.length; i++) {
      const u = utts[i]!;
      sum += u.start_s + u.end_s + (u.text === undefined ? 0 : u.text.length);
    }
  }
  return sum;
}

function engine(calls: readonly NormalizedCall[]): number {
  const list = buckets({ start: RANGE_START, end: RANGE_END, period: 'week', zone: ZONE });
  const agg = new InteractionAggregator({
    buckets: list,
    period: 'week',
    timezone: ZONE,
    recordId: (user, b) => computedRecordId(user, 'week', ZONE, b),
  });
  for (const call of calls) agg.add(call);
  return agg.records().length;
}

/** Seconds one call of `f` takes; its result goes to `sink` so the work cannot be optimised away. */
let sink: unknown;
function seconds(f: () => unknown): number {
  const t0 = process.hrtime.bigint();
  sink = f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rate = (n: number, s: number) => `${(n / s / 1e6).toFixed(2)} M utterances/s`;

export async function run(): Promise<void> {
  gc?.();
  const mem0 = process.memoryUsage();
  // The input as the CLI and the route get it: JSON text, parsed and validated.
  const json = JSON.stringify(generateCalls());
  const tParse0 = process.hrtime.bigint();
  const parsed = JSON.parse(json) as unknown;
  const tParse1 = process.hrtime.bigint();
  const calls = parseCalls(parsed);
  const tParse2 = process.hrtime.bigint();
  const utterances = calls.reduce((n, c) => n + c.utterances.length, 0);
  gc?.();
  const mem1 = process.memoryUsage();

  baseline(calls);
  engine(calls); // warm-up
  // The baseline pass takes ~25 ms: five of them make a stretch long enough to time on a busy machine.
  const BASELINE_PASSES = 5;
  const runs = await interleaved(7, {
    baseline: () => seconds(() => Array.from({ length: BASELINE_PASSES }, () => baseline(calls))) / BASELINE_PASSES,
    engine: () => seconds(() => engine(calls)),
  });
  const validate = spread(Array.from({ length: 5 }, () => seconds(() => parseCalls(parsed).length)));
  const base = spread(runs.baseline);
  const eng = spread(runs.engine);
  const ratio = spread(ratios(runs.engine, runs.baseline));
  const perSecond = (s: Spread) => `${rate(utterances, s.median)} (${(utterances / s.max / 1e6).toFixed(2)}–${(utterances / s.min / 1e6).toFixed(2)})`;

  // Memory of the engine itself: heap sampled every 50 calls during one more (untimed) run.
  gc?.();
  const before = process.memoryUsage().heapUsed;
  let peakHeap = before;
  const list = buckets({ start: RANGE_START, end: RANGE_END, period: 'week', zone: ZONE });
  const agg = new InteractionAggregator({ buckets: list, period: 'week', timezone: ZONE, recordId: (u, b) => computedRecordId(u, 'week', ZONE, b) });
  calls.forEach((c, i) => {
    agg.add(c);
    if (i % 50 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  });
  const records = agg.records();
  gc?.();
  const retained = process.memoryUsage().heapUsed - before;

  console.log(`metrics engine (d) (node ${process.version}, ${calls.length} calls, ${utterances} utterances, ${records.length} records, gc ${gc ? 'exposed' : 'not exposed: run with node --expose-gc for exact heap figures'}); median (min–max) of ${base.runs} interleaved rounds`);
  console.log(`  baseline (read start_s, end_s, text)   ${perSecond(base)}`);
  console.log(`  engine (per-call metrics + weekly agg) ${perSecond(eng)}`);
  console.log(`  ratio engine/baseline time, per round  ${show(ratio, 1)}x`);
  console.log(`  input: JSON ${mb(json.length)}; JSON.parse ${(Number(tParse1 - tParse0) / 1e6).toFixed(0)} ms; parseCalls ${(Number(tParse2 - tParse1) / 1e6).toFixed(0)} ms first, then ${show(scaled(validate, 1e3), 0, ' ms')}`);
  console.log(`  memory (process.memoryUsage; heap after gc when exposed):`);
  console.log(`    parsed input on the heap            ${mb(mem1.heapUsed - mem0.heapUsed)}  (rss +${mb(mem1.rss - mem0.rss)})`);
  console.log(`    engine heap peak over start, sampled every 50 calls  +${mb(peakHeap - before)}; retained after the run +${mb(retained)}`);
  console.log(`    process peak RSS (resourceUsage().maxRSS)  ${mb(process.resourceUsage().maxRSS * 1024)}`);
  if (sink === undefined) throw new Error('unreachable');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
