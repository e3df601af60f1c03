import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';

/** `parley worker` without Redis: runs the in-process scheduler, serves no HTTP, stays up until SIGTERM. */
const BIN = new URL('../../bin/parley.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'parley-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parley worker', () => {
  it('starts, stays up (nothing else holds the process open) and stops cleanly on SIGTERM', { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [BIN, 'worker'], {
      env: { ...process.env, PARLEY_DATABASE_URL: `sqlite:${join(dir, 'p.db')}`, PARLEY_SECRET_KEY: randomBytes(32).toString('hex'), PARLEY_REDIS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    child.stderr!.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const until = Date.now() + 40_000;
    while (!out.includes('Parley worker') && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('in-process scheduler (no PARLEY_REDIS_URL); no HTTP');
    await new Promise((r) => setTimeout(r, 1500));
    expect(child.exitCode, out).toBeNull();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
