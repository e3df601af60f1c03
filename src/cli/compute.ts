import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AGGREGATION_PERIODS } from '../metrics/buckets.js';
import { computeRequest, MetricsInputError } from '../metrics/index.js';

/**
 * `parley compute`: normalized calls (JSON array, from --input or stdin) → `{"result": [...]}` of
 * unified Interactions on stdout. It builds the same body the compute route takes and runs the same
 * `computeRequest`, so the two cannot disagree.
 */

export const COMPUTE_USAGE = `Usage: parley compute --start S --end E [--period ${AGGREGATION_PERIODS.join('|')}] [--timezone ZONE] [--input FILE]

Reads a JSON array of normalized calls (docs/METRICS.md) from FILE, or stdin when FILE is absent or "-",
and writes {"result": [...]} (unified Interactions records) to stdout.
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

/** Exit code for input the user can fix (bad flag, bad JSON, bad call). */
export const EXIT_USAGE = 2;

// Body fields as the user names them on the command line.
const FLAG_OF_FIELD: Record<string, string> = {
  start_time: '--start',
  end_time: '--end',
  aggregation_period: '--period',
  timezone: '--timezone',
};

/**
 * Run `parley compute` with `args` (after the subcommand name). `stdin` is the input text, or a
 * function reading it, called only when no --input file is given.
 */
export async function runCompute(args: readonly string[], stdin: string | (() => Promise<string>)): Promise<CliResult> {
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

  let text: string;
  const source = values.input === undefined || values.input === '-' ? 'stdin' : values.input;
  try {
    text = source === 'stdin' ? (typeof stdin === 'string' ? stdin : await stdin()) : await readFile(source, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOINPUT') return fail('no input: pipe the calls (a JSON array) on stdin or pass --input FILE');
    return fail(`cannot read ${source}${code ? ` (${code})` : ''}`);
  }
  if (text.trim() === '') return fail(`no input: ${source} is empty (expected a JSON array of calls)`);
  let calls: unknown;
  try {
    calls = JSON.parse(text);
  } catch (e) {
    return fail(`${source} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }

  const body = {
    start_time: values.start,
    end_time: values.end,
    aggregation_period: values.period ?? 'total',
    timezone: values.timezone ?? 'UTC',
    calls,
  };
  try {
    const result = computeRequest(body);
    return { exitCode: 0, stdout: `${JSON.stringify(result)}\n`, stderr: '' };
  } catch (e) {
    if (e instanceof MetricsInputError) {
      const flag = FLAG_OF_FIELD[e.field];
      return fail(flag === undefined ? `invalid input: ${e.message}` : `${flag}: ${e.problem}`);
    }
    throw e;
  }
}
