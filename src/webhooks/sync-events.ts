import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { StepChanges, SyncStep } from '../store/synced-store.js';
import type { Clock } from '../domain/clock.js';
import type { ParleyEvent } from '../domain/events.js';
import { recordEvent, recordEvents } from './outbox.js';
import type { RunResult } from '../sync/engine.js';

/**
 * The sync engine's events (its `SyncEvents`), written into the outbox inside the engine's own
 * transactions: `meeting.created` per new meeting, `transcript.created` per new transcript,
 * `interactions.updated` with the UTC days whose per-call metrics changed, once per committed
 * step; `sync.completed` / `sync.failed` with the run's final state. Transcript text never goes
 * into an event (the outbox is not sealed): a receiver reads it through the API.
 */
export class SyncEventWriter {
  /** an account's tenant never changes: looked up once */
  private readonly tenants = new Map<string, string>();

  constructor(private readonly clock: Clock) {}

  private async tenantOf(trx: Transaction<Database>, accountId: string): Promise<string | undefined> {
    const known = this.tenants.get(accountId);
    if (known) return known;
    const row = await trx.selectFrom('integrated_accounts').select('tenant_id').where('id', '=', accountId).executeTakeFirst();
    if (row) this.tenants.set(accountId, row.tenant_id);
    return row?.tenant_id;
  }

  async stepCommitting(trx: Transaction<Database>, accountId: string, step: SyncStep, changes: StepChanges): Promise<void> {
    if (changes.newMeetings.length === 0 && changes.transcripts.length === 0) return;
    const tenantId = await this.tenantOf(trx, accountId);
    if (!tenantId) return;
    const events: ParleyEvent[] = [];
    const event = (type: ParleyEvent['type'], data: Record<string, unknown>) => events.push({ type, tenantId, integratedAccountId: accountId, data });
    if (changes.newMeetings.length > 0) {
      const byId = new Map((step.meetings ?? []).map((m) => [m.id, m]));
      for (const id of changes.newMeetings) {
        const meeting = byId.get(id);
        if (!meeting) continue;
        // the unified record without the vendor's raw payload (GET …/meetings/{id} has it)
        const { remote_data: _raw, ...record } = meeting as typeof meeting & { remote_data?: unknown };
        event('meeting.created', { meeting_id: id, meeting: record });
      }
    }
    for (const meetingId of changes.newTranscripts) event('transcript.created', { meeting_id: meetingId });
    if (changes.transcripts.length > 0) {
      const changed = new Set(changes.transcripts);
      const days = new Set<string>();
      for (const t of step.transcripts ?? []) {
        if (changed.has(t.meetingId) && t.metrics.length > 0) days.add(new Date(Date.parse(t.startAt)).toISOString().slice(0, 10));
      }
      if (days.size > 0) event('interactions.updated', { days: [...days].sort(), time_zone: 'UTC' });
    }
    if (events.length > 0) await recordEvents(trx, events, this.clock.now());
  }

  async runFinished(
    trx: Transaction<Database>,
    accountId: string,
    result: RunResult,
  ): Promise<void> {
    const tenantId = await this.tenantOf(trx, accountId);
    if (!tenantId) return;
    await recordEvent(
      trx,
      {
        type: result.outcome === 'completed' ? 'sync.completed' : 'sync.failed',
        tenantId,
        integratedAccountId: accountId,
        data: {
          run_id: result.runId,
          started_at: result.startedAt,
          finished_at: result.finishedAt,
          synced_from: result.syncedFrom,
          synced_through: result.syncedThrough,
          records_written: result.records,
          ...(result.error ? { error: result.error } : {}),
        },
      },
      this.clock.now(),
    );
  }
}
