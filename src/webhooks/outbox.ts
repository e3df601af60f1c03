import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { EventType, ParleyEvent } from '../domain/events.js';

/**
 * The outbox: an event is written in the transaction of the data that caused it (a sync step, a
 * run's final state, an account's status change), so a crash between "data stored" and "event
 * sent" loses nothing. The fan-out happens here too: one delivery per enabled webhook of the
 * event's tenant that subscribes to its type, due at once. An event nobody subscribes to is not
 * kept (there is nothing to deliver, and a webhook created later starts with the events after it).
 */

/** The body every attempt of every delivery sends (CONTRACT.md "Webhooks (push)"). */
export interface EventPayload {
  id: string;
  type: EventType;
  created_at: string;
  integrated_account_id: string | null;
  data: Record<string, unknown>;
}

export function newEventId(): string {
  return `evt_${randomUUID().replaceAll('-', '')}`;
}

/** Which of the tenant's webhooks take an event type (events are a short JSON list per webhook). */
async function subscribers(trx: Kysely<Database> | Transaction<Database>, tenantId: string, type: EventType): Promise<string[]> {
  const rows = await trx.selectFrom('webhooks').select(['id', 'events']).where('tenant_id', '=', tenantId).where('status', '=', 'enabled').execute();
  return rows.filter((r) => (JSON.parse(r.events) as string[]).includes(type)).map((r) => r.id);
}

/**
 * Record `event` inside `trx` (callers pass the transaction that writes the data the event is
 * about). Returns the event id, or undefined when no webhook of the tenant takes it.
 * `at`: the event's instant (epoch ms), from the caller's clock.
 */
export async function recordEvent(trx: Transaction<Database> | Kysely<Database>, event: ParleyEvent, at: number = Date.now()): Promise<string | undefined> {
  const hooks = await subscribers(trx, event.tenantId, event.type);
  if (hooks.length === 0) return undefined;
  const createdAt = new Date(at).toISOString();
  const id = newEventId();
  const payload: EventPayload = { id, type: event.type, created_at: createdAt, integrated_account_id: event.integratedAccountId, data: event.data };
  await trx
    .insertInto('outbox')
    .values({ id, tenant_id: event.tenantId, account_id: event.integratedAccountId, type: event.type, payload: JSON.stringify(payload), created_at: createdAt })
    .execute();
  await trx
    .insertInto('webhook_deliveries')
    .values(
      hooks.map((webhookId) => ({
        id: `dlv_${randomUUID().replaceAll('-', '')}`,
        webhook_id: webhookId,
        event_id: id,
        tenant_id: event.tenantId,
        status: 'pending',
        attempts: 0,
        next_attempt_at: createdAt,
        lease_owner: null,
        lease_until: null,
        last_status_code: null,
        last_error: null,
        created_at: createdAt,
        updated_at: createdAt,
      })),
    )
    .execute();
  return id;
}

/** Record an event in a transaction of its own (events not tied to other writes, tests). */
export async function recordEventNow(db: Kysely<Database>, event: ParleyEvent, at?: number): Promise<string | undefined> {
  return db.transaction().execute((trx) => recordEvent(trx, event, at));
}
