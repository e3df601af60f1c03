import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Command } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import { clockAt } from '../../src/domain/clock.js';
import { buildProgram, runCli } from '../../src/cli/program.js';
import type { CliIo } from '../../src/cli/io.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { startVendor, type VendorUnderTest } from '../sync/vendors.js';

/**
 * The `parley` CLI against a live server (a test Parley listening on loopback, the Gong simulator
 * behind it): every subcommand, its exit code (0 ok, 1 API error, 2 usage), --json parsed, --csv
 * read back with a CSV parser. Webhooks and Activity routes come from other branches: their
 * subcommands are tested against a stub of the contract's routes here, and against Parley itself
 * as soon as its /openapi.json has the route (until then, that the CLI fails cleanly on the 404).
 */
const NOW = Date.parse('2025-06-12T15:00:00Z');
const CI = '/unified/conversational-intelligence';

/** A loopback port nobody listens on (connections are refused). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Ran {
  code: number;
  out: string;
  err: string;
}

function io(env: NodeJS.ProcessEnv, extra: Partial<CliIo> = {}): { io: CliIo; result: () => Omit<Ran, 'code'> } {
  let out = '';
  let err = '';
  return {
    io: { out: (s) => (out += s), err: (s) => (err += s), env, ...extra },
    result: () => ({ out, err }),
  };
}

describe('parley CLI against a live server', () => {
  let t: TestParley;
  let gong: VendorUnderTest;
  let url: string;
  let accountId: string;
  let paths: Record<string, unknown> = {};

  async function cli(args: string[], env: NodeJS.ProcessEnv = {}, extra: Partial<CliIo> = {}): Promise<Ran> {
    const c = io({ PARLEY_URL: url, PARLEY_TOKEN: t.token, ...env }, extra);
    const code = await runCli(args, c.io);
    return { code, ...c.result() };
  }

  beforeAll(async () => {
    gong = await startVendor('gong', NOW);
    t = await startTestParley({}, { clock: clockAt(NOW) });
    url = await t.parley.app.listen({ port: 0, host: '127.0.0.1' });
    paths = (await t.call('GET', '/openapi.json')).body.paths;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await gong?.close();
  });

  it('every command and subcommand has --help (exit 0)', async () => {
    const names: string[][] = [];
    const walk = (cmd: Command, path: string[]) => {
      for (const sub of cmd.commands) {
        if (sub.name() === 'help') continue;
        names.push([...path, sub.name()]);
        walk(sub, [...path, sub.name()]);
      }
    };
    walk(buildProgram(io({}).io, () => {}), []);
    expect(names.map((n) => n.join(' '))).toEqual(
      expect.arrayContaining(['accounts list', 'accounts create', 'accounts delete', 'accounts sync', 'interactions', 'activity', 'token create', 'token list', 'token revoke', 'webhooks list', 'webhooks create', 'webhooks delete', 'compute', 'serve']),
    );
    for (const n of names) {
      const r = await cli([...n, '--help']);
      expect(r.code, n.join(' ')).toBe(0);
      expect(r.out, n.join(' ')).toMatch(new RegExp(`^Usage: parley ${n.join(' ')}`));
    }
    expect((await cli(['--help'])).out).toMatch(/Exit codes: 0 ok, 1 API or network error, 2 usage error/);
  });

  it('usage mistakes exit 2 and say what is wrong', async () => {
    const cases: [string[], RegExp][] = [
      [[], /Usage: parley/],
      [['nope'], /unknown command 'nope'/],
      [['accounts'], /Usage: parley accounts/],
      [['interactions', '--account', 'a', '--start', '2025-06-01'], /required option '--end <time>'/],
      [['interactions', '--account', 'a', '--start', 's', '--end', 'e', '--json', '--csv'], /cannot be used with/],
      [['interactions', '--account', 'a', '--start', 's', '--end', 'e', '--limit', '0'], /--limit must be a whole number from 1 to 1000/],
      [['interactions', '--account', 'a', '--start', 's', '--end', 'e', '--period', 'year'], /Allowed choices are day, week, month, total/],
      [['accounts', 'create', '--integration', 'gong', '--credentials', '[1]'], /--credentials must be a JSON object/],
      [['accounts', 'create', '--integration', 'gong'], /--credentials <json> or --credentials-file <path> is required/],
      [['accounts', 'delete'], /missing required argument 'id'/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
    const noToken = await cli(['accounts', 'list'], { PARLEY_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.err).toMatch(/PARLEY_TOKEN is not set/);
  });

  it('API and network errors exit 1 with the server\'s message', async () => {
    const badToken = await cli(['accounts', 'list'], { PARLEY_TOKEN: 'prl_nope' });
    expect(badToken.code).toBe(1);
    expect(badToken.err).toMatch(/401 Unknown API token/);
    const missing = await cli(['accounts', 'delete', 'no-such-account']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
    const refused = await cli(['accounts', 'create', '--integration', 'gong', '--credentials', '{"access_key": "k"}']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/400 .*access_key_secret/);
    const port = await closedPort();
    const unreachable = await cli(['accounts', 'list'], { PARLEY_URL: `http://127.0.0.1:${port}` });
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toContain(`cannot reach Parley at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('accounts create, list (table, --json, --csv) and sync --wait with a progress bar', async () => {
    const created = await cli(['accounts', 'create', '--integration', 'gong', '--credentials', JSON.stringify(gong.credentials), '--sync', '{"backfill_days": 5}', '--json']);
    expect(created.code, created.err).toBe(0);
    accountId = JSON.parse(created.out).id;
    expect(JSON.parse(created.out)).toMatchObject({ integration: 'gong', status: 'active' });

    const listed = await cli(['accounts', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.out) as { id: string }[]).map((a) => a.id)).toEqual([accountId]);
    const csv = parseCsv((await cli(['accounts', 'list', '--csv'])).out, { columns: true }) as Record<string, string>[];
    expect(csv).toEqual([expect.objectContaining({ id: accountId, integration: 'gong' })]);
    const table = await cli(['accounts', 'list']);
    expect(table.out).toContain(accountId);

    // a terminal on stderr: the bar is drawn there while the run goes
    let drawn = '';
    const tty = Object.assign(new Writable({ write: (c, _e, cb) => ((drawn += c), cb()) }), { isTTY: true, columns: 100 });
    const synced = await cli(['accounts', 'sync', accountId, '--wait', '--json', '--interval', '50', '--timeout', '60'], {}, { stderrIsTTY: true, stderrStream: tty });
    expect(synced.code, synced.err).toBe(0);
    const status = JSON.parse(synced.out);
    expect(status.status).toBe('idle');
    expect(status.last_finished_at).not.toBeNull();
    expect(status.counts.meetings).toBeGreaterThan(0);
    expect(drawn).toMatch(/syncing .*records/);

    const human = await cli(['accounts', 'sync', accountId]);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(new RegExp(`^${accountId}: (idle|running)`));
  }, 90_000);

  it('a sync that fails exits 1 with --wait', async () => {
    gong.faults.push({ kind: 'status', status: 401, times: 1000 });
    try {
      const r = await cli(['accounts', 'sync', accountId, '--wait', '--json', '--interval', '50', '--timeout', '60']);
      expect(r.code, r.err).toBe(1);
      expect(JSON.parse(r.out)).toMatchObject({ status: 'failed' });
    } finally {
      gong.faults.clear();
    }
  }, 90_000);

  it('interactions: --json is the API\'s records, --csv and the table show them', async () => {
    const query = `integrated_account_id=${accountId}&start_time=2025-06-02&end_time=2025-06-12&aggregation_period=week&include_remote_data=false`;
    const api = (await t.listAll(`${CI}/interactions?${query}`, 1000)).all;
    expect(api.length).toBeGreaterThan(0);
    const args = ['interactions', '--account', accountId, '--start', '2025-06-02', '--end', '2025-06-12', '--period', 'week'];
    const json = await cli([...args, '--json', '--limit', '3']);
    expect(json.code, json.err).toBe(0);
    expect(JSON.parse(json.out)).toEqual(api);
    const rows = parseCsv((await cli([...args, '--csv'])).out, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(api.length);
    expect(rows[0]).toMatchObject({ id: api[0].id, 'user.id': api[0].user.id, start_time: api[0].start_time });
    expect(Number(rows[0]!['metrics.patience'])).toBe(api[0].metrics.patience);
    const table = await cli(args);
    expect(table.out).toContain(api[0].user.name);
    expect(table.out).toMatch(/longest_monologue/);
    const capped = await cli([...args, '--json', '--max', '2', '--limit', '1']);
    expect(JSON.parse(capped.out)).toEqual(api.slice(0, 2));
    const oneUser = await cli([...args, '--json', '--user', api[0].user.id]);
    expect((JSON.parse(oneUser.out) as { user: { id: string } }[]).every((r) => r.user.id === api[0].user.id)).toBe(true);
  }, 60_000);

  it('token create, list and revoke over the API; a revoked token stops working', async () => {
    const created = await cli(['token', 'create', '--label', 'ci', '--json']);
    expect(created.code, created.err).toBe(0);
    const { id, token, label } = JSON.parse(created.out);
    expect(label).toBe('ci');
    expect(token).toMatch(/^prl_/);
    const listed = JSON.parse((await cli(['token', 'list', '--json'])).out) as { id: string; label: string }[];
    expect(listed).toContainEqual(expect.objectContaining({ id, label: 'ci' }));
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await cli(['accounts', 'list'], { PARLEY_TOKEN: token })).code).toBe(0);
    const revoked = await cli(['token', 'revoke', id]);
    expect(revoked.code).toBe(0);
    expect((await cli(['accounts', 'list'], { PARLEY_TOKEN: token })).code).toBe(1);
    expect((await cli(['token', 'revoke', id])).code).toBe(1);
  });

  it('accounts delete', async () => {
    const r = await cli(['accounts', 'delete', accountId]);
    expect(r.code).toBe(0);
    expect(JSON.parse((await cli(['accounts', 'list', '--json'])).out)).toEqual([]);
  });

  it('compute runs as before under the new command tree', async () => {
    const r = await cli(['compute', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: parley compute --start S --end E/);
    expect((await cli(['compute', '--start', 'x'])).code).toBe(2);
  });

  it('webhooks against Parley itself: create, list, delete', async () => {
    expect(paths).toHaveProperty(['/webhooks']);
    const created = await cli(['webhooks', 'create', '--url', 'https://hooks.example.com/parley', '--event', 'sync.completed', '--json']);
    expect(created.code, created.err).toBe(0);
    const { id } = JSON.parse(created.out);
    expect((JSON.parse((await cli(['webhooks', 'list', '--json'])).out) as { id: string }[]).map((h) => h.id)).toContain(id);
    expect((await cli(['webhooks', 'delete', id])).code).toBe(0);
  });

  it('activity against Parley itself: the API\'s records, and a clean exit 1 naming an unknown account', async () => {
    const missing = await cli(['activity', '--account', 'no-such-account', '--start', '2025-06-02', '--end', '2025-06-12', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/404/);
    const created = await t.call('POST', '/integrated-accounts', { integration: 'gong', credentials: gong.credentials });
    const query = `integrated_account_id=${created.body.id}&start_time=2025-06-02&end_time=2025-06-12&aggregation_period=week&include_remote_data=false`;
    const api = (await t.listAll(`${CI}/activity?${query}`, 1000)).all;
    expect(api.length, 'the Gong simulator reports activity in these weeks').toBeGreaterThan(0);
    const r = await cli(['activity', '--account', created.body.id, '--start', '2025-06-02', '--end', '2025-06-12', '--period', 'week', '--json']);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual(api);
  });
});

describe('webhooks and activity subcommands against the contract\'s routes (a stub server)', () => {
  let stub: FastifyInstance;
  let url: string;
  const seen: { method: string; url: string; body?: unknown }[] = [];
  const hooks: Record<string, unknown>[] = [];

  beforeAll(async () => {
    stub = Fastify();
    stub.addHook('onRequest', async (req, reply) => {
      if (req.headers.authorization !== 'Bearer stub-token') return reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'Unknown API token.' });
    });
    stub.addHook('preHandler', async (req) => {
      seen.push({ method: req.method, url: req.url, body: req.body });
    });
    stub.post('/webhooks', async (req, reply) => {
      const body = req.body as { url: string; events: string[] };
      const hook = { id: `wh_${hooks.length + 1}`, url: body.url, events: body.events, secret: 'whsec_shown_once', created_at: '2025-06-12T15:00:00.000Z' };
      hooks.push(hook);
      return reply.code(201).send(hook);
    });
    stub.get('/webhooks', async () => ({ result: hooks.map(({ secret: _s, ...h }) => h), next_cursor: null, result_count: hooks.length }));
    stub.delete('/webhooks/:id', async (req, reply) => {
      const i = hooks.findIndex((h) => h.id === (req.params as { id: string }).id);
      if (i === -1) return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'No webhook with that id.' });
      hooks.splice(i, 1);
      return reply.code(204).send();
    });
    stub.get(`${CI}/activity`, async (req) => {
      const q = req.query as Record<string, string>;
      const page = q.next_cursor ? 2 : 1;
      const record = (n: number) => ({
        id: `act_${n}`,
        user: { id: `u${n}`, name: `Rep ${n}`, emails: [{ email: `rep${n}@example.com`, is_primary: true }] },
        start_time: '2025-06-02T00:00:00.000Z',
        end_time: '2025-06-09T00:00:00.000Z',
        aggregation_period: q.aggregation_period,
        metrics: { calls_hosted: n, calls_attended: n + 1 },
      });
      return page === 1 ? { result: [record(1)], next_cursor: 'c2', result_count: 1 } : { result: [record(2)], next_cursor: null, result_count: 1 };
    });
    url = await stub.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => stub?.close());

  async function cli(args: string[]): Promise<Ran> {
    const c = io({ PARLEY_URL: url, PARLEY_TOKEN: 'stub-token' });
    const code = await runCli(args, c.io);
    return { code, ...c.result() };
  }

  it('webhooks create, list, delete send the contract\'s requests', async () => {
    const created = await cli(['webhooks', 'create', '--url', 'https://hooks.example.com/p', '--event', 'sync.completed', 'sync.failed', '--json']);
    expect(created.code, created.err).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ id: 'wh_1', secret: 'whsec_shown_once' });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/webhooks', body: { url: 'https://hooks.example.com/p', events: ['sync.completed', 'sync.failed'] } });
    const table = await cli(['webhooks', 'create', '--url', 'https://hooks.example.com/q', '--event', 'meeting.created']);
    expect(table.out).toMatch(/The secret is shown only once/);
    const listed = JSON.parse((await cli(['webhooks', 'list', '--json'])).out) as { id: string }[];
    expect(listed.map((h) => h.id)).toEqual(['wh_1', 'wh_2']);
    expect((await cli(['webhooks', 'delete', 'wh_1'])).code).toBe(0);
    expect(seen.at(-1)).toMatchObject({ method: 'DELETE', url: '/webhooks/wh_1' });
    const gone = await cli(['webhooks', 'delete', 'wh_1']);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/404 No webhook with that id/);
    expect((await cli(['webhooks', 'create', '--url', 'https://x.example'])).code).toBe(2);
  });

  it('activity follows every page and prints JSON, CSV and a table', async () => {
    const args = ['activity', '--account', 'acc_1', '--start', '2025-06-02', '--end', '2025-06-12', '--period', 'week'];
    const json = await cli([...args, '--json']);
    expect(json.code, json.err).toBe(0);
    expect((JSON.parse(json.out) as { id: string }[]).map((r) => r.id)).toEqual(['act_1', 'act_2']);
    const first = seen.find((s) => s.url.startsWith(`${CI}/activity`))!;
    const q = new URL(first.url, url).searchParams;
    expect(Object.fromEntries(q)).toMatchObject({ integrated_account_id: 'acc_1', start_time: '2025-06-02', end_time: '2025-06-12', aggregation_period: 'week' });
    const rows = parseCsv((await cli([...args, '--csv'])).out, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r['user.email'], r['metrics.calls_hosted']])).toEqual([['rep1@example.com', '1'], ['rep2@example.com', '2']]);
    const table = await cli(args);
    expect(table.out).toMatch(/calls_hosted/);
    expect(table.out).toContain('Rep 2');
  });
});

describe('the parley executable', () => {
  it('serve runs the API until SIGTERM, then exits 0', async () => {
    const port = await closedPort();
    const dir = mkdtempSync(join(tmpdir(), 'parley-cli-serve-'));
    const child = spawn(process.execPath, [fileURLToPath(new URL('../../bin/parley.js', import.meta.url)), 'serve'], {
      cwd: dir,
      env: { PATH: process.env.PATH, PORT: String(port), HOST: '127.0.0.1', PARLEY_SANDBOX: 'false', PARLEY_LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    try {
      let status = 0;
      for (let i = 0; i < 200 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
      }
      expect(status).toBe(200);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('exits 0, 1 and 2 as documented', async () => {
    const port = await closedPort();
    const run = (args: string[], env: NodeJS.ProcessEnv) =>
      spawnSync(process.execPath, ['bin/parley.js', ...args], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 });
    expect(run(['token', '--help'], {}).status).toBe(0);
    const refused = run(['accounts', 'list'], { PARLEY_URL: `http://127.0.0.1:${port}`, PARLEY_TOKEN: 'x' });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/ECONNREFUSED/);
    const usage = run(['accounts', 'list', '--bogus'], {});
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/unknown option '--bogus'/);
  }, 60_000);
});
