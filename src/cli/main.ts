import { runCompute } from './compute.js';
import { runTokenCommand } from './token.js';

/**
 * The `parley` command. Each subcommand is one entry of `SUBCOMMANDS`; a subcommand writes its own
 * output (a server streams logs for as long as it runs) and resolves to the process exit code.
 */

export interface Subcommand {
  /** one line for `parley --help` */
  summary: string;
  run(args: readonly string[]): Promise<number>;
}

export const SUBCOMMANDS = new Map<string, Subcommand>([
  [
    'compute',
    {
      summary: 'compute Interactions from normalized calls (JSON on stdin or --input)',
      async run(args) {
        const r = await runCompute(args, openStdin);
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        return r.exitCode;
      },
    },
  ],
  [
    'serve',
    {
      summary: 'run the API server (what `npm start` runs); configured by environment variables',
      async run() {
        const { serve } = await import('../main.js');
        await serve();
        return new Promise<number>(() => {}); // runs until a signal stops it
      },
    },
  ],
  [
    'worker',
    {
      summary: 'run sync jobs without HTTP (PARLEY_ROLE=worker); with PARLEY_REDIS_URL, alongside other workers',
      async run() {
        const { runWorker } = await import('../worker.js');
        await runWorker();
        return new Promise<number>(() => {}); // runs until a signal stops it
      },
    },
  ],
  [
    'token',
    {
      summary: 'token create [--tenant NAME]: print a new API token (of a new tenant with --tenant)',
      async run(args) {
        const r = await runTokenCommand(args);
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        return r.exitCode;
      },
    },
  ],
]);

function usage(): string {
  const width = Math.max(...[...SUBCOMMANDS.keys()].map((k) => k.length));
  const lines = [...SUBCOMMANDS].map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: parley <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nparley <command> --help shows the options of a command.`;
}

function openStdin(): AsyncIterable<Buffer> {
  if (process.stdin.isTTY) throw Object.assign(new Error('stdin is a terminal'), { code: 'ENOINPUT' });
  return process.stdin;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(`${usage()}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const command = SUBCOMMANDS.get(name);
  if (command === undefined) {
    process.stderr.write(`parley: unknown command ${JSON.stringify(name)}\n${usage()}\n`);
    return 2;
  }
  return command.run(rest);
}

// Only a bug reaches this catch: report it on one line, keep the stack for PARLEY_DEBUG=1.
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`parley: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.PARLEY_DEBUG === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exitCode = 1;
}
