import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGongSimulator, type GongSimulator } from '../../sandbox/gong/index.js';
import { startTestParley, type TestParley } from '../helpers/parley.js';
import { clockAt } from '../../src/domain/clock.js';
import { DEFAULT_TENANT_ID } from '../../src/store/repositories.js';
import { recordEventNow } from '../../src/webhooks/outbox.js';
import { WebhookDispatcher } from '../../src/webhooks/dispatcher.js';
import { CredentialCipher } from '../../src/store/crypto.js';
import { dropPostgresSchema, freshPostgresSchema, postgresAvailable } from '../helpers/services.js';
import { startReceiver, type Receiver } from './receiver.js';

/**
 * CONTRACT.md "Webhooks (push)" on SQLite and Postgres: the routes and their tenant isolation, the
 * events of a sync, signatures checked by the `standardwebhooks` package at a real local receiver,
 * retries with the same event id until a 2xx, and a webhook disabled after its retry period.
 */
const NOW = '2024-06-12T18:00:00Z';
const ALL_EVENTS = ['meeting.created', 'transcript.created', 'interactions.updated', 'sync.completed', 'sync.failed', 'integrated_account.status_changed'];
/** fast retries: 30 ms doubling up to 200 ms, given up after 1.5 s */
const FAST = { pollMs: 20, backoff: { baseMs: 30, maxMs: 200, retryForMs: 1_500 } };

let sim: GongSimulator;
let receiver: Receiver;
const pg = await postgresAvailable();
const schemas: string[] = [];

