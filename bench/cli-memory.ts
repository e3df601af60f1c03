import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { once } from 'node:events';
import { runCompute } from '../src/cli/compute.js';
import { computeRequest } from '../src/metrics/index.js';
import { generateCalls } from './metrics.js';
import { show, spread } from './stats.js';

/**
 * (f) Peak memory of `parley compute` against the size of its input. Each measurement is a child
 * process (its peak RSS is its own): `stream` runs the CLI's `runCompute` on the file; `whole` is
 * the baseline of reading the file into one string, JSON.parse and computeRequest (what the CLI
 * did before it streamed). The large input runs streamed only: one string cannot hold it.
 *
 *   npx tsx bench/cli-memory.ts              (PARLEY_BENCH_CLI_MB sets the large size; default 1024)
 */

const ARGS = ['--start', '2024-01-01', '--end', '2024-07-01', '--period', 'week', '--timezone', 'Europe/Berlin'];
const MB = 1024 * 1024;

/** Writes generated calls (bench/metrics.ts) as one JSON array until the file holds `bytes`. */
async function writeCalls(file: string, bytes: number): Promise<{ bytes: number; calls: number }> {
  const out = createWriteStream(file);
  let written = 0;
  let calls = 0;
  const write = async (s: string) => {
    written += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('[');
  for (let batch = 0; written < bytes; batch++) {
    for (const call of generateCalls(200_000, 1000 + batch)) {
      await write(`${calls > 0 ? ',' : ''}${JSON.stringify({ ...call, id: `b${batch}-${call.id}` })}`);
      calls += 1;
      if (written >= bytes) break;
    }
  }
  await write(']');
  out.end();
  await once(out, 'finish');
  return { bytes: statSync(file).size, calls };
}

interface ChildReport {
  peakRssBytes: number;
  seconds: number;
  records: number;
}

function measure(mode: 'stream' | 'whole', file: string): ChildReport {
  const here = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', here, '--child', mode, file], { encoding: 'utf8', maxBuffer: 64 * MB });
  if (child.status !== 0) throw new Error(`${mode} child failed (${child.status}): ${child.stderr.slice(0, 500)}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1)!) as ChildReport;
}

async function child(mode: string, file: string): Promise<void> {
  const t0 = performance.now();
  let out: string;
  if (mode === 'stream') {
    const r = await runCompute([...ARGS, '--input', file], '');
    if (r.exitCode !== 0) throw new Error(r.stderr);
    out = r.stdout;
  } else {
    const calls = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    out = JSON.stringify(computeRequest({ start_time: ARGS[1], end_time: ARGS[3], aggregation_period: ARGS[5], timezone: ARGS[7], calls }));
  }
  const report: ChildReport = {
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    seconds: (performance.now() - t0) / 1000,
    records: (JSON.parse(out) as { result: unknown[] }).result.length,
  };
  console.log(JSON.stringify(report));
}

export async function run(largeMb = Number(process.env.PARLEY_BENCH_CLI_MB ?? 1024), rounds = 3): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cli-bench-'));
  try {
    const small = join(dir, 'small.json');
    const large = join(dir, 'large.json');
    const s = await writeCalls(small, 100 * MB);
    const streamed: ChildReport[] = [];
    const whole: ChildReport[] = [];
    for (let round = 0; round < rounds; round++) {
      // alternate which goes first, as everywhere in these benchmarks
      const pair = round % 2 === 0 ? (['stream', 'whole'] as const) : (['whole', 'stream'] as const);
      for (const mode of pair) (mode === 'stream' ? streamed : whole).push(measure(mode, small));
    }
    if (streamed[0]!.records !== whole[0]!.records) throw new Error('streamed and whole runs disagree on the records');
    const ratio = (rs: ChildReport[], bytes: number) => spread(rs.map((r) => r.peakRssBytes / bytes));
    const rss = (rs: ChildReport[]) => show(spread(rs.map((r) => r.peakRssBytes / MB)), 0, ' MB');
    const secs = (rs: ChildReport[]) => show(spread(rs.map((r) => r.seconds)), 1, ' s');
    console.log(`cli memory (f): parley compute on generated calls, peak RSS of a child process, median (min–max) of ${rounds} interleaved rounds unless said`);
    console.log(`  ${(s.bytes / MB).toFixed(0)} MB input (${s.calls} calls), streamed: peak RSS ${rss(streamed)}, ${show(ratio(streamed, s.bytes), 2)}× the input; ${secs(streamed)}`);
    console.log(`  ${(s.bytes / MB).toFixed(0)} MB input, read whole and JSON.parse (baseline): peak RSS ${rss(whole)}, ${show(ratio(whole, s.bytes), 2)}× the input; ${secs(whole)}`);
    if (largeMb > 0) {
      const l = await writeCalls(large, largeMb * MB);
      const r = measure('stream', large);
      console.log(
        `  ${(l.bytes / MB).toFixed(0)} MB input (${l.calls} calls), streamed, one run: peak RSS ${(r.peakRssBytes / MB).toFixed(0)} MB, ${(r.peakRssBytes / l.bytes).toFixed(2)}× the input; ${r.seconds.toFixed(1)} s (${(l.bytes / MB / r.seconds).toFixed(1)} MB/s)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) await child(process.argv[i + 1]!, process.argv[i + 2]!);
  else await run();
}
