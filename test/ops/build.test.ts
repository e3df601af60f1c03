import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

/**
 * `npm run build` compiles to JavaScript that starts with node alone (no TypeScript loader) and
 * answers; the start banner comes out whole before any log line. The Dockerfile and compose file
 * cannot be built here (no Docker): what they refer to is checked against the repository and the build.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cwd = mkdtempSync(join(tmpdir(), 'parley-prod-'));
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

afterAll(() => {
  child?.kill('SIGTERM');
  rmSync(cwd, { recursive: true, force: true });
});

describe('npm run build and the production start', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
  }, 250_000);

  it('builds dist/src/main.js and the compiled CLI answers --help', () => {
    expect(existsSync(join(ROOT, 'dist/src/main.js'))).toBe(true);
    expect(existsSync(join(ROOT, 'dist/sandbox/simulator-worker.js'))).toBe(true);
    expect(existsSync(join(ROOT, 'dist/reference/gong-openapi.json'))).toBe(true);
    const help = execFileSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'accounts', '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(help).toMatch(/Usage: parley accounts/);
    expect(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('dist/');
  });

  it('starts with node alone (sandbox simulators in their worker too), prints the banner whole, answers /health and /metrics', async () => {
    const port = await freePort();
    const token = `boot_${randomBytes(8).toString('hex')}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_SECRET_KEY: randomBytes(32).toString('hex'),
      PARLEY_BOOTSTRAP_TOKEN: token,
      PARLEY_SANDBOX: 'true',
      PARLEY_DATABASE_URL: `sqlite:${join(cwd, 'parley.db')}`,
    };
    // no --import, no tsx: plain node on the build
    child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (err += c));
    let health = 0;
    for (let i = 0; i < 300 && health !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${err}`);
      health = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
    }
    expect(health, err).toBe(200);
    for (let i = 0; i < 300 && !/# grain/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}`, 'x-request-id': 'build-test-1' } });
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('x-request-id')).toBe('build-test-1');
    expect(await metrics.text()).toMatch(/^parley_http_requests_total\{method="GET",route="\/health",status="200"\} \d+$/m);
    // the dashboard's files come with the build (no src/ in the image)
    const dashboard = await fetch(`http://127.0.0.1:${port}/dashboard/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain('<html');
    expect(existsSync(join(ROOT, 'dist/src/web/dashboard/index.html'))).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    // the banner is the first thing on stdout and no log line cuts through it
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^Parley listening on http:\/\/localhost:\d+/);
    const firstLog = lines.findIndex((l) => l.startsWith('{'));
    const lastBanner = lines.map((l) => l.startsWith('curl ')).lastIndexOf(true);
    expect(lastBanner).toBeGreaterThan(0);
    expect(firstLog).toBeGreaterThan(lastBanner);
    expect(lines.slice(firstLog).filter((l) => l !== '').every((l) => l.startsWith('{'))).toBe(true);
    expect(out).toContain('"request_id":"build-test-1"');
  }, 60_000);
});

describe('Dockerfile and compose.yaml', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('is multi-stage on Node 20, runs the build as a non-root user without a TypeScript loader', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s).toMatch(/^node:20[.\d]*-/);
    const runtime = stages[stages.length - 1]!;
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).not.toMatch(/^USER root$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
    expect(runtime).not.toMatch(/tsx/);
    expect(runtime).toMatch(/^ENV NODE_ENV=production/m);
  });

  it('copies only what exists, and what the build needs is not excluded by .dockerignore', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    expect(sources.length).toBeGreaterThan(3);
    for (const src of sources) {
      expect(existsSync(join(ROOT, src)), src).toBe(true);
      expect(ignored.includes(src), `${src} is in .dockerignore`).toBe(false);
    }
    const buildScript = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.build as string;
    expect(dockerfile).toContain('npm run build');
    expect(buildScript).toBe('node scripts/build.mjs');
  });

  it('compose runs an api and a worker of the image beside PostgreSQL and Redis', () => {
    const compose = parseYaml(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as {
      services: Record<string, { build?: string; image?: string; environment?: Record<string, string>; depends_on?: Record<string, unknown> }>;
    };
    const { api, worker, postgres, redis } = compose.services;
    expect(api?.environment?.PARLEY_ROLE).toBe('api');
    expect(worker?.environment?.PARLEY_ROLE).toBe('worker');
    for (const p of [api!, worker!]) {
      expect(p.build).toBe('.');
      expect(p.environment?.PARLEY_DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(p.environment?.PARLEY_REDIS_URL).toBe('redis://redis:6379');
      expect(p.environment?.PARLEY_SECRET_KEY).toMatch(/^\$\{PARLEY_SECRET_KEY:\?/);
      expect(Object.keys(p.depends_on ?? {}).sort()).toEqual(['postgres', 'redis']);
    }
    expect(postgres?.image).toMatch(/^postgres:/);
    expect(redis?.image).toMatch(/^redis:/);
  });
});
