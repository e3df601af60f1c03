import { PostgresAdapter, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import { daysOfRows, repackDays } from './metric-days.js';

/**
 * Migrations in code (not files on disk) so they ship with the package and run at start-up on
 * both dialects. Only portable column types are used: text and integer, and binary (blob on SQLite,
 * bytea on Postgres) for packed derived data.
 */
const migrations: Record<string, Migration> = {
  '0001_tenants_tokens_accounts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('integrated_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('integration', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('credentials', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // the account list pages by (created_at, id) within a tenant
      await db.schema
        .createIndex('integrated_accounts_tenant_created')
        .on('integrated_accounts')
        .columns(['tenant_id', 'created_at', 'id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('integrated_accounts').execute();
      await db.schema.dropTable('api_tokens').execute();
      await db.schema.dropTable('tenants').execute();
    },
  },
  '0002_synced_store': {
    // The synced store (CONTRACT.md "Sync and the store"). Every row belongs to an integrated account
    // and goes with it (on delete cascade). Instants are fixed-width UTC ISO strings
    // (YYYY-MM-DDTHH:MM:SS.sssZ), so text order is time order on both dialects. `modified_at` is
    // when the store saw the record created or changed; `fingerprint` (a keyed hash of the record)
    // tells a change from a re-read.
    async up(db: Kysely<any>) {
      const account = (c: any) => c.notNull().references('integrated_accounts.id').onDelete('cascade');
      await db.schema
        .createTable('sync_state')
        .addColumn('account_id', 'text', (c) => c.primaryKey().references('integrated_accounts.id').onDelete('cascade'))
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text')
        .addColumn('run_plan', 'text')
        .addColumn('progress', 'text')
        .addColumn('requested_at', 'text')
        .addColumn('last_started_at', 'text')
        .addColumn('last_finished_at', 'text')
        .addColumn('next_run_at', 'text')
        .addColumn('synced_from', 'text')
        .addColumn('synced_through', 'text')
        .addColumn('data_as_of', 'text')
        .addColumn('last_error', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sync_state_next_run').on('sync_state').columns(['status', 'next_run_at']).execute();
      await db.schema
        .createTable('sync_checkpoints')
        .addColumn('account_id', 'text', account)
        .addColumn('stream', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('position', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sync_checkpoints_pk', ['account_id', 'stream'])
        .execute();
      for (const table of ['store_users', 'store_meetings']) {
        let t = db.schema
          .createTable(table)
          .addColumn('account_id', 'text', account)
          .addColumn('id', 'text', (c) => c.notNull());
        if (table === 'store_meetings') t = t.addColumn('start_at', 'text', (c) => c.notNull());
        await t
          .addColumn('record', 'text', (c) => c.notNull())
          .addColumn('fingerprint', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('modified_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['account_id', 'id'])
          .execute();
        await db.schema.createIndex(`${table}_modified`).on(table).columns(['account_id', 'modified_at', 'id']).execute();
      }
      await db.schema.createIndex('store_meetings_start').on('store_meetings').columns(['account_id', 'start_at', 'id']).execute();
      await db.schema
        .createTable('store_transcripts')
        .addColumn('account_id', 'text', account)
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('start_at', 'text', (c) => c.notNull())
        // the whole unified transcript, sealed like credentials (AES-256-GCM, random IV per row)
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_transcripts_pk', ['account_id', 'meeting_id'])
        .execute();
      await db.schema.createIndex('store_transcripts_modified').on('store_transcripts').columns(['account_id', 'modified_at', 'meeting_id']).execute();
      await db.schema.createIndex('store_transcripts_start').on('store_transcripts').columns(['account_id', 'start_at', 'meeting_id']).execute();
      // One row per call and internal user: the METRICS.md per-call values, computed once at sync time.
      await db.schema
        .createTable('store_call_metrics')
        .addColumn('account_id', 'text', account)
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('longest_monologue', 'double precision')
        .addColumn('longest_customer_story', 'double precision')
        .addColumn('interactivity', 'double precision')
        .addColumn('patience', 'double precision')
        .addColumn('question_rate', 'double precision')
        .addColumn('talk_ratio', 'double precision')
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_call_metrics_pk', ['account_id', 'meeting_id', 'user_id'])
        .execute();
      await db.schema.createIndex('store_call_metrics_started').on('store_call_metrics').columns(['account_id', 'started_at']).execute();
      // The vendor's own interaction numbers per calendar bucket (Gong: day, ISO week, month in the
      // company zone), and which buckets were synced (an empty bucket is known, not missing).
      await db.schema
        .createTable('store_native_buckets')
        .addColumn('account_id', 'text', account)
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('bucket_start', 'text', (c) => c.notNull())
        .addColumn('bucket_end', 'text', (c) => c.notNull())
        .addColumn('synced_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_native_buckets_pk', ['account_id', 'zone', 'period', 'bucket_start'])
        .execute();
      await db.schema
        .createTable('store_native_interactions')
        .addColumn('account_id', 'text', account)
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('bucket_start', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_native_interactions_pk', ['account_id', 'zone', 'period', 'bucket_start', 'user_id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of [
        'store_native_interactions',
        'store_native_buckets',
        'store_call_metrics',
        'store_transcripts',
        'store_meetings',
        'store_users',
        'sync_checkpoints',
        'sync_state',
      ]) {
        await db.schema.dropTable(t).execute();
      }
    },
  },
  '0003_webhooks': {
    // Webhooks (CONTRACT.md "Webhooks (push)"): subscriptions per tenant, the outbox of events (written
    // in the transaction of the data that caused them), one delivery per (webhook, event) carrying its
    // retry schedule and lease, and the log of every attempt.
    async up(db: Kysely<any>) {
      const tenant = (c: any) => c.notNull().references('tenants.id').onDelete('cascade');
      await db.schema
        .createTable('webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', tenant)
        .addColumn('url', 'text', (c) => c.notNull())
        // the whsec_ signing secret, sealed like credentials (AAD: the webhook id)
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('failing_since', 'text')
        .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('webhooks_tenant_created').on('webhooks').columns(['tenant_id', 'created_at', 'id']).execute();
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('tenant_id', 'text', tenant)
        // no foreign key: an event outlives the account it is about (its deliveries still go out)
        .addColumn('account_id', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        // the exact body every attempt sends, so a retry is byte-identical
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('outbox_created').on('outbox').columns(['created_at']).execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
        .addColumn('event_id', 'text', (c) => c.notNull().references('outbox.id').onDelete('cascade'))
        .addColumn('tenant_id', 'text', tenant)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_webhook_event', ['webhook_id', 'event_id'])
        .execute();
      await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
        .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
        .addColumn('tenant_id', 'text', tenant)
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('attempted_at', 'text', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text')
        .execute();
      await db.schema.createIndex('webhook_attempts_webhook').on('webhook_attempts').columns(['webhook_id', 'attempted_at', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['webhook_attempts', 'webhook_deliveries', 'outbox', 'webhooks']) await db.schema.dropTable(t).execute();
    },
  },
  '0004_activity_scorecards': {
    // Gong's own activity counters per calendar bucket (day, ISO week, month in the company zone) and
    // which buckets a sync read whole; answered scorecards and scorecard templates (src/store/activity-store.ts).
    async up(db: Kysely<any>) {
      const account = (c: any) => c.notNull().references('integrated_accounts.id').onDelete('cascade');
      await db.schema
        .createTable('store_activity_buckets')
        .addColumn('account_id', 'text', account)
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('bucket_start', 'text', (c) => c.notNull())
        .addColumn('bucket_end', 'text', (c) => c.notNull())
        .addColumn('synced_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_activity_buckets_pk', ['account_id', 'zone', 'period', 'bucket_start'])
        .execute();
      await db.schema
        .createTable('store_activity')
        .addColumn('account_id', 'text', account)
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('bucket_start', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_activity_pk', ['account_id', 'zone', 'period', 'bucket_start', 'user_id'])
        .execute();
      await db.schema
        .createTable('store_scorecards')
        .addColumn('account_id', 'text', account)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('call_start_at', 'text')
        .addColumn('reviewed_at', 'text')
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_scorecards_pk', ['account_id', 'id'])
        .execute();
      await db.schema.createIndex('store_scorecards_call').on('store_scorecards').columns(['account_id', 'call_start_at', 'id']).execute();
      await db.schema
        .createTable('store_scorecard_templates')
        .addColumn('account_id', 'text', account)
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_scorecard_templates_pk', ['account_id', 'id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['store_scorecard_templates', 'store_scorecards', 'store_activity', 'store_activity_buckets']) await db.schema.dropTable(t).execute();
    },
  },
  // who connected an account, connect sessions, tenants' OAuth apps, OAuth states
  '0005_connect_oauth': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('integrated_accounts').addColumn('end_user', 'text').execute();
      await db.schema
        .createTable('connect_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('end_user', 'text', (c) => c.notNull())
        .addColumn('integrations', 'text', (c) => c.notNull())
        .addColumn('redirect_url', 'text')
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('account_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('oauth_apps')
        .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('integration', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('client_secret', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('oauth_apps_pk', ['tenant_id', 'integration'])
        .execute();
      await db.schema
        .createTable('oauth_states')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('session_id', 'text', (c) => c.notNull().references('connect_sessions.id').onDelete('cascade'))
        .addColumn('integration', 'text', (c) => c.notNull())
        .addColumn('browser_hash', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['oauth_states', 'oauth_apps', 'connect_sessions']) await db.schema.dropTable(t).execute();
      await db.schema.alterTable('integrated_accounts').dropColumn('end_user').execute();
    },
  },
  // Per-call metrics packed per account and UTC day (store/metric-days.ts): what computed reads
  // aggregate. Filled here from the rows already synced.
  '0006_call_metric_days': {
    async up(db: Kysely<any>) {
      const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
      await db.schema
        .createTable('store_call_metric_days')
        .addColumn('account_id', 'text', (c) => c.notNull().references('integrated_accounts.id').onDelete('cascade'))
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('packed', binary, (c) => c.notNull())
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('store_call_metric_days_pk', ['account_id', 'day'])
        .execute();
      const now = new Date().toISOString();
      const accounts = await db.selectFrom('store_call_metrics').select('account_id').distinct().execute();
      for (const { account_id } of accounts) {
        await repackDays(db as Kysely<Database>, account_id as string, await daysOfRows(db as Kysely<Database>, account_id as string), now);
      }
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('store_call_metric_days').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
