import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase, migrateToLatest } from '../../src/store/db.js';
import { createStore, DEFAULT_TENANT_ID, TOKEN_CACHE_MS } from '../../src/store/repositories.js';
import { SyncedStore } from '../../src/store/synced-store.js';
import type { Database } from '../../src/store/schema.js';
import { dropPostgresSchema, freshPostgresSchema, postgresAvailable } from '../helpers/services.js';

/** What /api-tokens and /metrics read from the store, on both dialects. */
async function contract(db: Kysely<Database>) {
  await migrateToLatest(db);
  const key = randomBytes(32);
  let nowMs = Date.parse('2025-06-12T15:00:00.000Z');
  const clock = { now: () => nowMs };
  const store = createStore(db, key, clock);
  await store.tenants.ensure(DEFAULT_TENANT_ID, 'Default');
  const other = await store.tenants.create('Other');

  // tokens: created with an id, listed by (created_at, id) without hashes, revoked by id within the tenant only
  const made = [];
  for (let i = 0; i < 5; i++) {
    made.push(await store.tokens.create(DEFAULT_TENANT_ID, `t${i}`));
    if (i % 2 === 0) nowMs += 1000; // ties on created_at are ordered by id
  }
  await store.tokens.create(other.id, 'theirs');
  const page1 = await store.tokens.list(DEFAULT_TENANT_ID, 3);
  const last = page1[2]!;
  const page2 = await store.tokens.list(DEFAULT_TENANT_ID, 3, { createdAt: last.createdAt, id: last.id });
  expect([...page1, ...page2].map((t) => t.id).sort()).toEqual(made.map((m) => m.record.id).sort());
  expect(page2).toHaveLength(2);
  expect(JSON.stringify([...page1, ...page2])).not.toMatch(/prl_|hash/);
  expect(await store.tokens.tenantOf(made[0]!.token)).toBe(DEFAULT_TENANT_ID);
  expect(await store.tokens.revoke(other.id, made[0]!.record.id)).toBe(false);
  expect(await store.tokens.revoke(DEFAULT_TENANT_ID, made[0]!.record.id)).toBe(true);
  expect(await store.tokens.tenantOf(made[0]!.token)).toBeUndefined();
  expect(await store.tokens.revoke(DEFAULT_TENANT_ID, made[0]!.record.id)).toBe(false);

  // the sync overview: accounts per integration and status, the oldest data among them
  const synced = new SyncedStore(db, key, clock);
  const ids = [];
  for (const integration of ['gong', 'gong', 'gong', 'chorus']) {
    const a = await store.accounts.create({ tenantId: DEFAULT_TENANT_ID, integration, credentials: { k: 'v' } });
    await synced.ensureState(a.id);
    ids.push(a.id);
  }
  await synced.updateState(ids[0]!, { dataAsOf: '2025-06-12T10:00:00.000Z' });
  await synced.updateState(ids[1]!, { dataAsOf: '2025-06-12T12:00:00.000Z' });
  await synced.updateState(ids[2]!, { status: 'failed' });
  const overview = (await synced.syncOverview()).sort((a, b) => `${a.integration}${a.status}`.localeCompare(`${b.integration}${b.status}`));
  expect(overview).toEqual([
    { integration: 'chorus', status: 'idle', accounts: 1, oldestDataAsOf: null },
    { integration: 'gong', status: 'failed', accounts: 1, oldestDataAsOf: null },
    { integration: 'gong', status: 'idle', accounts: 2, oldestDataAsOf: '2025-06-12T10:00:00.000Z' },
  ]);
  await store.close();
}

describe('tokens and sync overview on SQLite', () => {
  it('meet the contract', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-ops-store-'));
    try {
      await contract(openDatabase(`sqlite:${join(dir, 'p.db')}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a token revoked by another process stops working here within TOKEN_CACHE_MS; one revoked here at once', { timeout: 15_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-ops-store-'));
    const url = `sqlite:${join(dir, 'p.db')}`;
    const dbHere = openDatabase(url);
    const dbThere = openDatabase(url);
    try {
      await migrateToLatest(dbHere);
      const key = randomBytes(32);
      const here = createStore(dbHere, key);
      const there = createStore(dbThere, key);
      await here.tenants.ensure(DEFAULT_TENANT_ID, 'Default');
      const a = await here.tokens.create(DEFAULT_TENANT_ID, 'a');
      const b = await here.tokens.create(DEFAULT_TENANT_ID, 'b');
      expect(await here.tokens.tenantOf(a.token)).toBe(DEFAULT_TENANT_ID);
      expect(await here.tokens.tenantOf(b.token)).toBe(DEFAULT_TENANT_ID);
      const revokedAt = performance.now();
      expect(await there.tokens.revoke(DEFAULT_TENANT_ID, a.record.id)).toBe(true);
      expect(await there.tokens.tenantOf(a.token)).toBeUndefined();
      // here, a is remembered for at most TOKEN_CACHE_MS after it was last read from the database
      while ((await here.tokens.tenantOf(a.token)) !== undefined) {
        expect(performance.now() - revokedAt).toBeLessThanOrEqual(TOKEN_CACHE_MS + 500);
        await new Promise((r) => setTimeout(r, 50));
      }
      // a revocation here is immediate here, remembered or not
      expect(await here.tokens.revoke(DEFAULT_TENANT_ID, b.record.id)).toBe(true);
      expect(await here.tokens.tenantOf(b.token)).toBeUndefined();
    } finally {
      await dbHere.destroy();
      await dbThere.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const pgState = await postgresAvailable();
describe.skipIf(!pgState.ok)(`tokens and sync overview on PostgreSQL${pgState.ok ? '' : ` (skipped: ${pgState.why})`}`, () => {
  const schema = `parley_ops_store_${process.pid}`;
  afterAll(() => dropPostgresSchema(schema));
  it('meet the contract', async () => {
    await contract(openDatabase(await freshPostgresSchema(schema)));
  });
});