beforeAll(async () => {
  sim = await startGongSimulator({ pageSize: 20, now: () => new Date(Date.parse(NOW)), ratePerSecond: 100 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await sim.close();
  for (const s of schemas) await dropPostgresSchema(s).catch(() => {});
});

const databases: [string, () => Promise<string | undefined>][] = [
  ['SQLite', async () => undefined],
  [
    'Postgres',
    async () => {
      const name = `w9h_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
      schemas.push(name);
      return freshPostgresSchema(name);
    },
  ],
];

describe.each(databases)('webhooks on %s', (dbName, makeUrl) => {
  const skip = dbName === 'Postgres' && !pg.ok;
  let t: TestParley;
  let other: { tenantId: string; token: string };

  beforeAll(async () => {
    if (skip) return;
    const databaseUrl = await makeUrl();
    t = await startTestParley(databaseUrl ? { databaseUrl } : {}, { clock: clockAt(NOW), webhooks: FAST });
    const tenant = await t.parley.store.tenants.create('Other tenant');
    other = { tenantId: tenant.id, token: await t.parley.store.tokens.issue(tenant.id, 'test') };
    t.parley.webhookDispatcher!.start();
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  async function createWebhook(events: string[], token?: string): Promise<{ id: string; secret: string }> {
    const res = await t.call('POST', '/webhooks', { url: receiver.url, events }, token);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    receiver.secrets.push(res.body.secret);
    return res.body;
  }

  it.skipIf(skip)('routes: create shows the secret once; get, list, patch, delete; bad input is a 400 naming the field', async () => {
    const created = await t.call('POST', '/webhooks', { url: receiver.url, events: ['meeting.created', 'sync.completed'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ url: receiver.url, events: ['meeting.created', 'sync.completed'], status: 'enabled' });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const id = created.body.id;
    const got = await t.call('GET', `/webhooks/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.secret).toBeUndefined();
    expect(JSON.stringify(got.body)).not.toContain(created.body.secret.slice(6));
    const list = await t.call('GET', '/webhooks?limit=1000');
    expect(list.body.result.map((w: any) => w.id)).toContain(id);
    expect(list.body.result.every((w: any) => w.secret === undefined)).toBe(true);
    const patched = await t.call('PATCH', `/webhooks/${id}`, { events: ['sync.failed'], status: 'disabled' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: ['sync.failed'], status: 'disabled' });
    expect((await t.call('PATCH', `/webhooks/${id}`, { status: 'enabled' })).body.status).toBe('enabled');
    expect(t.logs.join('\n')).not.toContain(created.body.secret.slice(6));
    expect((await t.call('DELETE', `/webhooks/${id}`)).status).toBe(204);
    expect((await t.call('GET', `/webhooks/${id}`)).status).toBe(404);
    expect((await t.call('DELETE', `/webhooks/${id}`)).status).toBe(404);

    const badEvent = await t.call('POST', '/webhooks', { url: receiver.url, events: ['meeting.deleted'] });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.message).toMatch(/events/);
    const noEvents = await t.call('POST', '/webhooks', { url: receiver.url, events: [] });
    expect(noEvents.status).toBe(400);
    const badUrl = await t.call('POST', '/webhooks', { url: 'not a url', events: ['sync.completed'] });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.message).toMatch(/^url /);
    const ftp = await t.call('POST', '/webhooks', { url: 'ftp://example.com/x', events: ['sync.completed'] });
    expect(ftp.status).toBe(400);
    const noUrl = await t.call('POST', '/webhooks', { events: ['sync.completed'] });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.message).toMatch(/url/);
  });

  it.skipIf(skip)('tenant isolation: another tenant\'s webhook and its deliveries are a 404, its events never reach this tenant', async () => {
    const mine = await createWebhook(['integrated_account.status_changed']);
    const theirs = await createWebhook(['integrated_account.status_changed'], other.token);
    for (const [method, url] of [
      ['GET', `/webhooks/${mine.id}`],
      ['GET', `/webhooks/${mine.id}/deliveries`],
      ['PATCH', `/webhooks/${mine.id}`],
      ['DELETE', `/webhooks/${mine.id}`],
    ] as const) {
      const res = await t.call(method, url, method === 'PATCH' ? { status: 'disabled' } : undefined, other.token);
      expect(res.status, `${method} ${url}`).toBe(404);
    }
    const theirList = await t.call('GET', '/webhooks', undefined, other.token);
    expect(theirList.body.result.map((w: any) => w.id)).toEqual([theirs.id]);

    const before = receiver.received.length;
    const mineEvent = await recordEventNow(t.parley.store.db, { type: 'integrated_account.status_changed', tenantId: DEFAULT_TENANT_ID, integratedAccountId: 'acct-1', data: { status: 'invalid' } }, t.parley.clock.now());
    const theirEvent = await recordEventNow(t.parley.store.db, { type: 'integrated_account.status_changed', tenantId: other.tenantId, integratedAccountId: 'acct-2', data: { status: 'active' } }, t.parley.clock.now());
    await receiver.waitFor(() => receiver.delivered().has(mineEvent!) && receiver.delivered().has(theirEvent!), 10_000, 'both events');
    await new Promise((r) => setTimeout(r, 100));
    const got = receiver.received.slice(before);
    expect(got.filter((r) => r.id === mineEvent).length).toBe(1);
    expect(got.filter((r) => r.id === theirEvent).length).toBe(1);
    const mineLog = await t.call('GET', `/webhooks/${mine.id}/deliveries`);
    expect(mineLog.body.result.map((d: any) => d.event_id)).toEqual([mineEvent]);
    const theirLog = await t.call('GET', `/webhooks/${theirs.id}/deliveries`, undefined, other.token);
    expect(theirLog.body.result.map((d: any) => d.event_id)).toEqual([theirEvent]);
    await t.call('DELETE', `/webhooks/${mine.id}`);
    await t.call('DELETE', `/webhooks/${theirs.id}`, undefined, other.token);
  });

  it.skipIf(skip)('a sync\'s events arrive signed: one meeting.created per new meeting, transcripts, interactions days, sync.completed', async () => {
    const hook = await createWebhook(ALL_EVENTS);
    const acct = await t.call('POST', '/integrated-accounts', {
      integration: 'gong',
      credentials: { access_key: 'sandbox-key', access_key_secret: 'sandbox-secret', base_url: sim.url },
      sync: { backfill_days: 5 },
    });
    expect(acct.status).toBe(201);
    const before = receiver.received.length;
    expect(await t.parley.engine.run(acct.body.id)).toBe('completed');
    const counts = (await t.call('GET', `/integrated-accounts/${acct.body.id}/sync`)).body.counts;
    expect(counts.meetings).toBeGreaterThan(3);
    const mine = () => receiver.received.slice(before).filter((r) => r.body?.integrated_account_id === acct.body.id);
    await receiver.waitFor(() => mine().some((r) => r.type === 'sync.completed'), 15_000, 'sync.completed');
    await new Promise((r) => setTimeout(r, 200));
    const got = mine();
    expect(got.every((r) => r.valid), JSON.stringify(got.filter((r) => !r.valid).map((r) => r.problem))).toBe(true);
    const ofType = (type: string) => got.filter((r) => r.type === type);
    const meetingIds = ofType('meeting.created').map((r) => r.body.data.meeting_id);
    expect(new Set(meetingIds).size).toBe(counts.meetings);
    expect(meetingIds.length).toBe(counts.meetings);
    expect(ofType('meeting.created')[0]!.body.data.meeting).toMatchObject({ id: meetingIds[0] });
    expect(ofType('meeting.created')[0]!.body.data.meeting.remote_data).toBeUndefined();
    expect(ofType('transcript.created').length).toBe(counts.transcripts);
    const days = ofType('interactions.updated').flatMap((r) => r.body.data.days);
    expect(days.length).toBeGreaterThan(0);
    for (const d of days) expect(d >= '2024-06-07' && d <= '2024-06-12', d).toBe(true);
    const completed = ofType('sync.completed');
    expect(completed.length).toBe(1);
    expect(completed[0]!.body).toMatchObject({ type: 'sync.completed', integrated_account_id: acct.body.id, data: { synced_through: expect.any(String) } });
    for (const r of got) {
      expect(Object.keys(r.body).sort()).toEqual(['created_at', 'data', 'id', 'integrated_account_id', 'type']);
      expect(r.body.id).toBe(r.id);
    }
    // no transcript sentence in any event
    const firstTranscript = await t.parley.synced.transcript(acct.body.id, ofType('transcript.created')[0]!.body.data.meeting_id);
    const sentence = (firstTranscript!.record as any).entries?.[0]?.text ?? (firstTranscript!.record as any).sentences?.[0]?.text;
    if (sentence) expect(JSON.stringify(got.map((r) => r.body))).not.toContain(sentence);

    // a second run stores nothing new: only its sync.completed
    const second = receiver.received.length;
    expect(await t.parley.engine.run(acct.body.id)).toBe('completed');
    await receiver.waitFor(() => receiver.received.slice(second).some((r) => r.type === 'sync.completed'), 15_000, 'second sync.completed');
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.received.slice(second).map((r) => r.type)).toEqual(['sync.completed']);
    await t.call('DELETE', `/webhooks/${hook.id}`);
  }, 60_000);

  it.skipIf(skip)('two dispatchers on one database (two processes): every event sent once, none twice', async () => {
    const hook = await createWebhook(['integrated_account.status_changed']);
    const second = new WebhookDispatcher({ db: t.parley.store.db, cipher: new CredentialCipher(t.config.secretKey), clock: t.parley.clock, allowPrivateReceivers: true, pollMs: 5, batch: 3 });
    second.start();
    try {
      const from = receiver.received.length;
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        ids.push((await recordEventNow(t.parley.store.db, { type: 'integrated_account.status_changed', tenantId: DEFAULT_TENANT_ID, integratedAccountId: `acct-${i}`, data: { status: 'active' } }, t.parley.clock.now()))!);
        second.wake();
      }
      await receiver.waitFor(() => ids.every((id) => receiver.delivered().has(id)), 15_000, 'forty events');
      await new Promise((r) => setTimeout(r, 200));
      const got = receiver.received.slice(from);
      expect(got.length).toBe(40);
      expect(new Set(got.map((r) => r.id)).size).toBe(40);
      expect(got.every((r) => r.valid)).toBe(true);
    } finally {
      await second.stop();
      await t.call('DELETE', `/webhooks/${hook.id}`);
    }
  }, 30_000);

  it.skipIf(skip)('a failed run sends sync.failed with the error in words', async () => {
    const hook = await createWebhook(['sync.failed', 'sync.completed']);
    const acct = await t.call('POST', '/integrated-accounts', {
      integration: 'gong',
      // nothing listens on port 9 of loopback: the vendor cannot be reached
      credentials: { access_key: 'k', access_key_secret: 's', base_url: 'http://127.0.0.1:9' },
      sync: { backfill_days: 2 },
    });
    expect(acct.status).toBe(201);
    const from = receiver.received.length;
    const engine = t.parley.engine as any;
    const patience = engine.opts.patienceMs;
    engine.opts.patienceMs = 1_000;
    try {
      expect(await t.parley.engine.run(acct.body.id)).toBe('failed');
    } finally {
      engine.opts.patienceMs = patience;
    }
    await receiver.waitFor(() => receiver.received.slice(from).some((r) => r.type === 'sync.failed'), 10_000, 'sync.failed');
    const failed = receiver.received.slice(from).find((r) => r.type === 'sync.failed')!;
    expect(failed.valid).toBe(true);
    expect(failed.body).toMatchObject({ integrated_account_id: acct.body.id, data: { error: expect.any(String), run_id: expect.any(String) } });
    expect(receiver.received.slice(from).some((r) => r.type === 'sync.completed')).toBe(false);
    await t.call('DELETE', `/webhooks/${hook.id}`);
    await t.call('DELETE', `/integrated-accounts/${acct.body.id}`);
  }, 30_000);

  it.skipIf(skip)('a receiver answering 500 for a while: retried with backoff and the same event id until a 2xx', async () => {
    const hook = await createWebhook(['integrated_account.status_changed']);
    let failing = true;
    receiver.answer = () => (failing ? 500 : 200);
    try {
      const eventId = await recordEventNow(t.parley.store.db, { type: 'integrated_account.status_changed', tenantId: DEFAULT_TENANT_ID, integratedAccountId: 'acct-x', data: { status: 'invalid' } }, t.parley.clock.now());
      await receiver.waitFor(() => receiver.received.filter((r) => r.id === eventId).length >= 4, 10_000, 'four failed attempts');
      failing = false;
      await receiver.waitFor(() => receiver.delivered().has(eventId!), 10_000, 'the delivery after the receiver recovered');
      await new Promise((r) => setTimeout(r, 150));
      const attempts = receiver.received.filter((r) => r.id === eventId);
      expect(attempts.every((r) => r.valid)).toBe(true);
      expect(attempts.every((r) => r.body.id === eventId)).toBe(true);
      expect(attempts.filter((r) => r.status === 200).length).toBe(1);
      expect(attempts.at(-1)!.status).toBe(200);
      // backoff: gaps grow (30 ms, 60 ms, 120 ms … with 50–100 % jitter)
      const gaps = attempts.slice(1).map((r, i) => r.at - attempts[i]!.at);
      expect(gaps[0]!).toBeGreaterThanOrEqual(10);
      const log = await t.call('GET', `/webhooks/${hook.id}/deliveries`);
      expect(log.status).toBe(200);
      const rows = log.body.result;
      expect(rows.length).toBe(attempts.length);
      expect(rows.every((d: any) => d.event_id === eventId)).toBe(true);
      expect(rows[0]).toMatchObject({ attempt: attempts.length, status_code: 200, error: null, next_attempt_at: null });
      expect(rows.at(-1)).toMatchObject({ attempt: 1, status_code: 500, error: 'the receiver answered 500' });
      expect(rows.at(-1).next_attempt_at).toEqual(expect.any(String));
      const paged = await t.listAll(`/webhooks/${hook.id}/deliveries`, 2);
      expect(paged.all).toEqual(rows);
    } finally {
      receiver.answer = () => 200;
      await t.call('DELETE', `/webhooks/${hook.id}`);
    }
  }, 30_000);

  it.skipIf(skip)('a receiver failing for the whole retry period: given up, the webhook disabled, webhook.disabled sent to the tenant\'s other webhook', async () => {
    const broken = await t.call('POST', '/webhooks', { url: receiver.url.replace('/hook', '/broken'), events: ['integrated_account.status_changed'] });
    receiver.secrets.push(broken.body.secret);
    const watcher = await createWebhook(['webhook.disabled']);
    receiver.answer = (_id, path) => (path === '/broken' ? 503 : 200);
    const seen = receiver.received.length;
    try {
      const eventId = await recordEventNow(t.parley.store.db, { type: 'integrated_account.status_changed', tenantId: DEFAULT_TENANT_ID, integratedAccountId: 'acct-y', data: { status: 'invalid' } }, t.parley.clock.now());
      await receiver.waitFor(() => receiver.received.slice(seen).some((r) => r.type === 'webhook.disabled'), 15_000, 'webhook.disabled');
      const disabledEvent = receiver.received.slice(seen).find((r) => r.type === 'webhook.disabled')!;
      expect(disabledEvent.valid).toBe(true);
      expect(disabledEvent.body).toMatchObject({ integrated_account_id: null, data: { webhook_id: broken.body.id } });
      expect(disabledEvent.body.data.reason).toMatch(/receiver answered 503/);
      const after = await t.call('GET', `/webhooks/${broken.body.id}`);
      expect(after.body.status).toBe('disabled');
      expect(after.body.disabled_reason).toMatch(/^disabled after failing/);
      const log = (await t.call('GET', `/webhooks/${broken.body.id}/deliveries?limit=1000`)).body.result;
      expect(log.length).toBeGreaterThan(3);
      expect(log[0].next_attempt_at).toBeNull();
      // at least the retry period between the event and the last attempt
      expect(Date.parse(log[0].attempted_at) - Date.parse(log.at(-1).attempted_at)).toBeGreaterThanOrEqual(FAST.backoff.retryForMs - 100);
      // nothing more is sent to a disabled webhook
      const count = receiver.received.filter((r) => r.id === eventId).length;
      await new Promise((r) => setTimeout(r, 300));
      expect(receiver.received.filter((r) => r.id === eventId).length).toBe(count);
    } finally {
      receiver.answer = () => 200;
      await t.call('DELETE', `/webhooks/${broken.body.id}`);
      await t.call('DELETE', `/webhooks/${watcher.id}`);
    }
  }, 30_000);
});

