import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { AGGREGATION_PERIODS } from '../metrics/buckets.js';
import { type ComputeSession, MetricsInputError, parseCall, startCompute } from '../metrics/index.js';
import { EmptyJsonError, jsonArrayElements, JsonSyntaxError } from './json-array.js';

/**
 * `parley compute`: normalized calls (JSON array, from --input or stdin) → `{"result": [...]}` of
 * unified Interactions on stdout. It validates the parameters and aggregates with the same
 * `startCompute` as the compute route, so the two cannot disagree; the calls are parsed from the
 * stream and aggregated one at a time, so the input may be far larger than memory.
 */

export const COMPUTE_USAGE = `Usage: parley compute --start S --end E [--period ${AGGREGATION_PERIODS.join('|')}] [--timezone ZONE] [--input FILE]

Reads a JSON array of normalized calls (docs/METRICS.md) from FILE, or stdin when FILE is absent or "-",
and writes {"result": [...]} (unified Interactions records) to stdout.
The input is streamed: calls are parsed and aggregated one at a time, so memory stays bounded by the
largest single call and the number of users × buckets, whatever the size of the input.
  --start S      range start, inclusive: YYYY-MM-DD (midnight in ZONE) or ISO date-time (no offset = UTC)
  --end E        range end, exclusive
  --period P     day | week | month | total (default total)
  --timezone Z   IANA zone the buckets are cut in (default UTC)
  --input FILE   JSON file of calls (default stdin)`;

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Chunks of input text, as a file stream or stdin yields them. */
export type InputChunks = AsyncIterable<string | Uint8Array>;

/** Exit code for input the user can fix (bad flag, bad JSON, bad call). */
export const EXIT_USAGE = 2;

// Body fields as the user names them on the command line.
const FLAG_OF_FIELD: Record<string, string> = {
  start_time: '--start',
  end_time: '--end',
  aggregation_period: '--period',
  timezone: '--timezone',
};

/** Reading the input failed (not its content): a missing file, a closed pipe. */
class InputReadError extends Error {
  constructor(readonly code: string | undefined) {
    super(code ?? 'read failed');
  }
}

async function* readChunks(open: () => InputChunks): InputChunks {
  try {
    yield* open();
  } catch (e) {
    throw new InputReadError((e as NodeJS.ErrnoException).code);
  }
}

/**
 * Run `parley compute` with `args` (after the subcommand name). `stdin` is the input text, or a
 * function opening it, called only when no --input file is given.
 */
export async function runCompute(args: readonly string[], stdin: string | (() => InputChunks)): Promise<CliResult> {
  const fail = (message: string): CliResult => ({ exitCode: EXIT_USAGE, stdout: '', stderr: `parley compute: ${message}\n` });

  let values: { start?: string; end?: string; period?: string; timezone?: string; input?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        start: { type: 'string' },
        end: { type: 'string' },
        period: { type: 'string' },
        timezone: { type: 'string' },
        input: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    // parseArgs explains the problem in its first sentence; the rest is a hint about `--`.
    const msg = e instanceof Error ? (e.message.split('. ')[0] ?? e.message) : String(e);
    return fail(`${msg.replace(/\.$/, '')} (see parley compute --help)`);
  }
  if (values.help) return { exitCode: 0, stdout: `${COMPUTE_USAGE}\n`, stderr: '' };
  if (values.start === undefined) return fail('--start is required (see parley compute --help)');
  if (values.end === undefined) return fail('--end is required (see parley compute --help)');

  let session: ComputeSession;
  try {
    session = startCompute({
      start_time: values.start,
      end_time: values.end,
      aggregation_period: values.period ?? 'total',
      timezone: values.timezone ?? 'UTC',
    });
  } catch (e) {
    if (e instanceof MetricsInputError) {
      const flag = FLAG_OF_FIELD[e.field];
      return fail(flag === undefined ? `invalid input: ${e.message}` : `${flag}: ${e.problem}`);
    }
    throw e;
  }

  const source = values.input === undefined || values.input === '-' ? 'stdin' : values.input;
  const file = source === 'stdin' ? undefined : source;
  const open = (): InputChunks =>
    file !== undefined ? createReadStream(file) : typeof stdin === 'string' ? (async function* () { yield stdin; })() : stdin();
  let index = 0;
  try {
    for await (const value of jsonArrayElements(readChunks(open), 'calls')) {
      session.add(parseCall(value, index, 'calls'));
      index += 1;
    }
  } catch (e) {
    if (e instanceof InputReadError) {
      if (e.code === 'ENOINPUT') return fail('no input: pipe the calls (a JSON array) on stdin or pass --input FILE');
      return fail(`cannot read ${source}${e.code ? ` (${e.code})` : ''}`);
    }
    if (e instanceof EmptyJsonError) return fail(`no input: ${source} is empty (expected a JSON array of calls)`);
    if (e instanceof JsonSyntaxError) return fail(`${source} is not valid JSON ${e.where}: ${e.problem}`);
    if (e instanceof MetricsInputError) return fail(`invalid input: ${e.message}`);
    throw e;
  }
  return { exitCode: 0, stdout: `${JSON.stringify(session.result())}\n`, stderr: '' };
}
