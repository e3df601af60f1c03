import { createHmac, hkdfSync } from 'node:crypto';
import { ActivityStore, writeActivityStep, type ActivityStepWrite } from './activity-store.js';
import { promisify } from 'node:util';
import { deflateRaw as deflateRawCallback, deflateRawSync, inflateRawSync } from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, StoreCallMetricsTable, SyncStateTable } from './schema.js';
import { CredentialCipher } from './crypto.js';
import { systemClock, type Clock } from '../domain/clock.js';
import type { Meeting, Transcript, User } from '../domain/resources.js';
import type { CallMetricsRow } from '../metrics/aggregate.js';
import { dayOf, daysOfRows, packedDays, repackDays, unpackDay, type MetricDay } from './metric-days.js';
import { DEFAULT_SYNC_SETTINGS, SyncSettings, type SyncStatusName } from '../domain/sync.js';
import { storedBucketRecords, storedBuckets } from './bucket-tables.js';

/**
 * The synced store: what sync runs read from vendors, kept per integrated account, and the state of
 * those runs. Each vendor page is committed with the run's checkpoint in one transaction
 * (`commitStep`), so a process killed at any moment leaves the store and the checkpoint agreeing.
 * Transcripts are sealed like credentials (AES-256-GCM, random IV per row, the row's identity as
 * additional data); everything else is stored as the unified record the live API would return.
 */

