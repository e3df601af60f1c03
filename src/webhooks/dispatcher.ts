import { randomUUID } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Dispatcher } from 'undici';
import type { Database } from '../store/schema.js';
import type { CredentialCipher } from '../store/crypto.js';
import type { Clock } from '../domain/clock.js';
import { DEFAULT_BACKOFF, nextAttemptAt, type BackoffPolicy } from './backoff.js';
import { openSecret, signedHeaders } from './signing.js';
import { createReceiverPool, postToReceiver, type SendResult } from './sender.js';
import { recordEvent } from './outbox.js';

/**
 * Delivers the outbox: a polling loop that claims due deliveries with a lease, POSTs each signed
 * event, records the attempt, and on failure schedules the next one (backoff.ts) until the retry
 * period is over; then the delivery is given up, and a webhook that has not succeeded for the whole
 * period is disabled (a `webhook.disabled` event goes to the tenant's other webhooks).
 *
 * Several processes may run it against one database: a claim is one conditional update (SQLite) or
 * `FOR UPDATE SKIP LOCKED` (Postgres), and a lease that outlives its process (kill -9 mid-delivery)
 * expires, so another process (or the restarted one) sends the event again, with the same id:
 * delivery is at-least-once. The outcome is written only by the lease's owner.
 */
export interface DispatcherLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface WebhookDispatcherOptions {
  db: Kysely<Database>;
  cipher: CredentialCipher;
  /** the calendar: due times, leases, the retry period */
  clock: Clock;
  /** signature timestamps are the real time receivers compare with (default Date.now) */
  wallClock?: () => number;
  allowPrivateReceivers: boolean;
  /** one attempt, connect to last byte (default 10 s) */
  timeoutMs?: number;
  /** how long a claim holds before another process may take it over (default timeout + 5 s) */
  leaseMs?: number;
  /** how often due deliveries are looked for when nothing wakes the loop (default 1 s) */
  pollMs?: number;
  /** deliveries claimed and sent at once (default 16) */
  batch?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  logger?: DispatcherLogger;
  /** finished deliveries, their attempts and their events are kept this long (default 30 days) */
  retentionMs?: number;
}

const PRUNE_EVERY_MS = 10 * 60_000;

interface Claimed {
  id: string;
  attempts: number;
  created_at: string;
  event_id: string;
  event_type: string;
  payload: string;
  webhook_id: string;
  tenant_id: string;
  url: string;
  secret: string;
}

