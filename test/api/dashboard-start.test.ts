import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/**
 * The newcomer's path (issue 13, "Done when"): `npm start` in an empty folder, the dashboard URL and
 * the token from its banner, and the sandbox reps' chart on screen within a minute. The sandbox
 * reads the real calendar here, as `npm start` does; nothing below depends on which day it is.
 */
const CHROMIUM = '/usr/bin/chromium';
const required = process.env.PARLEY_REQUIRE_SERVICES === 'true';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  const why = `${CHROMIUM} is missing (apt-get install -y chromium)`;
  if (required) throw new Error(`${why} (PARLEY_REQUIRE_SERVICES=true: this suite must not skip)`);
  console.warn(`skipping the npm start dashboard test: ${why}`);
}

const ROOT = join(import.meta.dirname, '..', '..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.skipIf(!haveChromium)('npm start → the dashboard from the banner', () => {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'parley-start-'));

  afterAll(async () => {
    await browser?.close();
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      process.kill(-child.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('prints the dashboard URL and how to sign in; the page shows the sandbox reps within a minute', async () => {
    const port = await freePort();
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PARLEY_') && k !== 'NODE_ENV' && k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')));
    child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), [join(ROOT, 'src', 'main.ts')], {
      cwd: dir,
      env: { ...env, PORT: String(port), HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'warn' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (b) => (out += String(b)));
    child.stderr!.on('data', (b) => (out += String(b)));
    const started = Date.now();
    for (;;) {
      if (/Dashboard: .*\n[\s\S]*API token: prl_\S+/.test(out)) break;
      if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`no banner:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const dashboard = /Dashboard: (http:\/\/\S+) \(sign in with the API token printed below\)/.exec(out)?.[1];
    const token = /API token: (prl_\S+)/.exec(out)?.[1];
    expect(dashboard, out).toBe(`http://localhost:${port}/dashboard`);
    expect(token).toBeDefined();

    // the browser and the server share the real calendar (the dashboard's default range is the browser's recent weeks)
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, env: env as Record<string, string>, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // the banner says localhost; the server listens on 127.0.0.1 here
    await page.goto(dashboard!.replace('localhost', '127.0.0.1'));
    await page.getByLabel('API token').fill(token!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(
      () => ((window as any).parleyDashboard?.chart()?.data.datasets ?? []).some((d: any) => d.data.some((v: unknown) => typeof v === 'number')),
      undefined,
      { timeout: 60_000 - (Date.now() - started) },
    );
    const reps = await page.locator('#reps-table tbody tr').count();
    expect(reps).toBeGreaterThan(0);
    expect(Date.now() - started, 'from npm start to the chart').toBeLessThan(60_000);
  }, 90_000);
});