/** Fixed-width UTC instants: text order is time order in both databases. */
export function storeInstant(value: string | number | Date): string {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${String(value)}`);
  return new Date(ms).toISOString();
}

export interface SyncState {
  accountId: string;
  settings: SyncSettings;
  status: SyncStatusName;
  runId: string | null;
  runPlan: unknown;
  progress: { stream: string; pages: number; records: number } | null;
  requestedAt: string | null;
  lastStartedAt: string | null;
  lastFinishedAt: string | null;
  nextRunAt: string | null;
  syncedFrom: string | null;
  syncedThrough: string | null;
  dataAsOf: string | null;
  lastError: string | null;
}

function toState(row: SyncStateTable): SyncState {
  return {
    accountId: row.account_id,
    settings: SyncSettings.parse(JSON.parse(row.settings)),
    status: row.status as SyncStatusName,
    runId: row.run_id,
    runPlan: row.run_plan ? JSON.parse(row.run_plan) : null,
    progress: row.progress ? JSON.parse(row.progress) : null,
    requestedAt: row.requested_at,
    lastStartedAt: row.last_started_at,
    lastFinishedAt: row.last_finished_at,
    nextRunAt: row.next_run_at,
    syncedFrom: row.synced_from,
    syncedThrough: row.synced_through,
    dataAsOf: row.data_as_of,
    lastError: row.last_error,
  };
}

export type SyncStatePatch = Partial<Omit<SyncState, 'accountId'>>;

function toRow(patch: SyncStatePatch): Partial<SyncStateTable> {
  const row: Partial<SyncStateTable> = {};
  if (patch.settings !== undefined) row.settings = JSON.stringify(patch.settings);
  if (patch.status !== undefined) row.status = patch.status;
  if (patch.runId !== undefined) row.run_id = patch.runId;
  if (patch.runPlan !== undefined) row.run_plan = patch.runPlan === null ? null : JSON.stringify(patch.runPlan);
  if (patch.progress !== undefined) row.progress = patch.progress === null ? null : JSON.stringify(patch.progress);
  if (patch.requestedAt !== undefined) row.requested_at = patch.requestedAt;
  if (patch.lastStartedAt !== undefined) row.last_started_at = patch.lastStartedAt;
  if (patch.lastFinishedAt !== undefined) row.last_finished_at = patch.lastFinishedAt;
  if (patch.nextRunAt !== undefined) row.next_run_at = patch.nextRunAt;
  if (patch.syncedFrom !== undefined) row.synced_from = patch.syncedFrom;
  if (patch.syncedThrough !== undefined) row.synced_through = patch.syncedThrough;
  if (patch.dataAsOf !== undefined) row.data_as_of = patch.dataAsOf;
  if (patch.lastError !== undefined) row.last_error = patch.lastError;
  return row;
}

const deflateRaw = promisify(deflateRawCallback);
/**
 * The best of zlib's fast levels: about half the default's (6) CPU for a page of transcripts, which
 * the sync waits for before its next request, for ~11 % more bytes per call (BENCHMARKS.md (i)).
 */
const TRANSCRIPT_DEFLATE_LEVEL = 3;
const SEALING_AT_ONCE = 8;

const METRIC_COLUMNS = ['longest_monologue', 'longest_customer_story', 'interactivity', 'patience', 'question_rate', 'talk_ratio'] as const;

/** A transcript to store, with the per-call metrics computed from it (none when it has nothing to measure). */
export interface TranscriptWrite {
  meetingId: string;
  startAt: string;
  transcript: Transcript;
  metrics: CallMetricsRow[];
}

export interface NativeBucketWrite {
  zone: string;
  period: string;
  bucketStart: string;
  bucketEnd: string;
  /** one draft per user (the connector's InteractionDraft), keyed by user id */
  records: { userId: string; record: unknown }[];
}

/** Everything one vendor page brought, committed together with the position after it. */
export interface SyncStep extends ActivityStepWrite {
  users?: User[];
  meetings?: Meeting[];
  transcripts?: TranscriptWrite[];
  /** meetings known to have no transcript (yet): their metrics rows go */
  noTranscript?: string[];
  native?: NativeBucketWrite[];
}

export interface StepChanges {
  /** ids of meetings the store did not have */
  newMeetings: string[];
  /** ids of meetings whose record changed */
  changedMeetings: string[];
  /** meeting ids whose transcript is new or changed */
  transcripts: string[];
  /** meeting ids whose transcript the store did not have */
  newTranscripts: string[];
  /** records written (new or changed) */
  written: number;
}

export interface CheckpointWrite {
  stream: string;
  runId: string;
  /** null: the stream is done for this run */
  position: unknown;
}

export interface Counts {
  users: number;
  meetings: number;
  transcripts: number;
  call_metrics: number;
  native_interactions: number;
}

/** A stored record with the time the store last saw it change. */
export interface Stored<T> {
  record: T;
  createdAt: string;
  modifiedAt: string;
}

export interface KeysetQuery {
  limit: number;
  modifiedAfter?: string;
}

/**
 * Work done inside a store transaction by the layer above (the webhooks outbox): it commits or rolls
 * back with the data.
 */
export type InTransaction<A extends unknown[] = []> = (trx: Transaction<Database>, ...args: A) => Promise<void>;

export class SyncedStore {
  /** activity counters, scorecards and templates (their own tables and reads) */
  readonly activity: ActivityStore;
  private readonly cipher: CredentialCipher;
  private readonly fingerprintKey: Buffer;

  constructor(
    private readonly db: Kysely<Database>,
    secretKey: Buffer,
    private readonly clock: Clock = systemClock,
  ) {
    this.activity = new ActivityStore(db);
    this.cipher = new CredentialCipher(secretKey);
    this.fingerprintKey = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'parley store fingerprint v1', 32));
  }

  private now(): string {
    return storeInstant(this.clock.now());
  }

  /** Keyed, so a fingerprint of a short transcript cannot be matched against guesses. */
  private fingerprint(value: unknown): string {
    return this.fingerprintOf(JSON.stringify(value));
  }

  private fingerprintOf(json: string): string {
    return createHmac('sha256', this.fingerprintKey).update(json).digest('base64url').slice(0, 32);
  }

  /**
   * A transcript's JSON is compressed, then sealed: a transcript (entries and the vendor's raw
   * record) is ~100 KB of text that deflates ~8× — most of the store's size on disk.
   */
  private sealTranscript(json: string, accountId: string, meetingId: string): string {
    return this.sealCompressed(deflateRawSync(json, { level: TRANSCRIPT_DEFLATE_LEVEL }), accountId, meetingId);
  }

  private sealCompressed(compressed: Buffer, accountId: string, meetingId: string): string {
    return this.cipher.encryptBytes(compressed, this.transcriptAad(accountId, meetingId));
  }

  /**
   * A page's transcripts with their fingerprints, sealed ahead of the transaction where the store
   * lacks them or holds another version: compressing is most of a page's CPU, and done here it runs on
   * libuv's threads while the next transcript is serialized, and while the database is free (the sync
   * run waits for it, nobody else does). What the transaction then finds changed but not sealed
   * (another writer in between) is sealed there; what it finds unchanged is not written.
   */
  private async sealedTranscripts(accountId: string, list: readonly TranscriptWrite[]): Promise<{ t: TranscriptWrite; fingerprint: string; sealed: () => string }[]> {
    if (list.length === 0) return [];
    const known = await fingerprints(this.db, 'store_transcripts', accountId, list.map((t) => t.meetingId));
    const out: { t: TranscriptWrite; json: string; fingerprint: string; ahead?: string }[] = [];
    // a few compressions at a time, started as each transcript is serialized (the next one is
    // serialized while they run): libuv has four threads, and each holds its buffers until it ends
    const running = new Set<Promise<void>>();
    for (const t of list) {
      const json = JSON.stringify(t.transcript);
      const entry: (typeof out)[number] = { t, json, fingerprint: this.fingerprintOf(json) };
      out.push(entry);
      if (known.get(t.meetingId) === entry.fingerprint) continue;
      const sealing: Promise<void> = deflateRaw(json, { level: TRANSCRIPT_DEFLATE_LEVEL }).then((compressed) => {
        entry.ahead = this.sealCompressed(compressed, accountId, t.meetingId);
        running.delete(sealing);
      });
      running.add(sealing);
      if (running.size >= SEALING_AT_ONCE) await Promise.race(running);
    }
    await Promise.all(running);
    return out.map((e) => ({ t: e.t, fingerprint: e.fingerprint, sealed: () => e.ahead ?? this.sealTranscript(e.json, accountId, e.t.meetingId) }));
  }

  private openTranscript(sealed: string, accountId: string, meetingId: string): Transcript {
    return JSON.parse(inflateRawSync(this.cipher.decryptBytes(sealed, this.transcriptAad(accountId, meetingId))).toString('utf8')) as Transcript;
  }

  private transcriptAad(accountId: string, meetingId: string): string {
    return `transcript\u0000${accountId}\u0000${meetingId}`;
  }

  // ---- sync state ------------------------------------------------------------------------------

  async state(accountId: string): Promise<SyncState | undefined> {
    const row = await this.db.selectFrom('sync_state').selectAll().where('account_id', '=', accountId).executeTakeFirst();
    return row ? toState(row) : undefined;
  }

  /** The account's sync state, created with `settings` (default settings) when it has none. */
  async ensureState(accountId: string, settings: SyncSettings = DEFAULT_SYNC_SETTINGS, nextRunAt: string | null = this.now()): Promise<SyncState> {
    await this.db
      .insertInto('sync_state')
      .values({
        account_id: accountId,
        settings: JSON.stringify(settings),
        status: settings.enabled ? 'idle' : 'disabled',
        next_run_at: settings.enabled ? nextRunAt : null,
        run_id: null,
        run_plan: null,
        progress: null,
        requested_at: null,
        last_started_at: null,
        last_finished_at: null,
        synced_from: null,
        synced_through: null,
        data_as_of: null,
        last_error: null,
        updated_at: this.now(),
      })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    return (await this.state(accountId))!;
  }

  /** `within` runs in the same transaction (the outbox event of a run's outcome). */
  async updateState(accountId: string, patch: SyncStatePatch, within?: InTransaction): Promise<void> {
    const write = (db: Kysely<Database>) =>
      db
        .updateTable('sync_state')
        .set({ ...toRow(patch), updated_at: this.now() })
        .where('account_id', '=', accountId)
        .execute();
    if (!within) {
      await write(this.db);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      await write(trx);
      await within(trx);
    });
  }

  /**
   * Claim the account for a run: only one claimer wins (status flips from a non-running status in
   * one statement), so two schedulers never start the same account twice.
   */
  async claimRun(accountId: string, runId: string, patch: SyncStatePatch): Promise<boolean> {
    const res = await this.db
      .updateTable('sync_state')
      .set({ ...toRow(patch), status: 'running', run_id: runId, updated_at: this.now() })
      .where('account_id', '=', accountId)
      .where('status', '<>', 'running')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Accounts whose next run is due (or was asked for), and runs left `running` by a dead process. */
  async dueAccounts(nowIso: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('sync_state')
      .select('account_id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', 'in', ['idle', 'failed']), eb('next_run_at', '<=', nowIso)]),
          eb.and([eb('status', 'in', ['idle', 'failed']), eb('requested_at', 'is not', null)]),
        ]),
      )
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.account_id);
  }

  /**
   * Per integration and sync status: how many accounts, and the oldest `data_as_of` among them
   * (the start of their last completed run; null when none has completed one). For /metrics.
   */
  async syncOverview(): Promise<{ integration: string; status: string; accounts: number; oldestDataAsOf: string | null }[]> {
    const rows = await this.db
      .selectFrom('sync_state')
      .innerJoin('integrated_accounts', 'integrated_accounts.id', 'sync_state.account_id')
      .select((eb) => [
        'integrated_accounts.integration as integration',
        'sync_state.status as status',
        eb.fn.countAll<string | number>().as('accounts'),
        eb.fn.min<string | null>('sync_state.data_as_of').as('oldest'),
      ])
      .groupBy(['integrated_accounts.integration', 'sync_state.status'])
      .execute();
    return rows.map((r) => ({ integration: r.integration, status: r.status, accounts: Number(r.accounts), oldestDataAsOf: r.oldest ?? null }));
  }

  /** Runs marked running: after a restart, these belonged to a process that died. */
  async runningAccounts(): Promise<string[]> {
    const rows = await this.db.selectFrom('sync_state').select('account_id').where('status', '=', 'running').execute();
    return rows.map((r) => r.account_id);
  }

  async checkpoint(accountId: string, stream: string, runId: string): Promise<unknown> {
    const row = await this.db
      .selectFrom('sync_checkpoints')
      .select('position')
      .where('account_id', '=', accountId)
      .where('stream', '=', stream)
      .where('run_id', '=', runId)
      .executeTakeFirst();
    return row ? JSON.parse(row.position) : undefined;
  }

  async clearCheckpoints(accountId: string): Promise<void> {
    await this.db.deleteFrom('sync_checkpoints').where('account_id', '=', accountId).execute();
  }

  // ---- writes ----------------------------------------------------------------------------------

  /**
   * Commit what one vendor page brought and where the stream resumes after it, atomically, and
   * report what changed. `within` runs in the same transaction with what changed (the webhooks
   * outbox: an event is committed with its data or not at all).
   */
  async commitStep(
    accountId: string,
    step: SyncStep,
    checkpoint: CheckpointWrite,
    progress?: SyncState['progress'],
    within?: InTransaction<[StepChanges]>,
  ): Promise<StepChanges> {
    const now = this.now();
    const changes: StepChanges = { newMeetings: [], changedMeetings: [], transcripts: [], newTranscripts: [], written: 0 };
    // Sealing and fingerprints are CPU work: done before the transaction holds the database.
    const users = (step.users ?? []).map((u) => {
      const record = JSON.stringify(u);
      return { id: u.id, record, fingerprint: this.fingerprintOf(record) };
    });
    const meetings = (step.meetings ?? []).map((m) => {
      const record = JSON.stringify(m);
      return { id: m.id, start_at: storeInstant(m.start_time), record, fingerprint: this.fingerprintOf(record) };
    });
    const transcripts = await this.sealedTranscripts(accountId, step.transcripts ?? []);

    await this.db.transaction().execute(async (trx) => {
      if (users.length > 0) {
        const known = await fingerprints(trx, 'store_users', accountId, users.map((u) => u.id));
        const rows = users.filter((u) => known.get(u.id) !== u.fingerprint);
        for (const part of chunks(rows, 200)) {
          await trx
            .insertInto('store_users')
            .values(part.map((u) => ({ account_id: accountId, id: u.id, record: u.record, fingerprint: u.fingerprint, created_at: now, modified_at: now })))
            .onConflict((oc) =>
              oc.columns(['account_id', 'id']).doUpdateSet((eb) => ({
                record: eb.ref('excluded.record'),
                fingerprint: eb.ref('excluded.fingerprint'),
                modified_at: eb.ref('excluded.modified_at'),
              })),
            )
            .execute();
        }
        changes.written += rows.length;
      }
      if (meetings.length > 0) {
        const known = await fingerprints(trx, 'store_meetings', accountId, meetings.map((m) => m.id));
        const rows = meetings.filter((m) => known.get(m.id) !== m.fingerprint);
        for (const m of rows) (known.has(m.id) ? changes.changedMeetings : changes.newMeetings).push(m.id);
        for (const part of chunks(rows, 200)) {
          await trx
            .insertInto('store_meetings')
            .values(part.map((m) => ({ account_id: accountId, id: m.id, start_at: m.start_at, record: m.record, fingerprint: m.fingerprint, created_at: now, modified_at: now })))
            .onConflict((oc) =>
              oc.columns(['account_id', 'id']).doUpdateSet((eb) => ({
                start_at: eb.ref('excluded.start_at'),
                record: eb.ref('excluded.record'),
                fingerprint: eb.ref('excluded.fingerprint'),
                modified_at: eb.ref('excluded.modified_at'),
              })),
            )
            .execute();
        }
        changes.written += rows.length;
      }
      // the UTC days whose per-call metrics this step changes: where they were, and where they go
      const touchedDays: string[] = [];
      if (transcripts.length > 0) {
        const known = await fingerprints(trx, 'store_transcripts', accountId, transcripts.map((t) => t.t.meetingId));
        const changed = transcripts.filter(({ t, fingerprint }) => known.get(t.meetingId) !== fingerprint);
        touchedDays.push(...(await daysOfRows(trx, accountId, changed.map(({ t }) => t.meetingId))));
        for (const { t } of changed) for (const r of t.metrics) touchedDays.push(dayOf(storeInstant(r.started_at)));
        for (const { t, fingerprint, sealed } of changed) {
          changes.transcripts.push(t.meetingId);
          if (!known.has(t.meetingId)) changes.newTranscripts.push(t.meetingId);
          await trx
            .insertInto('store_transcripts')
            .values({ account_id: accountId, meeting_id: t.meetingId, start_at: storeInstant(t.startAt), sealed: sealed(), fingerprint, created_at: now, modified_at: now })
            .onConflict((oc) =>
              oc.columns(['account_id', 'meeting_id']).doUpdateSet((eb) => ({
                start_at: eb.ref('excluded.start_at'),
                sealed: eb.ref('excluded.sealed'),
                fingerprint: eb.ref('excluded.fingerprint'),
                modified_at: eb.ref('excluded.modified_at'),
              })),
            )
            .execute();
          await replaceCallMetrics(trx, accountId, t.meetingId, t.metrics, now);
          changes.written += 1;
        }
      }
      if (step.noTranscript?.length) touchedDays.push(...(await daysOfRows(trx, accountId, step.noTranscript)));
      for (const meetingId of step.noTranscript ?? []) {
        await trx.deleteFrom('store_call_metrics').where('account_id', '=', accountId).where('meeting_id', '=', meetingId).execute();
      }
      if (touchedDays.length > 0) await repackDays(trx, accountId, touchedDays, now);
      for (const b of step.native ?? []) {
        await trx
          .deleteFrom('store_native_interactions')
          .where('account_id', '=', accountId)
          .where('zone', '=', b.zone)
          .where('period', '=', b.period)
          .where('bucket_start', '=', b.bucketStart)
          .execute();
        for (const part of chunks(b.records, 200)) {
          await trx
            .insertInto('store_native_interactions')
            .values(
              part.map((r) => ({
                account_id: accountId,
                zone: b.zone,
                period: b.period,
                bucket_start: b.bucketStart,
                user_id: r.userId,
                record: JSON.stringify(r.record),
                modified_at: now,
              })),
            )
            .execute();
        }
        await trx
          .insertInto('store_native_buckets')
          .values({ account_id: accountId, zone: b.zone, period: b.period, bucket_start: b.bucketStart, bucket_end: b.bucketEnd, synced_at: now })
          .onConflict((oc) =>
            oc.columns(['account_id', 'zone', 'period', 'bucket_start']).doUpdateSet((eb) => ({
              bucket_end: eb.ref('excluded.bucket_end'),
              synced_at: eb.ref('excluded.synced_at'),
            })),
          )
          .execute();
        changes.written += b.records.length;
      }
      changes.written += await writeActivityStep(trx, accountId, step, now);
      if (checkpoint.position === null) {
        await trx.deleteFrom('sync_checkpoints').where('account_id', '=', accountId).where('stream', '=', checkpoint.stream).execute();
      } else {
        await trx
          .insertInto('sync_checkpoints')
          .values({ account_id: accountId, stream: checkpoint.stream, run_id: checkpoint.runId, position: JSON.stringify(checkpoint.position), updated_at: now })
          .onConflict((oc) =>
            oc.columns(['account_id', 'stream']).doUpdateSet((eb) => ({
              run_id: eb.ref('excluded.run_id'),
              position: eb.ref('excluded.position'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
      if (progress) {
        await trx.updateTable('sync_state').set({ progress: JSON.stringify(progress), updated_at: now }).where('account_id', '=', accountId).execute();
      }
      if (within) await within(trx, changes);
    });
    return changes;
  }

  // ---- reads -----------------------------------------------------------------------------------

  async counts(accountId: string): Promise<Counts> {
    const count = async (table: 'store_users' | 'store_meetings' | 'store_transcripts' | 'store_call_metrics' | 'store_native_interactions') => {
      const row = await this.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    };
    return {
      users: await count('store_users'),
      meetings: await count('store_meetings'),
      transcripts: await count('store_transcripts'),
      call_metrics: await count('store_call_metrics'),
      native_interactions: await count('store_native_interactions'),
    };
  }

  /** Users by id (or by (modified_at, id) with `modifiedAfter`), after the keyset position `after`. */
  async users(accountId: string, q: KeysetQuery & { after?: { m?: string; id: string } }): Promise<Stored<User>[]> {
    let query = this.db.selectFrom('store_users').select(['id', 'record', 'created_at', 'modified_at']).where('account_id', '=', accountId);
    if (q.modifiedAfter !== undefined) {
      const m = q.modifiedAfter;
      query = query.where('modified_at', '>', m);
      if (q.after?.m !== undefined) {
        const { m: am, id } = q.after as { m: string; id: string };
        query = query.where((eb) => eb.or([eb('modified_at', '>', am), eb.and([eb('modified_at', '=', am), eb('id', '>', id)])]));
      }
      query = query.orderBy('modified_at').orderBy('id');
    } else {
      if (q.after) query = query.where('id', '>', q.after.id);
      query = query.orderBy('id');
    }
    const rows = await query.limit(q.limit).execute();
    return rows.map((r) => ({ record: JSON.parse(r.record) as User, createdAt: r.created_at, modifiedAt: r.modified_at }));
  }

  async user(accountId: string, id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('store_users').select('record').where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
    return row ? (JSON.parse(row.record) as User) : undefined;
  }

  /** Name and emails of every synced user, for interaction records. */
  async userDirectory(accountId: string): Promise<Map<string, User>> {
    const rows = await this.db.selectFrom('store_users').select(['id', 'record']).where('account_id', '=', accountId).execute();
    return new Map(rows.map((r) => [r.id, JSON.parse(r.record) as User]));
  }

  /**
   * Meetings that started in [start, end), by (start_at, id), after the keyset position `after`;
   * with `modifiedAfter`, by (modified_at, id) instead.
   */
  async meetings(
    accountId: string,
    q: KeysetQuery & { start?: string; end?: string; after?: { s?: string; m?: string; id: string } },
  ): Promise<Stored<Meeting>[]> {
    let query = this.db.selectFrom('store_meetings').select(['id', 'record', 'created_at', 'modified_at']).where('account_id', '=', accountId);
    if (q.start !== undefined) query = query.where('start_at', '>=', q.start);
    if (q.end !== undefined) query = query.where('start_at', '<', q.end);
    if (q.modifiedAfter !== undefined) {
      query = query.where('modified_at', '>', q.modifiedAfter);
      if (q.after?.m !== undefined) {
        const { m, id } = q.after as { m: string; id: string };
        query = query.where((eb) => eb.or([eb('modified_at', '>', m), eb.and([eb('modified_at', '=', m), eb('id', '>', id)])]));
      }
      query = query.orderBy('modified_at').orderBy('id');
    } else {
      if (q.after?.s !== undefined) {
        const { s, id } = q.after as { s: string; id: string };
        query = query.where((eb) => eb.or([eb('start_at', '>', s), eb.and([eb('start_at', '=', s), eb('id', '>', id)])]));
      }
      query = query.orderBy('start_at').orderBy('id');
    }
    const rows = await query.limit(q.limit).execute();
    return rows.map((r) => ({ record: JSON.parse(r.record) as Meeting, createdAt: r.created_at, modifiedAt: r.modified_at }));
  }

  async meeting(accountId: string, id: string): Promise<Stored<Meeting> | undefined> {
    const row = await this.db
      .selectFrom('store_meetings')
      .select(['record', 'created_at', 'modified_at'])
      .where('account_id', '=', accountId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { record: JSON.parse(row.record) as Meeting, createdAt: row.created_at, modifiedAt: row.modified_at } : undefined;
  }

  /** Which of these meetings the store holds exactly as they are (nothing changed since). */
  async unchangedMeetings(accountId: string, meetings: readonly Meeting[]): Promise<Set<string>> {
    const out = new Set<string>();
    if (meetings.length === 0) return out;
    const known = await fingerprints(this.db, 'store_meetings', accountId, meetings.map((m) => m.id));
    for (const m of meetings) if (known.get(m.id) === this.fingerprint(m)) out.add(m.id);
    return out;
  }

  /** Which of these meetings have a stored transcript. */
  async transcribed(accountId: string, meetingIds: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks([...meetingIds], 500)) {
      if (part.length === 0) continue;
      const rows = await this.db
        .selectFrom('store_transcripts')
        .select('meeting_id')
        .where('account_id', '=', accountId)
        .where('meeting_id', 'in', part)
        .execute();
      for (const r of rows) out.add(r.meeting_id);
    }
    return out;
  }

  async transcript(accountId: string, meetingId: string): Promise<Stored<Transcript> | undefined> {
    const row = await this.db
      .selectFrom('store_transcripts')
      .select(['sealed', 'created_at', 'modified_at'])
      .where('account_id', '=', accountId)
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst();
    if (!row) return undefined;
    return { record: this.openTranscript(row.sealed, accountId, meetingId), createdAt: row.created_at, modifiedAt: row.modified_at };
  }

  /** Transcripts changed after `modifiedAfter`, by (modified_at, meeting_id). */
  async transcriptsModifiedAfter(accountId: string, modifiedAfter: string, limit: number, after?: { m: string; id: string }): Promise<Stored<Transcript>[]> {
    let query = this.db
      .selectFrom('store_transcripts')
      .select(['meeting_id', 'sealed', 'created_at', 'modified_at'])
      .where('account_id', '=', accountId)
      .where('modified_at', '>', modifiedAfter);
    if (after) query = query.where((eb) => eb.or([eb('modified_at', '>', after.m), eb.and([eb('modified_at', '=', after.m), eb('meeting_id', '>', after.id)])]));
    const rows = await query.orderBy('modified_at').orderBy('meeting_id').limit(limit).execute();
    return rows.map((r) => ({
      record: this.openTranscript(r.sealed, accountId, r.meeting_id),
      createdAt: r.created_at,
      modifiedAt: r.modified_at,
    }));
  }

  /** Per-call metrics rows of calls that started in [start, end), in start order. */
  async callMetrics(accountId: string, start: string, end: string, userIds?: readonly string[]): Promise<CallMetricsRow[]> {
    const rows = await this.metricsRows(accountId, start, end, userIds).select('meeting_id').execute();
    return rows.map((r) => ({ call_id: r.meeting_id, ...fromMetricsRow(r) }));
  }

  /**
   * The per-call rows of the UTC days overlapping [start, end) as aggregation reads them: one pack
   * per day (store/metric-days.ts), read as columns in place. Rows outside [start, end) are the
   * aggregator's to leave out (it knows its buckets).
   */
  async metricsToAggregate(accountId: string, start: string, end: string): Promise<MetricDay[]> {
    return (await packedDays(this.db, accountId, start, end)).map(unpackDay);
  }

  private metricsRows(accountId: string, start: string, end: string, userIds?: readonly string[]) {
    let query = this.db
      .selectFrom('store_call_metrics')
      .select(['user_id', 'started_at', ...METRIC_COLUMNS])
      .where('account_id', '=', accountId)
      .where('started_at', '>=', start)
      .where('started_at', '<', end);
    if (userIds) query = query.where('user_id', 'in', userIds.length > 0 ? [...userIds] : ['']);
    return query.orderBy('started_at');
  }

  /** The stored native buckets of a zone and period that start in [start, end). */
  async nativeBuckets(accountId: string, zone: string, period: string, start: string, end: string): Promise<{ bucketStart: string; bucketEnd: string; syncedAt: string }[]> {
    return storedBuckets(this.db, 'store_native_buckets', { accountId, zone, period, start, end });
  }

  async nativeRecords(accountId: string, zone: string, period: string, bucketStart: string): Promise<{ userId: string; record: unknown }[]> {
    return storedBucketRecords(this.db, 'store_native_interactions', { accountId, zone, period, bucketStart });
  }
}

/** A per-call metrics row as `callMetrics` reads it back. */
type StoredCallMetrics = Pick<CallMetricsRow, 'user_id' | 'started_at' | 'metrics'>;

// NULL is a metric undefined for this call (METRICS.md); pg may return numerics as strings
const metricValue = (v: number | null): number | undefined => (v === null || v === undefined ? undefined : Number(v));

function fromMetricsRow(r: Pick<StoreCallMetricsTable, 'user_id' | 'started_at' | (typeof METRIC_COLUMNS)[number]>): StoredCallMetrics {
  return {
    user_id: r.user_id,
    started_at: Date.parse(r.started_at),
    metrics: {
      longest_monologue: metricValue(r.longest_monologue) ?? 0,
      longest_customer_story: metricValue(r.longest_customer_story) ?? 0,
      interactivity: metricValue(r.interactivity),
      patience: metricValue(r.patience),
      question_rate: metricValue(r.question_rate),
      talk_ratio: metricValue(r.talk_ratio),
    },
  };
}

async function fingerprints(
  trx: Kysely<Database> | Transaction<Database>,
  table: 'store_users' | 'store_meetings' | 'store_transcripts',
  accountId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const idColumn = table === 'store_transcripts' ? 'meeting_id' : 'id';
  for (const part of chunks([...ids], 500)) {
    const rows = await trx
      .selectFrom(table as 'store_users')
      .select([sql<string>`${sql.ref(idColumn)}`.as('key'), 'fingerprint'])
      .where('account_id', '=', accountId)
      .where(sql.ref(idColumn), 'in', part)
      .execute();
    for (const r of rows) out.set(r.key, r.fingerprint);
  }
  return out;
}

async function replaceCallMetrics(trx: Transaction<Database>, accountId: string, meetingId: string, rows: readonly CallMetricsRow[], now: string): Promise<void> {
  await trx.deleteFrom('store_call_metrics').where('account_id', '=', accountId).where('meeting_id', '=', meetingId).execute();
  if (rows.length === 0) return;
  await trx
    .insertInto('store_call_metrics')
    .values(
      rows.map((r) => ({
        account_id: accountId,
        meeting_id: meetingId,
        user_id: r.user_id,
        started_at: storeInstant(r.started_at),
        longest_monologue: r.metrics.longest_monologue,
        longest_customer_story: r.metrics.longest_customer_story,
        interactivity: r.metrics.interactivity ?? null,
        patience: r.metrics.patience ?? null,
        question_rate: r.metrics.question_rate ?? null,
        talk_ratio: r.metrics.talk_ratio ?? null,
        modified_at: now,
      })),
    )
    .execute();
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
