import type { Transaction } from 'kysely';
import type { ParleyEvent } from '../domain/events.js';
import type { Database } from '../store/schema.js';

/**
 * Where an integrated account's status changes are announced (`integrated_account.status_changed`).
 * `trx` is the transaction that changes the status: the webhooks outbox
 * (`webhooks/account-events.ts`) writes the event in it, so a change is never stored without its
 * event.
 */
export interface AccountEvents {
  statusChanged(e: StatusChange, trx?: Transaction<Database>): Promise<void>;
}

export interface StatusChange {
  tenantId: string;
  accountId: string;
  integration: string;
  from: string;
  to: string;
  reason: string;
}

/** The event announcing a status change (CONTRACT.md "Webhooks (push)"). */
export function statusChangedEvent(e: StatusChange): ParleyEvent {
  return {
    type: 'integrated_account.status_changed',
    tenantId: e.tenantId,
    integratedAccountId: e.accountId,
    data: { integration: e.integration, previous_status: e.from, status: e.to, reason: e.reason },
  };
}
