/** Row types of the webhook tables (migration 0003_webhooks). Times are fixed-width UTC ISO strings. */
export interface WebhooksTable {
  id: string;
  tenant_id: string;
  url: string;
  /** CredentialCipher output of the whsec_ secret; never plaintext */
  secret: string;
  /** JSON array of event types */
  events: string;
  /** enabled | disabled */
  status: string;
  disabled_reason: string | null;
  /** the first failure since the last success (null while deliveries succeed) */
  failing_since: string | null;
  consecutive_failures: number;
  created_at: string;
  updated_at: string;
}

export interface OutboxTable {
  id: string;
  tenant_id: string;
  account_id: string | null;
  type: string;
  /** the JSON body every attempt of every delivery of this event sends */
  payload: string;
  created_at: string;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: string;
  tenant_id: string;
  /** pending | delivered | failed */
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_until: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookAttemptsTable {
  id: string;
  delivery_id: string;
  webhook_id: string;
  tenant_id: string;
  event_id: string;
  event_type: string;
  attempt: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  attempted_at: string;
  next_attempt_at: string | null;
}

export interface WebhookTables {
  webhooks: WebhooksTable;
  outbox: OutboxTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}
