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

/** The tenant's enabled webhooks with the event types each takes (a short JSON list per webhook). */
async function subscriptions(trx: Kysely<Database> | Transaction<Database>, tenantId: string): Promise<{ id: string; events: string[] }[]> {
  const rows = await trx.selectFrom('webhooks').select(['id', 'events']).where('tenant_id', '=', tenantId).where('status', '=', 'enabled').execute();
  return rows.map((r) => ({ id: r.id, events: JSON.parse(r.events) as string[] }));
}

/**
 * Record `event` inside `trx` (callers pass the transaction that writes the data the event is
 * about). Returns the event id, or undefined when no webhook of the tenant takes it.
 * `at`: the event's instant (epoch ms); pass the injected clock's `now()`, since due times are
 * compared with it.
 */
export async function recordEvent(trx: Transaction<Database> | Kysely<Database>, event: ParleyEvent, at: number = Date.now()): Promise<string | undefined> {
  return (await recordEvents(trx, [event], at))[0];
}

/** Several events of one tenant in one go (a sync step's): the webhooks are read once, rows inserted in batches. */
export async function recordEvents(trx: Transaction<Database> | Kysely<Database>, events: readonly ParleyEvent[], at: number = Date.now()): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  const hooksOf = new Map<string, { id: string; events: string[] }[]>();
  const outbox: Database['outbox'][] = [];
  const deliveries: Database['webhook_deliveries'][] = [];
  const createdAt = new Date(at).toISOString();
  for (const event of events) {
    let hooks = hooksOf.get(event.tenantId);
    if (!hooks) hooksOf.set(event.tenantId, (hooks = await subscriptions(trx, event.tenantId)));
    const takers = hooks.filter((h) => h.events.includes(event.type));
    if (takers.length === 0) {
      out.push(undefined);
      continue;
    }
    const id = newEventId();
    const payload: EventPayload = { id, type: event.type, created_at: createdAt, integrated_account_id: event.integratedAccountId, data: event.data };
    outbox.push({ id, tenant_id: event.tenantId, account_id: event.integratedAccountId, type: event.type, payload: JSON.stringify(payload), created_at: createdAt });
    for (const hook of takers) {
      deliveries.push({
        id: `dlv_${randomUUID().replaceAll('-', '')}`,
        webhook_id: hook.id,
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
      });
    }
    out.push(id);
  }
  for (let i = 0; i < outbox.length; i += 100) await trx.insertInto('outbox').values(outbox.slice(i, i + 100)).execute();
  for (let i = 0; i < deliveries.length; i += 100) await trx.insertInto('webhook_deliveries').values(deliveries.slice(i, i + 100)).execute();
  return out;
}

/** Record an event in a transaction of its own (events not tied to other writes, tests). */
export async function recordEventNow(db: Kysely<Database>, event: ParleyEvent, at?: number): Promise<string | undefined> {
  return db.transaction().execute((trx) => recordEvent(trx, event, at));
}
