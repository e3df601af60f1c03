import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCompute } from '../../src/cli/compute.js';
import type { Interaction } from '../../src/domain/interaction.js';

interface VectorCase {
  name: string;
  calls: unknown[];
  range: { start: string; end: string; period: string; tz: string };
  expected: { user_id: string; start_time: string; end_time: string; metrics: Record<string, number>; additional_metrics: { name: string; value: number }[] }[];
}
const vectors = JSON.parse(readFileSync(new URL('../../reference/metrics-vectors.json', import.meta.url), 'utf8')) as {
  tolerance: number;
  cases: VectorCase[];
};
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function argsOf(c: VectorCase): string[] {
  return ['--start', c.range.start, '--end', c.range.end, '--period', c.range.period, '--timezone', c.range.tz];
}

/** The CLI output equals the vector: same records in order, values within tolerance. */
function expectVector(stdout: string, c: VectorCase): void {
  const { result } = JSON.parse(stdout) as { result: Interaction[] };
  expect(result.map((r) => [r.user.id, Date.parse(r.start_time), Date.parse(r.end_time)])).toEqual(
    c.expected.map((e) => [e.user_id, Date.parse(e.start_time), Date.parse(e.end_time)]),
  );
  result.forEach((r, i) => {
    const e = c.expected[i]!;
    expect(Object.keys(r.metrics).sort()).toEqual(Object.keys(e.metrics).sort());
    for (const [k, v] of Object.entries(e.metrics)) expect(Math.abs(r.metrics[k as keyof typeof r.metrics]! - v)).toBeLessThanOrEqual(vectors.tolerance);
    expect(r.additional_metrics.map((m) => m.name)).toEqual(e.additional_metrics.map((m) => m.name));
    e.additional_metrics.forEach((m, j) => expect(Math.abs(r.additional_metrics[j]!.value - m.value)).toBeLessThanOrEqual(vectors.tolerance));
    expect(r.timezone).toBe(c.range.tz);
    expect(r.aggregation_period).toBe(c.range.period);
  });
}

function expectUsageError(r: { exitCode: number; stdout: string; stderr: string }, mentions: string[]): void {
  expect(r.exitCode).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n'), 'one line').toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  for (const m of mentions) expect(r.stderr).toContain(m);
}

describe('parley compute (in process)', () => {
  const weekly = vectors.cases.find((c) => c.range.period === 'week' && c.calls.length > 1)!;

  it.each(vectors.cases.map((c) => [c.name, c] as const))('reproduces vector %s', async (_name, c) => {
    const r = await runCompute(argsOf(c), JSON.stringify(c.calls));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expectVector(r.stdout, c);
  });

  it('reads --input FILE and never touches stdin then', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-'));
    const file = join(dir, 'calls.json');
    writeFileSync(file, JSON.stringify(weekly.calls));
    const r = await runCompute([...argsOf(weekly), '--input', file], () => {
      throw new Error('stdin read');
    });
    expect(r.exitCode).toBe(0);
    expectVector(r.stdout, weekly);
  });

  it('defaults to period total and UTC', async () => {
    const c = vectors.cases[0]!;
    const r = await runCompute(['--start', c.range.start, '--end', c.range.end], JSON.stringify(c.calls));
    const { result } = JSON.parse(r.stdout) as { result: Interaction[] };
    expect(result[0]).toMatchObject({ aggregation_period: 'total', timezone: 'UTC', start_time: '2024-03-01T00:00:00Z' });
  });

  it('rejects bad JSON', async () => {
    expectUsageError(await runCompute(['--start', '2024-03-01', '--end', '2024-04-01'], '[{"id": '), ['not valid JSON']);
  });

  it('rejects a bad call naming the call and the field', async () => {
    const calls = structuredClone(weekly.calls) as { utterances: { start_s: unknown }[] }[];
    calls[3]!.utterances[2]!.start_s = 'soon';
    const id = (weekly.calls[3] as { id: string }).id;
    expectUsageError(await runCompute(argsOf(weekly), JSON.stringify(calls)), [`calls[3] (id "${id}")`, 'utterances[2].start_s', 'expected a number']);
  });

  it('rejects a bad zone', async () => {
    expectUsageError(await runCompute(['--start', '2024-03-01', '--end', '2024-04-01', '--timezone', 'Europe/Atlantis'], '[]'), ['--timezone', 'Europe/Atlantis']);
  });

  it.each([
    ['2024-04-01', '2024-04-01'],
    ['2024-04-02', '2024-04-01'],
    ['2024-04-01T10:00:00Z', '2024-04-01T09:59:59Z'],
  ])('rejects start %s >= end %s', async (start, end) => {
    expectUsageError(await runCompute(['--start', start, '--end', end], '[]'), ['--end', 'must be after']);
  });

  it.each([
    [['--start', '2024-03-01', '--end', '2024-04-01', '--bogus'], ['--bogus']],
    [['--start', '2024-03-01'], ['--end']],
    [['--start', 'March', '--end', '2024-04-01'], ['--start', 'March']],
    [['--start', '2024-03-01', '--end', '2024-04-01', '--period', 'year'], ['--period', 'year']],
    [['--start', '2024-03-01', '--end', '2024-04-01', 'extra'], ['extra']],
    [['--start', '2024-03-01', '--end', '2024-04-01', '--input', '/nonexistent/calls.json'], ['/nonexistent/calls.json']],
  ])('rejects %j', async (args, mentions) => {
    expectUsageError(await runCompute(args, '[]'), mentions);
  });

  it('rejects empty input', async () => {
    expectUsageError(await runCompute(['--start', '2024-03-01', '--end', '2024-04-01'], '  \n'), ['empty']);
  });
});

