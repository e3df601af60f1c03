import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { openDatabase, migrateToLatest } from '../../src/store/db.js';
import { createStore, DEFAULT_TENANT_ID } from '../../src/store/repositories.js';
import { createConnectStore } from '../../src/store/connect-repositories.js';
import type { Database } from '../../src/store/schema.js';
import { clockAt } from '../../src/domain/clock.js';
import { dropPostgresSchema, freshPostgresSchema, postgresAvailable } from '../helpers/services.js';

/** Migration 0005_connect_oauth and the connect flow's rows, the same on both dialects. */
async function connectContract(db: Kysely<Database>) {
  const key = randomBytes(32);
  const clock = clockAt('2024-06-15T19:00:00Z');
  const store = createStore(db, key, clock);
  const connect = createConnectStore(db, key, clock);
  await store.tenants.ensure(DEFAULT_TENANT_ID, 'Default');

  // accounts remember their end user; status changes report the one before
  const account = await store.accounts.create({ tenantId: DEFAULT_TENANT_ID, integration: 'gong', credentials: { access_key: 'k', access_key_secret: 's' }, endUser: { id: 'cust-1', name: 'Acme' } });
  expect((await store.accounts.get(DEFAULT_TENANT_ID, account.id))?.endUser).toEqual({ id: 'cust-1', name: 'Acme' });
  expect(await store.accounts.setStatus(account.id, 'invalid_credentials')).toBe('active');
  expect(await store.accounts.setStatus(account.id, 'invalid_credentials')).toBe('invalid_credentials');
  expect((await store.accounts.get(DEFAULT_TENANT_ID, account.id))?.status).toBe('invalid_credentials');

  // sessions: found by token only (stored hashed), used once even under a race
  const session = await connect.sessions.create({ token: 'cs_secret-token', tenantId: DEFAULT_TENANT_ID, endUser: { id: 'cust-1' }, integrations: ['gong'], expiresAt: '2024-06-15T19:30:00.000Z' });
  expect((await connect.sessions.byToken('cs_secret-token'))?.id).toBe(session.id);
  expect(await connect.sessions.byToken('cs_other')).toBeUndefined();
  const raw = await db.selectFrom('connect_sessions').selectAll().execute();
  expect(JSON.stringify(raw)).not.toContain('cs_secret-token');
  const race = await Promise.all(Array.from({ length: 5 }, () => connect.sessions.markUsed(session.id, account.id)));
  expect(race.filter(Boolean)).toHaveLength(1);

  // OAuth apps: upserted, secret sealed
  await connect.oauthApps.put(DEFAULT_TENANT_ID, 'gong', { clientId: 'c1', clientSecret: 'first-secret' });
  await connect.oauthApps.put(DEFAULT_TENANT_ID, 'gong', { clientId: 'c2', clientSecret: 'second-secret' });
  expect(await connect.oauthApps.get(DEFAULT_TENANT_ID, 'gong')).toEqual({ clientId: 'c2', clientSecret: 'second-secret' });
  expect(JSON.stringify(await db.selectFrom('oauth_apps').selectAll().execute())).not.toMatch(/second-secret|first-secret/);

  // states: taken once
  await connect.oauthStates.put('state-1', { sessionId: session.id, integration: 'gong', browserNonce: 'nonce', expiresAt: '2024-06-15T19:10:00.000Z' });
  const takes = await Promise.all([connect.oauthStates.take('state-1'), connect.oauthStates.take('state-1')]);
  expect(takes.filter((t) => t !== undefined)).toHaveLength(1);
  expect(await connect.oauthStates.take('state-1')).toBeUndefined();
}

describe('connect rows on SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-connect-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('migrates and meets the contract', async () => {
    const db = openDatabase(`sqlite:${join(dir, 'p.db')}`);
    await migrateToLatest(db);
    await connectContract(db as Kysely<Database>);
    await db.destroy();
  });
});

const pgState = await postgresAvailable();
describe.skipIf(!pgState.ok)(`connect rows on PostgreSQL${pgState.ok ? '' : ` (skipped: ${pgState.why})`}`, () => {
  const schema = `parley_connect_${process.pid}`;
  afterAll(() => dropPostgresSchema(schema));
  it('migrates and meets the same contract', async () => {
    const db = openDatabase(await freshPostgresSchema(schema));
    await migrateToLatest(db);
    await connectContract(db as Kysely<Database>);
    await db.destroy();
  });
});
