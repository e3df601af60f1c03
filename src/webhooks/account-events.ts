import type { Kysely, Transaction } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { statusChangedEvent, type AccountEvents, type StatusChange } from '../service/account-events.js';
import type { Database } from '../store/schema.js';
import { recordEvent } from './outbox.js';

/**
 * `integrated_account.status_changed` into the webhooks outbox, in the transaction that changes the
 * status (or one of its own when the caller has none), stamped by Parley's clock so that the
 * dispatcher, which reads the same clock, sends it.
 */
export class OutboxAccountEvents implements AccountEvents {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async statusChanged(e: StatusChange, trx?: Transaction<Database>): Promise<void> {
    const event = statusChangedEvent(e);
    if (trx) await recordEvent(trx, event, this.clock.now());
    else await this.db.transaction().execute((t) => recordEvent(t, event, this.clock.now()));
  }
}
