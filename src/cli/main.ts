import { runCli } from './program.js';

/** The `parley` executable: the real process's streams and environment around runCli. */

function openStdin(): AsyncIterable<Buffer> {
  if (process.stdin.isTTY) throw Object.assign(new Error('stdin is a terminal'), { code: 'ENOINPUT' });
  return process.stdin;
}

// `parley accounts list | head`: a reader that stops early is not an error
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

// Only a bug reaches this catch: report it on one line, keep the stack for PARLEY_DEBUG=1.
try {
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
    stderrIsTTY: process.stderr.isTTY,
    stderrStream: process.stderr,
    stdin: openStdin,
  });
} catch (e) {
  process.stderr.write(`parley: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.PARLEY_DEBUG === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  process.exitCode = 1;
}
