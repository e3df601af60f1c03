import { ParleyRemote } from './remote.js';

/** What a command reads and writes: the real process in `parley`, buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** whether stderr is a terminal (the sync progress bar draws only there) */
  stderrIsTTY?: boolean;
  stderrStream?: NodeJS.WritableStream;
  fetch?: typeof fetch;
  stdin?: () => AsyncIterable<Buffer>;
}

export function remoteOf(io: CliIo): ParleyRemote {
  return ParleyRemote.fromEnv(io.env, io.fetch);
}

/** A command's result: the process exit code (0 ok, 1 API error, 2 usage). */
export type ExitCode = 0 | 1 | 2;
