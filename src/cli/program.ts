import { Command, CommanderError } from 'commander';
import { runCompute } from './compute.js';
import { ApiError, SetupError } from './remote.js';
import type { CliIo, ExitCode } from './io.js';
import { accountsCommand } from './commands/accounts.js';
import { activityCommand, interactionsCommand } from './commands/reports.js';
import { tokenCommand } from './commands/tokens.js';
import { webhooksCommand } from './commands/webhooks.js';

/**
 * The `parley` command tree (commander: every command and subcommand answers `--help`).
 * Exit codes: 0 ok, 1 the API (or the network) refused or failed, 2 usage or setup error.
 */

export const EXIT = { ok: 0, apiError: 1, usage: 2 } as const;

export function buildProgram(io: CliIo, done: (code: ExitCode) => void): Command {
  const program = new Command('parley')
    .description('Parley: the unified conversational intelligence API, from the command line.\nServer commands read PARLEY_URL (default http://localhost:8080) and PARLEY_TOKEN.')
    .addHelpText('after', '\nExit codes: 0 ok, 1 API or network error, 2 usage error.')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  for (const make of [accountsCommand, interactionsCommand, activityCommand, tokenCommand, webhooksCommand]) program.addCommand(make(io, done));

  program
    .command('compute')
    .description('compute Interactions from normalized calls (JSON on stdin or --input); see parley compute --help')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[args...]')
    .action(async (args: string[]) => {
      const r = await runCompute(args, io.stdin ?? (() => { throw Object.assign(new Error('no stdin'), { code: 'ENOINPUT' }); }));
      io.out(r.stdout);
      io.err(r.stderr);
      done(r.exitCode as ExitCode);
    });

  program
    .command('serve')
    .description('run the API server (what `npm start` runs); configured by environment variables')
    .action(async () => {
      const { serve } = await import('../main.js');
      await serve();
      await new Promise<never>(() => {}); // runs until a signal stops it
    });

  program
    .command('worker')
    .description('run sync jobs and webhook deliveries without HTTP (PARLEY_ROLE=worker); with PARLEY_REDIS_URL, alongside other workers')
    .action(async () => {
      const { runWorker } = await import('../worker.js');
      await runWorker();
      await new Promise<never>(() => {}); // runs until a signal stops it
    });

  // every command (and its subcommands) shares the output and exit handling of the program
  const inherit = (cmd: Command) => {
    for (const sub of cmd.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}

/** Runs one command line; resolves to the exit code, never throws for a user's mistake or an API error. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let code: ExitCode = 0;
  const program = buildProgram(io, (c) => (code = c));
  if (argv.length === 0) {
    io.err(program.helpInformation());
    return EXIT.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
      // commander has already printed its own message for parse errors; an error thrown in an action has not
      if (e.code === 'commander.invalidArgument' && !e.message.startsWith('error:')) io.err(`parley: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof SetupError) {
      io.err(`parley: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof ApiError) {
      io.err(`parley: ${e.message}\n`);
      return EXIT.apiError;
    }
    throw e;
  }
}
