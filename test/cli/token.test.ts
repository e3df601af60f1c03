import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { runTokenCommand } from '../../src/cli/token.js';
import { openDatabase } from '../../src/store/db.js';
import { createStore } from '../../src/store/repositories.js';

const dir = mkdtempSync(join(tmpdir(), 'parley-token-'));
const env = { PARLEY_DATABASE_URL: `sqlite:${join(dir, 'p.db')}`, PARLEY_SECRET_KEY: randomBytes(32).toString('hex') };
const saved = { ...process.env };
afterAll(() => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

describe('parley token create', () => {
  it('prints a token of a new tenant, stored only as a hash', async () => {
    Object.assign(process.env, env);
    const r = await runTokenCommand(['create', '--tenant', 'Acme']);
    expect(r.exitCode, r.stderr).toBe(0);
    const { tenant_id, token } = JSON.parse(r.stdout) as { tenant_id: string; token: string };
    expect(token).toMatch(/^prl_/);
    const db = openDatabase(env.PARLEY_DATABASE_URL);
    const store = createStore(db, Buffer.from(env.PARLEY_SECRET_KEY, 'hex'));
    expect(await store.tokens.tenantOf(token)).toBe(tenant_id);
    await store.close();
    expect(readFileSync(join(dir, 'p.db')).includes(token)).toBe(false);
    const other = JSON.parse((await runTokenCommand(['create'])).stdout) as { tenant_id: string };
    expect(other.tenant_id).toBe('default');
  });
  it('exits 2 with usage on bad arguments', async () => {
    for (const args of [[], ['delete'], ['create', '--nope'], ['create', 'extra']]) {
      const r = await runTokenCommand(args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/parley token|Usage/);
    }
  });
});
