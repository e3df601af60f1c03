import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { DEFAULT_BACKOFF, nextAttemptAt } from '../../src/webhooks/backoff.js';
import { newSigningSecret, signedHeaders } from '../../src/webhooks/signing.js';
import { recordEvent } from '../../src/webhooks/outbox.js';
import { openDatabase, migrateToLatest } from '../../src/store/db.js';
import { createStore, DEFAULT_TENANT_ID } from '../../src/store/repositories.js';
import { SyncedStore } from '../../src/store/synced-store.js';
import { WebhookRepository } from '../../src/webhooks/repository.js';
import { CredentialCipher } from '../../src/store/crypto.js';
import type { Meeting } from '../../src/domain/resources.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('backoff', () => {
  const HOUR = 3_600_000;
  it('exponential with 50–100 % jitter, capped, and tried for the whole 24 h before giving up', () => {
    for (const random of [0, 0.5, 1]) {
      let now = 0;
      let attempts = 0;
      const delays: number[] = [];
      for (;;) {
        attempts += 1;
        const next = nextAttemptAt(DEFAULT_BACKOFF, attempts, 0, now, random);
        if (next === undefined) break;
        delays.push(next - now);
        now = next;
        expect(attempts).toBeLessThan(100);
      }
      // the last attempt happens at the end of the retry period at the earliest
      expect(now).toBeGreaterThanOrEqual(24 * HOUR);
      expect(delays[0]).toBe(10_000 * (0.5 + 0.5 * random));
      expect(delays[1]).toBe(20_000 * (0.5 + 0.5 * random));
      expect(Math.max(...delays)).toBeLessThanOrEqual(4 * HOUR);
      // growing until the cap (the last one may be cut at the deadline)
      for (let i = 1; i < delays.length - 1; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
      expect(attempts).toBeGreaterThan(10);
    }
  });
  it('no retry once the period is over', () => {
    expect(nextAttemptAt(DEFAULT_BACKOFF, 3, 0, 24 * HOUR, 0.3)).toBeUndefined();
    expect(nextAttemptAt(DEFAULT_BACKOFF, 30, 0, 24 * HOUR - 1, 1)).toBe(24 * HOUR);
  });
});

describe('signing', () => {
  it('Standard Webhooks headers that the standardwebhooks package verifies, and only with the right secret', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_/);
    const body = JSON.stringify({ id: 'evt_1', type: 'sync.completed', data: { ü: 'ß' } });
    const headers = signedHeaders(secret, 'evt_1', body, Date.now());
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body.replace('completed', 'failed'), headers)).toThrow();
  });
});