export class WebhookDispatcher {
  private readonly owner = `disp_${randomUUID()}`;
  private readonly pool: Dispatcher;
  private readonly timeoutMs: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;
  private readonly wallClock: () => number;
  private readonly postgres: boolean;
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private woken = false;
  private wakeUp?: () => void;
  private prunedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: WebhookDispatcherOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.leaseMs = opts.leaseMs ?? this.timeoutMs + 5_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.batch = opts.batch ?? 16;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.random = opts.random ?? Math.random;
    this.wallClock = opts.wallClock ?? Date.now;
    this.postgres = opts.db.getExecutor().adapter instanceof PostgresAdapter;
    this.pool = createReceiverPool(opts.allowPrivateReceivers, this.timeoutMs);
  }

  start(): void {
    if (this.loop || this.stopping.signal.aborted) return;
    this.loop = this.run();
  }

  /** Look for due deliveries now (an event was just committed). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Stop claiming, abandon attempts in flight (their leases expire; they are sent again), close the pool. */
  async stop(): Promise<void> {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    this.wakeUp?.();
    await this.loop;
    await this.pool.close();
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      let claimed = 0;
      try {
        claimed = await this.tick();
        if (performance.now() - this.prunedAt >= PRUNE_EVERY_MS) {
          this.prunedAt = performance.now();
          await this.prune();
        }
      } catch (e) {
        if (this.stopping.signal.aborted) break;
        this.opts.logger?.warn({ problem: (e as Error).message }, 'webhook dispatch failed; trying again');
      }
      if (claimed >= this.batch) continue;
      await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    if (this.woken || this.stopping.signal.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        this.woken = false;
        done();
      };
    });
  }

  /**
   * Forget what is finished and old: delivered or given-up deliveries (with their attempts) and
   * events no delivery refers to any more. Pending deliveries stay, however old (a disabled webhook
   * re-enabled later still sends them).
   */
  async prune(): Promise<void> {
    const cutoff = new Date(this.opts.clock.now() - Math.max(this.opts.retentionMs ?? 30 * 86_400_000, this.backoff.retryForMs)).toISOString();
    const db = this.opts.db;
    await db.deleteFrom('webhook_deliveries').where('status', 'in', ['delivered', 'failed']).where('updated_at', '<', cutoff).execute();
    await db
      .deleteFrom('outbox')
      .where('created_at', '<', cutoff)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'outbox.id'))))
      .execute();
  }

  /** One round: claim what is due, send it, record it. Returns how many were claimed. */
  async tick(): Promise<number> {
    const ids = await this.claim();
    if (ids.length === 0) return 0;
    const rows = (await this.opts.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('outbox as o', 'o.id', 'd.event_id')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select(['d.id', 'd.attempts', 'd.created_at', 'd.event_id', 'o.type as event_type', 'o.payload', 'd.webhook_id', 'd.tenant_id', 'w.url', 'w.secret'])
      .where('d.id', 'in', ids)
      .where('d.lease_owner', '=', this.owner)
      .execute()) as Claimed[];
    await Promise.all(rows.map((row) => this.deliver(row)));
    return ids.length;
  }

  private async claim(): Promise<string[]> {
    const nowMs = this.opts.clock.now();
    const now = new Date(nowMs).toISOString();
    const leaseUntil = new Date(nowMs + this.leaseMs).toISOString();
    const db = this.opts.db;
    if (this.postgres) {
      const { rows } = await sql<{ id: string }>`
        update webhook_deliveries set lease_owner = ${this.owner}, lease_until = ${leaseUntil}
        where id in (
          select d.id from webhook_deliveries d join webhooks w on w.id = d.webhook_id
          where d.status = 'pending' and w.status = 'enabled' and d.next_attempt_at <= ${now}
            and (d.lease_until is null or d.lease_until < ${now})
          order by d.next_attempt_at
          limit ${this.batch}
          for update of d skip locked)
        returning id`.execute(db);
      return rows.map((r) => r.id);
    }
    const candidates = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .select('d.id')
      .where('d.status', '=', 'pending')
      .where('w.status', '=', 'enabled')
      .where('d.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
      .orderBy('d.next_attempt_at')
      .limit(this.batch)
      .execute();
    const won: string[] = [];
    for (const { id } of candidates) {
      // the same condition again, in one statement: of two processes, one wins the row
      const res = await db
        .updateTable('webhook_deliveries')
        .set({ lease_owner: this.owner, lease_until: leaseUntil })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 1) won.push(id);
    }
    return won;
  }

  private async deliver(row: Claimed): Promise<void> {
    let result: SendResult;
    try {
      const secret = openSecret(this.opts.cipher, row.webhook_id, row.secret);
      const headers = signedHeaders(secret, row.event_id, row.payload, this.wallClock());
      result = await postToReceiver(this.pool, row.url, row.payload, headers, this.timeoutMs, this.stopping.signal);
    } catch (e) {
      result = { statusCode: null, durationMs: 0, error: `could not sign the event: ${(e as Error).message}` };
    }
    // stopped with the process: the lease expires and the event is sent again
    if (this.stopping.signal.aborted && result.statusCode === null) return;
    try {
      await this.record(row, result);
    } catch (e) {
      this.opts.logger?.warn({ webhook: row.webhook_id, event: row.event_id, problem: (e as Error).message }, 'webhook attempt not recorded; it is sent again when its lease expires');
    }
  }

  private async record(row: Claimed, result: SendResult): Promise<void> {
    const nowMs = this.opts.clock.now();
    const now = new Date(nowMs).toISOString();
    const attempt = Number(row.attempts) + 1;
    const ok = result.error === null;
    const next = ok ? undefined : nextAttemptAt(this.backoff, attempt, Date.parse(row.created_at), nowMs, this.random());
    const nextAt = next === undefined ? null : new Date(next).toISOString();
    await this.opts.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('webhook_deliveries')
        .set({
          status: ok ? 'delivered' : nextAt ? 'pending' : 'failed',
          attempts: attempt,
          next_attempt_at: nextAt,
          lease_owner: null,
          lease_until: null,
          last_status_code: result.statusCode,
          last_error: result.error,
          updated_at: now,
        })
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.owner)
        .executeTakeFirst();
      // the lease was lost (expired and taken over) or the webhook deleted: its new owner records
      if (Number(res.numUpdatedRows) !== 1) return;
      await trx
        .insertInto('webhook_attempts')
        .values({
          id: `att_${randomUUID().replaceAll('-', '')}`,
          delivery_id: row.id,
          webhook_id: row.webhook_id,
          tenant_id: row.tenant_id,
          event_id: row.event_id,
          event_type: row.event_type,
          attempt,
          status_code: result.statusCode,
          duration_ms: result.durationMs,
          error: result.error,
          attempted_at: now,
          next_attempt_at: nextAt,
        })
        .execute();
      if (ok) {
        await trx.updateTable('webhooks').set({ failing_since: null, consecutive_failures: 0 }).where('id', '=', row.webhook_id).execute();
        return;
      }
      await trx
        .updateTable('webhooks')
        .set((eb) => ({ failing_since: eb.fn.coalesce('failing_since', eb.val(now)), consecutive_failures: eb('consecutive_failures', '+', 1) }))
        .where('id', '=', row.webhook_id)
        .execute();
      if (nextAt) return;
      // Given up: the webhook is disabled when nothing succeeded since this delivery's first
      // attempt, i.e. it has failed for the whole retry period.
      const first = await trx
        .selectFrom('webhook_attempts')
        .select((eb) => eb.fn.min('attempted_at').as('at'))
        .where('delivery_id', '=', row.id)
        .executeTakeFirst();
      const since = (first?.at as string | null | undefined) ?? now;
      const reason = `disabled after failing for ${Math.round(this.backoff.retryForMs / 3_600_000)} h; last: ${result.error}`;
      const disabled = await trx
        .updateTable('webhooks')
        .set({ status: 'disabled', disabled_reason: reason, updated_at: now })
        .where('id', '=', row.webhook_id)
        .where('status', '=', 'enabled')
        .where('failing_since', '<=', since)
        .executeTakeFirst();
      if (Number(disabled.numUpdatedRows) !== 1) return;
      this.opts.logger?.warn({ webhook: row.webhook_id, problem: result.error }, 'webhook disabled after persistent failure');
      await recordEvent(trx, { type: 'webhook.disabled', tenantId: row.tenant_id, integratedAccountId: null, data: { webhook_id: row.webhook_id, url: row.url, reason } }, nowMs);
    });
    if (!ok) this.opts.logger?.info({ webhook: row.webhook_id, event: row.event_id, attempt, problem: result.error, next_attempt_at: nextAt }, 'webhook attempt failed');
  }
}
