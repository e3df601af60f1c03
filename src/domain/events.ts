/**
 * The events Parley publishes (CONTRACT.md "Webhooks (push)"). Producers name them here; the
 * webhooks layer stores them in an outbox in the same transaction as the data that caused them and
 * delivers them.
 */
export const EVENT_TYPES = [
  'meeting.created',
  'transcript.created',
  'interactions.updated',
  'sync.completed',
  'sync.failed',
  'integrated_account.status_changed',
  // Parley's own: a webhook was disabled after failing for the whole retry period (sent to the
  // tenant's other webhooks that subscribe to it; CONTRACT.md leaves the name open)
  'webhook.disabled',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface ParleyEvent {
  type: EventType;
  tenantId: string;
  /** null for events about no account (webhook.disabled) */
  integratedAccountId: string | null;
  data: Record<string, unknown>;
}
