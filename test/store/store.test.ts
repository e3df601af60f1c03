import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase, migrateToLatest } from '../../src/store/db.js';
import { createStore, DEFAULT_TENANT_ID, type Store } from '../../src/store/repositories.js';
import { dropPostgresSchema, freshPostgresSchema, postgresAvailable } from '../helpers/services.js';

/** The same store contract on both dialects: switching is a configuration change. */
async function storeContract(store: Store) {
  await store.tenants.ensure(DEFAULT_TENANT_ID, 'Default');
  await store.tenants.ensure(DEFAULT_TENANT_ID, 'Default'); // idempotent
  const other = await store.tenants.create('Other');

  const token = await store.tokens.issue(DEFAULT_TENANT_ID, 'test');
  expect(await store.tokens.tenantOf(token)).toBe(DEFAULT_TENANT_ID);
  expect(await store.tokens.tenantOf(`${token}x`)).toBeUndefined();
  await store.tokens.register(other.id, 'fixed-token', 'bootstrap');
  await store.tokens.register(other.id, 'fixed-token', 'bootstrap');
  expect(await store.tokens.tenantOf('fixed-token')).toBe(other.id);
  await store.tokens.revokeLabel(DEFAULT_TENANT_ID, 'test');
  expect(await store.tokens.tenantOf(token)).toBeUndefined();

  const created = [];
  for (let i = 0; i < 5; i++) {
    created.push(await store.accounts.create({ tenantId: DEFAULT_TENANT_ID, integration: 'gong', credentials: { access_key: `k${i}`, access_key_secret: 'very-secret' } }));
  }
  const full = await store.accounts.getWithCredentials(DEFAULT_TENANT_ID, created[0]!.id);
  expect(full?.credentials).toEqual({ access_key: 'k0', access_key_secret: 'very-secret' });
  expect(await store.accounts.get(other.id, created[0]!.id)).toBeUndefined();

  const page1 = await store.accounts.list(DEFAULT_TENANT_ID, 3);
  const last = page1[2]!;
  const page2 = await store.accounts.list(DEFAULT_TENANT_ID, 3, { createdAt: last.createdAt, id: last.id });
  expect([...page1, ...page2].map((a) => a.id).sort()).toEqual(created.map((a) => a.id).sort());

  await store.accounts.mergeSettings(created[1]!.id, { timezone: 'US/Pacific' });
  expect((await store.accounts.get(DEFAULT_TENANT_ID, created[1]!.id))?.settings).toEqual({ timezone: 'US/Pacific' });
  expect(await store.accounts.delete(other.id, created[1]!.id)).toBe(false);
  expect(await store.accounts.delete(DEFAULT_TENANT_ID, created[1]!.id)).toBe(true);

  const raw = await sql<{ credentials: string }>`select credentials from integrated_accounts`.execute(store.db);
  for (const r of raw.rows) expect(r.credentials).not.toContain('very-secret');
}

describe('store on SQLite (embedded, default)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('migrates and meets the store contract', async () => {
    const db = openDatabase(`sqlite:${join(dir, 'p.db')}`);
    await migrateToLatest(db);
    await migrateToLatest(db); // a second start finds nothing to do
    const store = createStore(db, randomBytes(32));
    await storeContract(store);
    await store.close();
  });
  it('refuses an unknown database URL scheme', () => {
    expect(() => openDatabase('mysql://x')).toThrow(/sqlite: or postgres/);
  });
});

const pgState = await postgresAvailable();
describe.skipIf(!pgState.ok)(`store on PostgreSQL${pgState.ok ? '' : ` (skipped: ${pgState.why})`}`, () => {
  const schema = `parley_store_${process.pid}`;
  afterAll(() => dropPostgresSchema(schema));
  it('migrates and meets the same store contract', async () => {
    const db = openDatabase(await freshPostgresSchema(schema));
    await migrateToLatest(db);
    await migrateToLatest(db);
    const store = createStore(db, randomBytes(32));
    await storeContract(store);
    await store.close();
  });
});
