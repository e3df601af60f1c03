import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

/**
 * `npm start` as real processes in one directory: a second start on the same port must fail without
 * touching what the first one runs with (its sandbox token, its accounts, its simulators), and a
 * restart keeps the sandbox token. Nothing here depends on the date: the assertions read users and
 * accounts, not calendar data.
 */
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const cwd = mkdtempSync(join(tmpdir(), 'parley-serve-'));
const running: ChildProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(port: number): Started {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'warn' };
  const child = spawn(process.execPath, ['--import', TSX, MAIN], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

async function tokenOf(p: Started): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const m = /API token: (prl_\S+)/.exec(p.stdout());
    if (m) return m[1]!;
    if (p.child.exitCode !== null) throw new Error(`parley exited: ${p.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no token printed: ${p.stdout()} ${p.stderr()}`);
}

async function get(port: number, path: string, token: string): Promise<{ status: number; body: any }> {
  const res = await request(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.statusCode, body: await res.body.json() };
}

afterAll(async () => {
  for (const c of running) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

describe('npm start in one directory', () => {
  it('a second start on a taken port fails with one line and leaves the first instance working; a restart keeps the token', async () => {
    const port = await freePort();
    const a = start(port);
    const token = await tokenOf(a);
    const users = `/unified/conversational-intelligence/users?integrated_account_id=sandbox-gong&limit=2`;
    expect((await get(port, users, token)).status).toBe(200);

    const b = start(port);
    const code = await b.exited;
    expect(code).not.toBe(0);
    const lines = b.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^parley: cannot listen on port \d+: /);

    // the first instance's token still answers, and its accounts still reach its own simulators
    const after = await get(port, users, token);
    expect(after.status, JSON.stringify(after.body)).toBe(200);
    expect(after.body.result.length).toBeGreaterThan(0);
    expect((await get(port, '/integrated-accounts/sandbox-avoma', token)).status).toBe(200);
    const avoma = await get(port, '/unified/conversational-intelligence/users?integrated_account_id=sandbox-avoma&limit=1', token);
    expect(avoma.status, JSON.stringify(avoma.body)).toBe(200);

    a.child.kill('SIGTERM');
    expect(await a.exited).toBe(0);
    const again = start(port);
    expect(await tokenOf(again)).toBe(token);
    const restarted = await get(port, users, token);
    expect(restarted.status, JSON.stringify(restarted.body)).toBe(200);
    again.child.kill('SIGTERM');
    await again.exited;
  }, 120_000);
});