describe('outbox in the data\'s transaction', () => {
  async function setup() {
    const dir = mkdtempSync(join(tmpdir(), 'parley-outbox-'));
    dirs.push(dir);
    const db = openDatabase(`sqlite:${join(dir, 'p.db')}`);
    await migrateToLatest(db);
    const key = randomBytes(32);
    const store = createStore(db, key);
    await store.tenants.ensure(DEFAULT_TENANT_ID, 'Default');
    const account = await store.accounts.create({ tenantId: DEFAULT_TENANT_ID, integration: 'gong', credentials: { a: 1 } });
    const synced = new SyncedStore(db, key);
    await synced.ensureState(account.id);
    const hooks = new WebhookRepository(db, new CredentialCipher(key), () => new Date().toISOString());
    const { secret } = await hooks.create(DEFAULT_TENANT_ID, { url: 'https://hooks.example.com/x', events: ['meeting.created'] });
    return { dir, db, synced, account, secret };
  }
  const meeting = { id: 'm1', title: 'Kickoff', start_time: '2024-06-10T10:00:00Z' } as unknown as Meeting;

  it('a step that fails after its events were written leaves neither the data nor the events', async () => {
    const { db, synced, account } = await setup();
    await expect(
      synced.commitStep(account.id, { meetings: [meeting] }, { stream: 'meetings', runId: 'r', position: 1 }, undefined, async (trx) => {
        await recordEvent(trx, { type: 'meeting.created', tenantId: DEFAULT_TENANT_ID, integratedAccountId: account.id, data: { meeting_id: 'm1' } });
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect(await synced.meetings(account.id, { limit: 10 })).toEqual([]);
    expect(await db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    expect(await db.selectFrom('webhook_deliveries').selectAll().execute()).toEqual([]);

    await synced.commitStep(account.id, { meetings: [meeting] }, { stream: 'meetings', runId: 'r', position: 1 }, undefined, async (trx, changes) => {
      expect(changes.newMeetings).toEqual(['m1']);
      await recordEvent(trx, { type: 'meeting.created', tenantId: DEFAULT_TENANT_ID, integratedAccountId: account.id, data: { meeting_id: 'm1' } });
    });
    expect((await synced.meetings(account.id, { limit: 10 })).length).toBe(1);
    expect((await db.selectFrom('outbox').selectAll().execute()).map((r) => r.type)).toEqual(['meeting.created']);
    expect((await db.selectFrom('webhook_deliveries').selectAll().execute()).map((r) => r.status)).toEqual(['pending']);
    await db.destroy();
  });

  it('events of types no webhook takes, or of other tenants, are not kept', async () => {
    const { db, account } = await setup();
    expect(await db.transaction().execute((trx) => recordEvent(trx, { type: 'sync.completed', tenantId: DEFAULT_TENANT_ID, integratedAccountId: account.id, data: {} }))).toBeUndefined();
    expect(await db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    await db.destroy();
  });

  it('the signing secret is not in the database file in clear', async () => {
    const { dir, db, secret } = await setup();
    await db.destroy();
    const needle = Buffer.from(secret.slice(6));
    for (const f of readdirSync(dir)) expect(readFileSync(join(dir, f)).includes(needle), f).toBe(false);
  });
});

describe('retention', () => {
  it('finished deliveries, their attempts and their events go after the retention period; pending ones stay', async () => {
    const { WebhookDispatcher } = await import('../../src/webhooks/dispatcher.js');
    const dir = mkdtempSync(join(tmpdir(), 'parley-prune-'));
    dirs.push(dir);
    const db = openDatabase(`sqlite:${join(dir, 'p.db')}`);
    await migrateToLatest(db);
    const key = randomBytes(32);
    const store = createStore(db, key);
    await store.tenants.ensure(DEFAULT_TENANT_ID, 'Default');
    const hooks = new WebhookRepository(db, new CredentialCipher(key), () => new Date().toISOString());
    await hooks.create(DEFAULT_TENANT_ID, { url: 'https://hooks.example.com/x', events: ['sync.completed'] });
    const DAY = 86_400_000;
    const t0 = Date.parse('2024-01-01T00:00:00Z');
    const ev = (at: number) => db.transaction().execute((trx) => recordEvent(trx, { type: 'sync.completed', tenantId: DEFAULT_TENANT_ID, integratedAccountId: 'a', data: {} }, at));
    const oldDone = await ev(t0);
    const oldPending = await ev(t0);
    const recentDone = await ev(t0 + 40 * DAY);
    await db.updateTable('webhook_deliveries').set({ status: 'delivered', updated_at: new Date(t0).toISOString() }).where('event_id', '=', oldDone!).execute();
    await db.updateTable('webhook_deliveries').set({ status: 'delivered', updated_at: new Date(t0 + 40 * DAY).toISOString() }).where('event_id', '=', recentDone!).execute();
    const dispatcher = new WebhookDispatcher({ db, cipher: new CredentialCipher(key), clock: { now: () => t0 + 45 * DAY }, allowPrivateReceivers: false });
    await dispatcher.prune();
    await dispatcher.stop();
    expect((await db.selectFrom('outbox').select('id').execute()).map((r) => r.id).sort()).toEqual([oldPending, recentDone].sort());
    expect((await db.selectFrom('webhook_deliveries').select('event_id').execute()).map((r) => r.event_id).sort()).toEqual([oldPending, recentDone].sort());
    await db.destroy();
  });
});
