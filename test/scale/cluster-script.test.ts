import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { dropPostgresSchema, dropRedisPrefix, freshPostgresSchema, freshRedisPrefix, postgresAvailable, redisAvailable, REDIS_URL } from '../helpers/services.js';
import { waitFor } from './cluster.js';

/**
 * `scripts/cluster.sh` as a user runs it: two api and two worker processes on the local Postgres and
 * Redis. A sync asked for through one api process is run by a worker (the api processes run none),
 * and SIGTERM stops every process the script started.
 */
const SCRIPT = new URL('../../scripts/cluster.sh', import.meta.url).pathname;
const pgOk = await postgresAvailable();
const redisOk = await redisAvailable();
const ready = pgOk.ok && redisOk.ok;
const schema = `w9scale_script_${process.pid}_${Date.now().toString(36)}`;
const prefix = freshRedisPrefix('script');
let sim: GongSimulator | undefined;
const logs = mkdtempSync(join(tmpdir(), 'parley-cluster-logs-'));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

afterAll(async () => {
  rmSync(logs, { recursive: true, force: true });
  await sim?.close();
  if (ready) {
    await dropPostgresSchema(schema).catch(() => {});
    await dropRedisPrefix(prefix);
  }
});

describe.skipIf(!ready)('scripts/cluster.sh', () => {
  it('starts two api and two workers; a sync asked for via an api process is run by a worker; SIGTERM stops all', { timeout: 120_000 }, async () => {
    // the script's processes read the real clock, so the simulator does too (nothing asserted depends on the date)
    sim = await startGongSimulator({ ratePerSecond: 10, perDay: Infinity });
    const ports = [await freePort(), await freePort()];
    const token = `clu_${randomBytes(12).toString('hex')}`;
    const child = spawn('bash', [SCRIPT], {
      env: {
        // the script and its processes run on the real clock (a faked one, LD_PRELOAD'ed into every
        // child, hangs redis-cli's probe); nothing asserted here depends on the date
        ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME'))),
        API_PORTS: ports.join(' '),
        WORKERS: '2',
        PARLEY_DATABASE_URL: await freshPostgresSchema(schema),
        PARLEY_REDIS_URL: REDIS_URL,
        PARLEY_REDIS_PREFIX: prefix,
        PARLEY_SECRET_KEY: randomBytes(32).toString('hex'),
        PARLEY_BOOTSTRAP_TOKEN: token,
        PARLEY_ALLOW_PRIVATE_UPSTREAMS: 'true',
        PARLEY_LOG_LEVEL: 'info',
        CLUSTER_LOG_DIR: logs,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout!.on('data', (d) => (out += String(d)));
    child.stderr!.on('data', (d) => (out += String(d)));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      await waitFor(`the cluster banner:\n${out}`, () => out.includes('Ctrl-C stops everything'), 90_000, 200);
      for (const port of ports) expect(out).toContain(`http://127.0.0.1:${port}`);
      const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const created = await fetch(`http://127.0.0.1:${ports[0]}/integrated-accounts`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ integration: 'gong', credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url }, sync: { backfill_days: 2 } }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const asked = await fetch(`http://127.0.0.1:${ports[1]}/integrated-accounts/${id}/sync`, { method: 'POST', headers: auth, body: '{}' });
      expect(asked.status).toBeLessThan(300);
      let status: { status?: string; last_finished_at?: string | null } = {};
      await waitFor(
        'the sync to finish',
        async () => {
          const res = await fetch(`http://127.0.0.1:${ports[0]}/integrated-accounts/${id}/sync`, { headers: auth });
          status = (await res.json()) as typeof status;
          return Boolean(status.last_finished_at) && status.status === 'idle';
        },
        60_000,
        300,
      );
      expect(status.status).toBe('idle');
      // a worker ran it, once; the api processes run none
      const lines = (prefix: string) => readdirSync(logs).filter((f) => f.startsWith(prefix)).flatMap((f) => readFileSync(join(logs, f), 'utf8').split('\n'));
      expect(lines('worker-').filter((l) => l.includes('"sync run completed"') && l.includes(id))).toHaveLength(1);
      expect(lines('api-').filter((l) => l.includes('"sync run started"'))).toHaveLength(0);
    } finally {
      process.kill(child.pid!, 'SIGTERM');
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    }
    // every process of the group (api, workers) is gone
    await waitFor('the group to be gone', () => {
      try {
        process.kill(-child.pid!, 0);
        return false;
      } catch {
        return true;
      }
    }, 15_000);
  });
});