/** A normalized call of one internal speaker talking for `seconds`, starting at `startedAt`. */
function oneSpeakerCall(id: string, startedAt: string, seconds = 30): Record<string, unknown> {
  return {
    id,
    started_at: startedAt,
    participants: [{ speaker_id: 'a', side: 'internal', user_id: 'u1' }],
    utterances: [{ speaker_id: 'a', start_s: 0, end_s: seconds, text: 'Hello, is this a good time?' }],
  };
}

describe('parley compute streams its input', () => {
  const args = ['--start', '2024-03-01', '--end', '2024-04-01'];

  it('stops reading a long input right after a bad call: calls are parsed and checked one at a time', async () => {
    let produced = 0;
    let stopped = false;
    // a reader that took the whole input first would pull all 50,000 calls before finding the bad one
    async function* long(): AsyncGenerator<string> {
      try {
        yield '[';
        for (let i = 0; i < 50_000; i++) {
          produced = i + 1;
          const call = i === 5000 ? { id: `c${i}`, started_at: 'soon' } : oneSpeakerCall(`c${i}`, '2024-03-04T10:00:00Z');
          yield `${i > 0 ? ',' : ''}${JSON.stringify(call)}`;
        }
        yield ']';
      } finally {
        stopped = true;
      }
    }
    const r = await runCompute(args, long);
    expectUsageError(r, ['calls[5000] (id "c5000")', 'started_at']);
    expect(stopped).toBe(true);
    expect(produced).toBe(5001);
  });

  it('aggregates every call of a long stream fed call by call', async () => {
    const n = 20_000;
    async function* calls(): AsyncGenerator<string> {
      yield '[';
      for (let i = 0; i < n; i++) yield `${i > 0 ? ',' : ''}${JSON.stringify(oneSpeakerCall(`c${i}`, `2024-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`, 10 + (i % 7)))}`;
      yield ']';
    }
    const r = await runCompute([...args, '--period', 'week'], calls);
    expect(r.stderr).toBe('');
    const { result } = JSON.parse(r.stdout) as { result: Interaction[] };
    expect(result.reduce((sum, rec) => sum + rec.additional_metrics.find((m) => m.name === 'call_count')!.value, 0)).toBe(n);
  });

  it('gives the same records whatever the chunking, even through a multi-byte character', async () => {
    const c = vectors.cases.find((x) => x.range.period === 'week' && x.calls.length > 1)!;
    const calls = structuredClone(c.calls) as { utterances: { text?: string }[] }[];
    calls[0]!.utterances[0]!.text = `Grüße — ${calls[0]!.utterances[0]!.text ?? ''}`;
    const bytes = Buffer.from(JSON.stringify(calls));
    async function* sevenBytes(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const whole = await runCompute(argsOf(c), bytes.toString('utf8'));
    const chunked = await runCompute(argsOf(c), sevenBytes);
    expect(chunked.stderr).toBe('');
    expect(chunked.stdout).toBe(whole.stdout);
    expectVector(chunked.stdout, c);
  });

  it.each([
    ['a syntax error, naming the call it is in', `[${JSON.stringify(oneSpeakerCall('c0', '2024-03-04T10:00:00Z'))},{"id": "c1", "started_at": }]`, ['not valid JSON', 'in calls[1]']],
    ['a truncated input', `[${JSON.stringify(oneSpeakerCall('c0', '2024-03-04T10:00:00Z'))},{"id": "c1"`, ['not valid JSON', 'in calls[1]', 'ends before the array is closed']],
    ['text after the array', '[] []', ['not valid JSON', 'after the array']],
    ['a root that is not an array', '{"calls": []}', ['calls: expected an array of calls, got an object']],
  ])('rejects %s', async (_what, input, mentions) => {
    expectUsageError(await runCompute(args, input), mentions);
  });

  it('says so in --help', async () => {
    const r = await runCompute(['--help'], '');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/streamed: calls are parsed and aggregated one at a time/);
  });
});

describe('bin/parley.js', () => {
  it('runs compute end to end with the calls on stdin', () => {
    const c = vectors.cases.find((x) => x.range.period === 'day' && x.calls.length > 1)!;
    const r = spawnSync(process.execPath, ['bin/parley.js', 'compute', ...argsOf(c)], {
      cwd: repoRoot,
      input: JSON.stringify(c.calls),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expectVector(r.stdout, c);
  });
});