describe('roles', () => {
  it('PARLEY_ROLE=api records events and serves the routes but delivers nothing; worker and all deliver', async () => {
    const api = await startTestParley({ role: 'api' });
    const worker = await startTestParley({ role: 'worker' });
    try {
      expect(api.parley.webhookDispatcher).toBeUndefined();
      expect((await api.call('POST', '/webhooks', { url: 'https://hooks.example.com/x', events: ['sync.completed'] })).status).toBe(201);
      expect(worker.parley.webhookDispatcher).toBeDefined();
    } finally {
      await api.close();
      await worker.close();
    }
  });
});

describe('receiver address policy', () => {
  it('refuses private receivers unless the operator allows them', async () => {
    const t = await startTestParley({ allowPrivateUpstreams: false });
    try {
      for (const url of ['http://127.0.0.1:9/hook', 'https://127.0.0.1/hook', 'https://169.254.169.254/latest', 'https://localhost/x', 'https://[::ffff:10.0.0.1]/x']) {
        const res = await t.call('POST', '/webhooks', { url, events: ['sync.completed'] });
        expect(res.status, url).toBe(400);
        expect(res.body.message, url).toMatch(/^url /);
      }
      const ok = await t.call('POST', '/webhooks', { url: 'https://hooks.example.com/parley', events: ['sync.completed'] });
      expect(ok.status).toBe(201);
    } finally {
      await t.close();
    }
  });
});

