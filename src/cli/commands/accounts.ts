import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { remoteOf, type CliIo, type ExitCode } from '../io.js';
import { formatOf, render } from '../output.js';
import { ApiError } from '../remote.js';

/** `parley accounts list|create|delete|sync`: integrated accounts over the API. */

interface SyncStatus {
  status: 'idle' | 'running' | 'failed' | 'disabled';
  last_started_at: string | null;
  last_finished_at: string | null;
  progress: { stream: string; pages: number; records: number } | null;
  counts: Record<string, number>;
  last_error: string | null;
}

export function parseJsonOption(what: string) {
  return (value: string): Record<string, unknown> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new InvalidArgumentError(`${what} must be a JSON object, like '{"api_key": "…"}'`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError(`${what} must be a JSON object`);
    return parsed as Record<string, unknown>;
  };
}

export function positiveInt(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}`);
    return n;
  };
}

function formatOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--json', 'print JSON (every field)').conflicts('csv'))
    .addOption(new Option('--csv', 'print CSV with a header row').conflicts('json'));
}

export function accountsCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  const accounts = new Command('accounts').description('integrated accounts: list, create, delete, sync');

  formatOptions(accounts.command('list').description('list the integrated accounts of your tenant')).action(async (opts: { json?: boolean; csv?: boolean }) => {
    const records = await remoteOf(io).listAll<Record<string, unknown>>('/integrated-accounts', {}, { limit: 1000 });
    io.out(render(records, formatOf(opts), ['id', 'integration', 'status', 'created_at']));
    done(0);
  });

  accounts
    .command('create')
    .description('connect a vendor account (credentials are verified by the server and stored encrypted)')
    .requiredOption('--integration <slug>', 'gong, fireflies, clari_copilot, chorus, avoma, fathom, grain, …')
    .option('--credentials <json>', 'the integration\'s credential fields as a JSON object', parseJsonOption('--credentials'))
    .option('--credentials-file <path>', 'read the credentials JSON from a file instead (keeps secrets out of shell history)')
    .option('--sync <json>', 'sync settings, e.g. \'{"backfill_days": 30}\'', parseJsonOption('--sync'))
    .option('--json', 'print JSON')
    .action(async (opts: { integration: string; credentials?: Record<string, unknown>; credentialsFile?: string; sync?: Record<string, unknown>; json?: boolean }) => {
      let credentials = opts.credentials;
      if (opts.credentialsFile !== undefined) {
        if (credentials) throw new InvalidArgumentError('give --credentials or --credentials-file, not both');
        let text: string;
        try {
          text = readFileSync(opts.credentialsFile, 'utf8');
        } catch (e) {
          throw new InvalidArgumentError(`--credentials-file: cannot read ${opts.credentialsFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
        credentials = parseJsonOption('--credentials-file')(text);
      }
      if (!credentials) throw new InvalidArgumentError('--credentials <json> or --credentials-file <path> is required');
      const account = await remoteOf(io).request<Record<string, unknown>>('POST', '/integrated-accounts', {
        body: { integration: opts.integration, credentials, ...(opts.sync ? { sync: opts.sync } : {}) },
      });
      io.out(opts.json ? `${JSON.stringify(account, null, 2)}\n` : render([account], 'table'));
      done(0);
    });

  accounts
    .command('delete')
    .description('delete an integrated account and everything synced from it')
    .argument('<id>', 'the integrated account id')
    .action(async (id: string) => {
      await remoteOf(io).request('DELETE', `/integrated-accounts/${encodeURIComponent(id)}`);
      io.out(`deleted ${id}\n`);
      done(0);
    });

  accounts
    .command('sync')
    .description('start a sync run now; with --wait, show its progress and wait for its end (exit 1 if it fails)')
    .argument('<id>', 'the integrated account id')
    .option('--wait', 'wait for the run to end, with a progress bar on a terminal')
    .option('--timeout <seconds>', 'with --wait: give up (exit 1) after this long', positiveInt('--timeout'), 3600)
    .option('--interval <ms>', 'with --wait: how often to ask for progress', positiveInt('--interval', 60_000), 500)
    .option('--json', 'print the final sync status as JSON')
    .action(async (id: string, opts: { wait?: boolean; timeout: number; interval: number; json?: boolean }) => {
      const remote = remoteOf(io);
      const path = `/integrated-accounts/${encodeURIComponent(id)}/sync`;
      const before = await remote.request<SyncStatus>('GET', path);
      let status = await remote.request<SyncStatus>('POST', path);
      if (opts.wait) status = await waitForRun(io, remote.request.bind(remote), path, before, opts);
      io.out(opts.json ? `${JSON.stringify(status, null, 2)}\n` : describeStatus(id, status));
      if (!opts.wait) return done(0);
      done(status.status === 'failed' ? 1 : 0);
    });

  return accounts;
}

function describeStatus(id: string, s: SyncStatus): string {
  const counts = Object.entries(s.counts).map(([k, v]) => `${v} ${k}`).join(', ');
  const lines = [`${id}: ${s.status}${s.last_finished_at ? ` (last finished ${s.last_finished_at})` : ''}`, `stored: ${counts}`];
  if (s.progress) lines.push(`running: ${s.progress.stream}, ${s.progress.pages} pages, ${s.progress.records} records`);
  if (s.last_error) lines.push(`last error: ${s.last_error}`);
  return `${lines.join('\n')}\n`;
}

/** The run has ended once the account is no longer running and its last run finished after we asked. */
async function waitForRun(
  io: CliIo,
  request: <T>(method: 'GET', path: string) => Promise<T>,
  path: string,
  before: SyncStatus,
  opts: { timeout: number; interval: number },
): Promise<SyncStatus> {
  const deadline = Date.now() + opts.timeout * 1000;
  const bar = io.stderrIsTTY
    ? new cliProgress.SingleBar(
        { format: 'syncing {stream} {bar} {pages} pages | {records} records | {duration}s', stream: io.stderrStream, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  // the number of records is unknown until the run ends: the bar fills towards a moving goal
  bar?.start(1, 0, { stream: 'queued', pages: 0, records: 0 });
  let lastStream = '';
  try {
    for (;;) {
      const s = await request<SyncStatus>('GET', path);
      if (s.status === 'disabled') throw new ApiError(409, 'the account\'s sync is disabled');
      const ended = s.status !== 'running' && s.last_finished_at !== null && s.last_finished_at !== before.last_finished_at;
      if (ended) {
        bar?.update(bar.getTotal(), { stream: s.status, pages: s.progress?.pages ?? 0, records: s.progress?.records ?? 0 });
        return s;
      }
      if (!s.progress && !bar && lastStream === '') {
        io.err('waiting for the run to start (runs queue behind PARLEY_SYNC_CONCURRENCY others)\n');
        lastStream = 'queued';
      }
      if (s.progress) {
        if (bar) {
          const goal = Math.max(bar.getTotal(), Math.ceil(s.progress.records * 1.25) + 1);
          bar.setTotal(goal);
          bar.update(s.progress.records, { stream: s.progress.stream, pages: s.progress.pages, records: s.progress.records });
        } else if (s.progress.stream !== lastStream) {
          io.err(`syncing ${s.progress.stream}: ${s.progress.pages} pages, ${s.progress.records} records\n`);
        }
        lastStream = s.progress.stream;
      }
      if (Date.now() >= deadline) throw new ApiError(undefined, `the sync run did not end within ${opts.timeout} s (it goes on on the server)`);
      await sleep(opts.interval);
    }
  } finally {
    bar?.stop();
  }
}
