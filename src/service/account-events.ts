import type { ParleyEvent } from '../domain/events.js';

/**
 * Where an integrated account's status changes are announced (`integrated_account.status_changed`).
 * The webhooks outbox implements it at merge (`recordEvent`); until then the default keeps the most
 * recent events in memory, so tests and the next engineer can see what would be delivered.
 */
export interface AccountEvents {
  statusChanged(e: { tenantId: string; accountId: string; integration: string; from: string; to: string; reason: string }): Promise<void>;
}

export class InMemoryAccountEvents implements AccountEvents {
  readonly events: ParleyEvent[] = [];
  constructor(private readonly keep = 1000) {}

  async statusChanged(e: { tenantId: string; accountId: string; integration: string; from: string; to: string; reason: string }): Promise<void> {
    this.events.push({
      type: 'integrated_account.status_changed',
      tenantId: e.tenantId,
      integratedAccountId: e.accountId,
      data: { integration: e.integration, previous_status: e.from, status: e.to, reason: e.reason },
    });
    if (this.events.length > this.keep) this.events.shift();
  }
}