describe('attempts that fail without a status', () => {
  it('a receiver slower than the timeout, or redirecting, is a failed attempt named in words', async () => {
    const slow = await startReceiver();
    const mover = await startReceiver();
    const t = await startTestParley({ webhookTimeoutMs: 300 }, { clock: clockAt(NOW), webhooks: FAST });
    try {
      t.parley.webhookDispatcher!.start();
      slow.delayMs = 1_000;
      const res = await t.call('POST', '/webhooks', { url: slow.url, events: ['sync.completed'] });
      slow.secrets.push(res.body.secret);
      const redirect = await t.call('POST', '/webhooks', { url: mover.url, events: ['sync.failed'] });
      mover.answer = () => 301;
      await recordEventNow(t.parley.store.db, { type: 'sync.completed', tenantId: DEFAULT_TENANT_ID, integratedAccountId: 'a', data: {} }, t.parley.clock.now());
      await recordEventNow(t.parley.store.db, { type: 'sync.failed', tenantId: DEFAULT_TENANT_ID, integratedAccountId: 'a', data: {} }, t.parley.clock.now());
      const until = Date.now() + 10_000;
      let timedOut: any[] = [];
      let moved: any[] = [];
      while (Date.now() < until && (timedOut.length === 0 || moved.length === 0)) {
        await new Promise((r) => setTimeout(r, 50));
        timedOut = (await t.call('GET', `/webhooks/${res.body.id}/deliveries`)).body.result;
        moved = (await t.call('GET', `/webhooks/${redirect.body.id}/deliveries`)).body.result;
      }
      expect(timedOut.at(-1)).toMatchObject({ attempt: 1, status_code: null, error: 'no answer within 300 ms', next_attempt_at: expect.any(String) });
      expect(timedOut.at(-1).duration_ms).toBeGreaterThanOrEqual(250);
      expect(moved.at(-1)).toMatchObject({ attempt: 1, status_code: 301, error: 'the receiver answered 301 (redirects are not followed)' });
    } finally {
      await t.close();
      await slow.close();
      await mover.close();
    }
  }, 30_000);
});
