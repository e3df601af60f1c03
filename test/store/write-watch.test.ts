import { afterEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/store/db.js';
import { changesReads, writesOf } from '../../src/store/write-watch.js';
import type { Database } from '../../src/store/schema.js';

/** The write counter behind the warm answers: it moves after every write a read could see, and only then. */
describe('write watch', () => {
  let db: Kysely<Database> | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  const open = async () => {
    db = openDatabase('sqlite:');
    await migrateToLatest(db);
    return { db, writes: writesOf(db)! };
  };

  it('moves after a write, not after a read', async () => {
    const { db, writes } = await open();
    const n = writes.value;
    await db.selectFrom('tenants').selectAll().execute();
    expect(writes.value).toBe(n);
    await db.insertInto('tenants').values({ id: 't1', name: 'one', created_at: new Date(0).toISOString() }).execute();
    expect(writes.value).toBe(n + 1);
    await sql`update tenants set name = 'two'`.execute(db);
    expect(writes.value).toBe(n + 2);
  });

  it('counts a transaction\'s writes at its commit, a rolled-back one not at all', async () => {
    const { db, writes } = await open();
    const n = writes.value;
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('tenants').values({ id: 't2', name: 'two', created_at: new Date(0).toISOString() }).execute();
      expect(writes.value, 'not visible to others yet').toBe(n);
    });
    expect(writes.value).toBe(n + 1);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('tenants').values({ id: 't3', name: 'three', created_at: new Date(0).toISOString() }).execute();
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(writes.value).toBe(n + 1);
  });

  it('ignores the tables no answer is read from (webhook bookkeeping, checkpoints, tokens)', () => {
    expect(changesReads('update "webhook_deliveries" set "lease_until" = ? where "id" = ?')).toBe(false);
    expect(changesReads('insert into "sync_checkpoints" ("account_id") values (?)')).toBe(false);
    expect(changesReads('delete from "api_tokens" where "token_hash" = ?')).toBe(false);
    expect(changesReads('insert or ignore into "outbox" ("id") values (?)')).toBe(false);
    expect(changesReads('update "sync_state" set "progress" = ?')).toBe(true);
    expect(changesReads('delete from "integrated_accounts" where "id" = ?')).toBe(true);
    expect(changesReads('with x as (delete from "webhooks" returning *) select * from x')).toBe(true);
    expect(changesReads('  select * from "store_call_metrics"')).toBe(false);
  });
});
