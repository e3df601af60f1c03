/** Row types of the database, shared by both dialects. Times are ISO 8601 UTC strings. */
import type { WebhookTables } from './webhook-tables.js';

export interface TenantsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  token_hash: string;
  label: string;
  created_at: string;
}

export interface IntegratedAccountsTable {
  id: string;
  tenant_id: string;
  integration: string;
  status: string;
  /** CredentialCipher output; never plaintext */
  credentials: string;
  /** JSON of non-secret facts learnt from the vendor (e.g. the company time zone) */
  settings: string;
  created_at: string;
  updated_at: string;
  /** JSON {id, name?} of the tenant's customer who connected it (connect sessions); null otherwise */
  end_user?: string | null;
}

export interface ConnectSessionsTable {
  id: string;
  /** SHA-256 of the single-use token in the connect URL */
  token_hash: string;
  tenant_id: string;
  /** JSON {id, name?} */
  end_user: string;
  /** JSON array of integration slugs allowed in this session */
  integrations: string;
  redirect_url: string | null;
  expires_at: string;
  used_at: string | null;
  account_id: string | null;
  created_at: string;
}

export interface OAuthAppsTable {
  tenant_id: string;
  integration: string;
  client_id: string;
  /** CredentialCipher output */
  client_secret: string;
  updated_at: string;
}

export interface OAuthStatesTable {
  /** SHA-256 of the `state` sent through the vendor */
  state_hash: string;
  session_id: string;
  integration: string;
  /** SHA-256 of the nonce in the browser's cookie: the callback must come from the browser that started */
  browser_hash: string;
  expires_at: string;
}

/** One row per integrated account: its sync settings, the run in progress, and what is covered. */
export interface SyncStateTable {
  account_id: string;
  /** JSON of SyncSettings */
  settings: string;
  status: string;
  run_id: string | null;
  /** JSON of the run's plan (windows, streams), so a resumed run does the same work */
  run_plan: string | null;
  /** JSON {stream, pages, records} while running */
  progress: string | null;
  /** a run asked for (POST …/sync) and not started yet */
  requested_at: string | null;
  last_started_at: string | null;
  last_finished_at: string | null;
  next_run_at: string | null;
  synced_from: string | null;
  synced_through: string | null;
  data_as_of: string | null;
  last_error: string | null;
  updated_at: string;
}

export interface SyncCheckpointsTable {
  account_id: string;
  stream: string;
  run_id: string;
  /** opaque JSON of the stream: where to resume after the last committed vendor page */
  position: string;
  updated_at: string;
}

export interface StoreUsersTable {
  account_id: string;
  id: string;
  /** JSON of the unified User */
  record: string;
  fingerprint: string;
  created_at: string;
  modified_at: string;
}

export interface StoreMeetingsTable extends StoreUsersTable {
  start_at: string;
}

export interface StoreTranscriptsTable {
  account_id: string;
  meeting_id: string;
  start_at: string;
  /** the unified Transcript as JSON, sealed (never plaintext) */
  sealed: string;
  fingerprint: string;
  created_at: string;
  modified_at: string;
}

export interface StoreCallMetricsTable {
  account_id: string;
  meeting_id: string;
  user_id: string;
  started_at: string;
  longest_monologue: number | null;
  longest_customer_story: number | null;
  interactivity: number | null;
  patience: number | null;
  question_rate: number | null;
  talk_ratio: number | null;
  modified_at: string;
}

/** Per-call metrics of an account's UTC day, packed (store/metric-days.ts); derived from store_call_metrics. */
export interface StoreCallMetricDaysTable {
  account_id: string;
  /** YYYY-MM-DD, UTC */
  day: string;
  packed: Uint8Array;
  modified_at: string;
}

export interface StoreNativeBucketsTable {
  account_id: string;
  zone: string;
  period: string;
  bucket_start: string;
  bucket_end: string;
  synced_at: string;
}

export interface StoreNativeInteractionsTable {
  account_id: string;
  zone: string;
  period: string;
  bucket_start: string;
  user_id: string;
  /** JSON of the connector's InteractionDraft */
  record: string;
  modified_at: string;
}

export interface StoreActivityBucketsTable {
  account_id: string;
  zone: string;
  period: string;
  bucket_start: string;
  bucket_end: string;
  synced_at: string;
}

export interface StoreActivityTable {
  account_id: string;
  zone: string;
  period: string;
  bucket_start: string;
  user_id: string;
  /** JSON of the connector's ActivityDraft (without periodStart) */
  record: string;
  modified_at: string;
}

export interface StoreScorecardsTable {
  account_id: string;
  id: string;
  /** fixed-width UTC ISO instants (ordered as text) */
  call_start_at: string | null;
  reviewed_at: string | null;
  /** JSON of the unified Scorecard */
  record: string;
  fingerprint: string;
  modified_at: string;
}

export interface StoreScorecardTemplatesTable {
  account_id: string;
  id: string;
  record: string;
  modified_at: string;
}

export interface Database extends WebhookTables {
  tenants: TenantsTable;
  api_tokens: ApiTokensTable;
  integrated_accounts: IntegratedAccountsTable;
  sync_state: SyncStateTable;
  sync_checkpoints: SyncCheckpointsTable;
  store_users: StoreUsersTable;
  store_meetings: StoreMeetingsTable;
  store_transcripts: StoreTranscriptsTable;
  store_call_metrics: StoreCallMetricsTable;
  store_call_metric_days: StoreCallMetricDaysTable;
  store_native_buckets: StoreNativeBucketsTable;
  store_native_interactions: StoreNativeInteractionsTable;
  store_activity_buckets: StoreActivityBucketsTable;
  store_activity: StoreActivityTable;
  store_scorecards: StoreScorecardsTable;
  store_scorecard_templates: StoreScorecardTemplatesTable;
  connect_sessions: ConnectSessionsTable;
  oauth_apps: OAuthAppsTable;
  oauth_states: OAuthStatesTable;
}
