import { spawn, type ChildProcess } from 'node:child_process';

/** A Parley child process of a test cluster (see fixtures/parley-process.ts) and what it printed. */
export interface ClusterProcess {
  child: ChildProcess;
  out: string[];
  port?: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** JSON log lines with this `msg` */
  logged(msg: string): Record<string, unknown>[];
}

const FIXTURE = new URL('./fixtures/parley-process.ts', import.meta.url).pathname;

export async function startProcess(options: Record<string, unknown>, readyWithinMs = 30_000): Promise<ClusterProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  let partial = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const proc: ClusterProcess = {
    child,
    out,
    exited,
    logged(msg) {
      return out.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === msg);
    },
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child not ready within ${readyWithinMs} ms:\n${out.join('\n')}`)), readyWithinMs);
    const onData = (d: Buffer) => {
      const lines = (partial + String(d)).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        out.push(line);
        const m = /^listening (\d+)$/.exec(line);
        if (m) proc.port = Number(m[1]);
        if (line.startsWith('ready ')) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => out.push(String(d)));
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code ?? signal}) before it was ready:\n${out.join('\n')}`));
    });
  });
  return proc;
}

export async function stopProcess(p: ClusterProcess): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 10_000);
  await p.exited;
  clearTimeout(timer);
}

export async function waitFor(what: string, check: () => boolean | Promise<boolean>, withinMs: number, everyMs = 100): Promise<void> {
  const until = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
