import { Command } from 'commander';
import { remoteOf, type CliIo, type ExitCode } from '../io.js';
import { formatOf, render } from '../output.js';

/** `parley webhooks list|create|delete`, over the routes of CONTRACT.md "Webhooks (push)". */
export function webhooksCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  const webhooks = new Command('webhooks').description('webhooks: list, create, delete');

  webhooks
    .command('list')
    .description('list your tenant\'s webhooks')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action(async (opts: { json?: boolean; csv?: boolean }) => {
      const hooks = await remoteOf(io).listAll<Record<string, unknown>>('/webhooks', {}, { limit: 1000 });
      io.out(render(hooks, formatOf(opts), ['id', 'url', 'events', 'created_at']));
      done(0);
    });

  webhooks
    .command('create')
    .description('subscribe a URL to events (the signing secret is printed once)')
    .requiredOption('--url <url>', 'where Parley POSTs events')
    .requiredOption('--event <type...>', 'meeting.created, transcript.created, interactions.updated, sync.completed, sync.failed, integrated_account.status_changed')
    .option('--json', 'print JSON')
    .action(async (opts: { url: string; event: string[]; json?: boolean }) => {
      const hook = await remoteOf(io).request<Record<string, unknown>>('POST', '/webhooks', { body: { url: opts.url, events: opts.event } });
      io.out(opts.json ? `${JSON.stringify(hook, null, 2)}\n` : `${render([hook], 'table')}The secret is shown only once.\n`);
      done(0);
    });

  webhooks
    .command('delete')
    .description('delete a webhook')
    .argument('<id>', 'the webhook id')
    .action(async (id: string) => {
      await remoteOf(io).request('DELETE', `/webhooks/${encodeURIComponent(id)}`);
      io.out(`deleted ${id}\n`);
      done(0);
    });

  return webhooks;
}
