import { Command, Option } from 'commander';
import { remoteOf, type CliIo, type ExitCode } from '../io.js';
import { formatOf, render } from '../output.js';
import { positiveInt } from './accounts.js';

/**
 * `parley interactions` and `parley activity`: per-user records of one account for a range, every
 * page followed, printed as a table, JSON or CSV. Both routes take the same parameters
 * (CONTRACT.md "Activity": "the same parameters … as Interactions").
 */

const PERIODS = ['day', 'week', 'month', 'total'];
const READ_FROM = ['auto', 'store', 'live'];

interface ReportOptions {
  account: string;
  start: string;
  end: string;
  period?: string;
  timezone?: string;
  source?: string;
  readFrom?: string;
  user?: string[];
  limit: number;
  max?: number;
  remoteData?: boolean;
  json?: boolean;
  csv?: boolean;
}

function reportCommand(io: CliIo, done: (code: ExitCode) => void, spec: { name: string; path: string; description: string; metricsSource: boolean }): Command {
  const cmd = new Command(spec.name)
    .description(spec.description)
    .requiredOption('--account <id>', 'integrated account id (integrated_account_id)')
    .requiredOption('--start <time>', 'start_time: ISO date or instant, e.g. 2026-10-01')
    .requiredOption('--end <time>', 'end_time (exclusive)')
    .addOption(new Option('--period <period>', 'aggregation_period').choices(PERIODS))
    .option('--timezone <zone>', 'IANA zone of the buckets, e.g. Europe/Paris')
    .addOption(new Option('--read-from <where>', 'read_from').choices(READ_FROM))
    .option('--user <id...>', 'only these users (repeatable)')
    .option('--limit <n>', 'records per page', positiveInt('--limit', 1000), 1000)
    .option('--max <n>', 'stop after this many records', positiveInt('--max'))
    .option('--remote-data', 'keep each record\'s remote_data (with --json)')
    .addOption(new Option('--json', 'print JSON (every field)').conflicts('csv'))
    .addOption(new Option('--csv', 'print CSV with a header row').conflicts('json'));
  if (spec.metricsSource) cmd.addOption(new Option('--source <source>', 'metrics_source').choices(['native', 'computed']));
  cmd.action(async (opts: ReportOptions) => {
    const records = await remoteOf(io).listAll<Record<string, unknown>>(
      spec.path,
      {
        integrated_account_id: opts.account,
        start_time: opts.start,
        end_time: opts.end,
        aggregation_period: opts.period,
        timezone: opts.timezone,
        metrics_source: opts.source,
        read_from: opts.readFrom,
        users: opts.user,
        include_remote_data: opts.remoteData ? undefined : false,
      },
      { limit: opts.limit, max: opts.max },
    );
    io.out(render(records, formatOf(opts), ['start_time', 'user.name', 'user.email', 'metrics.*']));
    done(0);
  });
  return cmd;
}

export function interactionsCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  return reportCommand(io, done, {
    name: 'interactions',
    path: '/unified/conversational-intelligence/interactions',
    description: 'per-user interaction metrics (longest monologue, patience, …) per day, week, month or total',
    metricsSource: true,
  });
}

export function activityCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  return reportCommand(io, done, {
    name: 'activity',
    path: '/unified/conversational-intelligence/activity',
    description: 'per-user activity counters (calls hosted, attended, feedback, …) per day, week, month or total',
    metricsSource: false,
  });
}
