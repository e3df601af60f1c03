import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { WebhooksTable } from '../store/webhook-tables.js';
import type { CredentialCipher } from '../store/crypto.js';
import type { EventType } from '../domain/events.js';
import { newSigningSecret, sealSecret } from './signing.js';

/** Webhooks and their attempt log, always within one tenant: another tenant's rows are never seen. */
export interface WebhookRecord {
  id: string;
  tenantId: string;
  url: string;
  events: EventType[];
  status: 'enabled' | 'disabled';
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AttemptRecord {
  id: string;
  eventId: string;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: string;
  nextAttemptAt: string | null;
}

function toRecord(row: WebhooksTable): WebhookRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    events: JSON.parse(row.events) as EventType[],
    status: row.status as WebhookRecord['status'],
    disabledReason: row.disabled_reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class WebhookRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cipher: CredentialCipher,
    private readonly now: () => string,
  ) {}

  async count(tenantId: string): Promise<number> {
    const row = await this.db.selectFrom('webhooks').select((eb) => eb.fn.countAll<number | string>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** The clear secret is returned here, once; only its sealed form is stored. */
  async create(tenantId: string, input: { url: string; events: EventType[] }): Promise<{ webhook: WebhookRecord; secret: string }> {
    const id = `wh_${randomUUID().replaceAll('-', '')}`;
    const secret = newSigningSecret();
    const now = this.now();
    const row: WebhooksTable = {
      id,
      tenant_id: tenantId,
      url: input.url,
      secret: sealSecret(this.cipher, id, secret),
      events: JSON.stringify(input.events),
      status: 'enabled',
      disabled_reason: null,
      failing_since: null,
      consecutive_failures: 0,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('webhooks').values(row).execute();
    return { webhook: toRecord(row), secret };
  }

  async get(tenantId: string, id: string): Promise<WebhookRecord | undefined> {
    const row = await this.db.selectFrom('webhooks').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Keyset page by (created_at, id). */
  async list(tenantId: string, limit: number, after?: { createdAt: string; id: string }): Promise<WebhookRecord[]> {
    let q = this.db.selectFrom('webhooks').selectAll().where('tenant_id', '=', tenantId);
    if (after) q = q.where((eb) => eb.or([eb('created_at', '>', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)])]));
    const rows = await q.orderBy('created_at').orderBy('id').limit(limit).execute();
    return rows.map(toRecord);
  }

  /** Re-enabling clears the failure streak: the retry period starts again. */
  async update(tenantId: string, id: string, patch: { url?: string; events?: EventType[]; status?: 'enabled' | 'disabled' }): Promise<WebhookRecord | undefined> {
    const set: Partial<WebhooksTable> = { updated_at: this.now() };
    if (patch.url !== undefined) set.url = patch.url;
    if (patch.events !== undefined) set.events = JSON.stringify(patch.events);
    if (patch.status === 'enabled') Object.assign(set, { status: 'enabled', disabled_reason: null, failing_since: null, consecutive_failures: 0 });
    if (patch.status === 'disabled') Object.assign(set, { status: 'disabled', disabled_reason: 'disabled through the API' });
    await this.db.updateTable('webhooks').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    return this.get(tenantId, id);
  }

  /** Deletes its pending deliveries and attempt log with it (on delete cascade). */
  async delete(tenantId: string, id: string): Promise<boolean> {
    const res = await this.db.deleteFrom('webhooks').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  /** Attempts, newest first, by (attempted_at, id) descending. */
  async attempts(tenantId: string, webhookId: string, limit: number, before?: { attemptedAt: string; id: string }): Promise<AttemptRecord[]> {
    let q = this.db.selectFrom('webhook_attempts').selectAll().where('tenant_id', '=', tenantId).where('webhook_id', '=', webhookId);
    if (before) q = q.where((eb) => eb.or([eb('attempted_at', '<', before.attemptedAt), eb.and([eb('attempted_at', '=', before.attemptedAt), eb('id', '<', before.id)])]));
    const rows = await q.orderBy('attempted_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      eventType: r.event_type,
      attempt: Number(r.attempt),
      statusCode: r.status_code === null ? null : Number(r.status_code),
      error: r.error,
      durationMs: Number(r.duration_ms),
      attemptedAt: r.attempted_at,
      nextAttemptAt: r.next_attempt_at,
    }));
  }
}
