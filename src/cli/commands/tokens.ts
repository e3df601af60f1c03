import { Command } from 'commander';
import { remoteOf, type CliIo, type ExitCode } from '../io.js';
import { formatOf, render } from '../output.js';
import { runTokenCommand } from '../token.js';

/**
 * `parley token create|list|revoke`. Over the API (PARLEY_URL, PARLEY_TOKEN) a token manages the
 * tokens of its own tenant. `create --tenant NAME` (a new tenant) and `create --local` write the
 * database directly, configured like the server (PARLEY_DATABASE_URL, PARLEY_SECRET_KEY): an
 * operator's act on the server's machine, as before the API existed.
 */
export function tokenCommand(io: CliIo, done: (code: ExitCode) => void): Command {
  const token = new Command('token').description('API tokens: create, list, revoke');

  token
    .command('create')
    .description('create an API token (printed once; stored hashed)')
    .option('--label <label>', 'what the token is for')
    .option('--tenant <name>', 'create a new tenant with this name and its first token (database access, not API)')
    .option('--local', 'write the local database instead of calling the API (the default tenant)')
    .option('--json', 'print JSON')
    .action(async (opts: { label?: string; tenant?: string; local?: boolean; json?: boolean }) => {
      if (opts.tenant !== undefined || opts.local) {
        const args = ['create', ...(opts.tenant !== undefined ? ['--tenant', opts.tenant] : []), ...(opts.label ? ['--label', opts.label] : [])];
        const r = await runTokenCommand(args);
        io.out(r.stdout);
        io.err(r.stderr);
        return done(r.exitCode === 0 ? 0 : r.exitCode === 2 ? 2 : 1);
      }
      const created = await remoteOf(io).request<Record<string, unknown>>('POST', '/api-tokens', { body: opts.label ? { label: opts.label } : {} });
      io.out(opts.json ? `${JSON.stringify(created, null, 2)}\n` : `${render([created], 'table')}The token is shown only once.\n`);
      done(0);
    });

  token
    .command('list')
    .description('list your tenant\'s API tokens (ids and labels; never the tokens)')
    .option('--json', 'print JSON')
    .option('--csv', 'print CSV')
    .action(async (opts: { json?: boolean; csv?: boolean }) => {
      const tokens = await remoteOf(io).listAll<Record<string, unknown>>('/api-tokens', {}, { limit: 1000 });
      io.out(render(tokens, formatOf(opts)));
      done(0);
    });

  token
    .command('revoke')
    .description('revoke an API token by id (it stops working at once)')
    .argument('<id>', 'the token\'s id, from `parley token list`')
    .action(async (id: string) => {
      await remoteOf(io).request('DELETE', `/api-tokens/${encodeURIComponent(id)}`);
      io.out(`revoked ${id}\n`);
      done(0);
    });

  return token;
}
