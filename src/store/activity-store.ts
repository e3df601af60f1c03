import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { Scorecard, ScorecardTemplate } from '../domain/scorecard.js';
import { storedBucketRecords, storedBuckets } from './bucket-tables.js';

/**
 * The synced store's Activity and Scorecards tables (migration 0004_activity_scorecards): the
 * vendor's own activity counters per bucket (as the native interaction buckets are kept), answered
 * scorecards keyed by id with their call and review instants, and scorecard templates. Writes run
 * inside `SyncedStore.commitStep`'s transaction, with the step's checkpoint.
 */

export interface ActivityBucketWrite {
  zone: string;
  period: string;
  bucketStart: string;
  bucketEnd: string;
  /** one record per user (the connector's ActivityDraft) */
  records: { userId: string; record: unknown }[];
  /** false: more vendor pages of this listing follow, the bucket is not known whole yet */
  complete: boolean;
}

export interface ActivityStepWrite {
  activity?: ActivityBucketWrite[];
  scorecards?: Scorecard[];
  /** the vendor's whole template list: templates it no longer lists go */
  scorecardTemplates?: ScorecardTemplate[];
}

const instant = (v: string | undefined): string | null => {
  if (v === undefined) return null;
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
};

const fingerprint = (json: string) => createHash('sha256').update(json).digest('base64url').slice(0, 32);

/** Writes of one step; returns the records written. */
export async function writeActivityStep(trx: Transaction<Database>, accountId: string, step: ActivityStepWrite, now: string): Promise<number> {
  let written = 0;
  for (const b of step.activity ?? []) {
    // a bucket read whole replaces what was stored for it (a user may have no activity there any more)
    if (b.complete) {
      await trx
        .deleteFrom('store_activity')
        .where('account_id', '=', accountId)
        .where('zone', '=', b.zone)
        .where('period', '=', b.period)
        .where('bucket_start', '=', b.bucketStart)
        .execute();
    }
    for (const r of b.records) {
      await trx
        .insertInto('store_activity')
        .values({ account_id: accountId, zone: b.zone, period: b.period, bucket_start: b.bucketStart, user_id: r.userId, record: JSON.stringify(r.record), modified_at: now })
        .onConflict((oc) => oc.columns(['account_id', 'zone', 'period', 'bucket_start', 'user_id']).doUpdateSet((eb) => ({ record: eb.ref('excluded.record'), modified_at: eb.ref('excluded.modified_at') })))
        .execute();
    }
    written += b.records.length;
    if (!b.complete) continue;
    await trx
      .insertInto('store_activity_buckets')
      .values({ account_id: accountId, zone: b.zone, period: b.period, bucket_start: b.bucketStart, bucket_end: b.bucketEnd, synced_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'zone', 'period', 'bucket_start']).doUpdateSet((eb) => ({ bucket_end: eb.ref('excluded.bucket_end'), synced_at: eb.ref('excluded.synced_at') })))
      .execute();
  }
  for (const s of step.scorecards ?? []) {
    const record = JSON.stringify(s);
    const fp = fingerprint(record);
    const known = await trx.selectFrom('store_scorecards').select('fingerprint').where('account_id', '=', accountId).where('id', '=', s.id).executeTakeFirst();
    if (known?.fingerprint === fp) continue;
    await trx
      .insertInto('store_scorecards')
      .values({ account_id: accountId, id: s.id, call_start_at: instant(s.meeting.start_time), reviewed_at: instant(s.reviewed_at), record, fingerprint: fp, modified_at: now })
      .onConflict((oc) =>
        oc.columns(['account_id', 'id']).doUpdateSet((eb) => ({
          call_start_at: eb.ref('excluded.call_start_at'),
          reviewed_at: eb.ref('excluded.reviewed_at'),
          record: eb.ref('excluded.record'),
          fingerprint: eb.ref('excluded.fingerprint'),
          modified_at: eb.ref('excluded.modified_at'),
        })),
      )
      .execute();
    written += 1;
  }
  if (step.scorecardTemplates) {
    await trx.deleteFrom('store_scorecard_templates').where('account_id', '=', accountId).execute();
    for (const t of step.scorecardTemplates) {
      await trx.insertInto('store_scorecard_templates').values({ account_id: accountId, id: t.id, record: JSON.stringify(t), modified_at: now }).execute();
    }
    written += step.scorecardTemplates.length;
  }
  return written;
}

export class ActivityStore {
  constructor(private readonly db: Kysely<Database>) {}

  async activityBuckets(accountId: string, zone: string, period: string, start: string, end: string): Promise<{ bucketStart: string; bucketEnd: string; syncedAt: string }[]> {
    return storedBuckets(this.db, 'store_activity_buckets', { accountId, zone, period, start, end });
  }

  async activityRecords(accountId: string, zone: string, period: string, bucketStart: string): Promise<{ userId: string; record: unknown }[]> {
    return storedBucketRecords(this.db, 'store_activity', { accountId, zone, period, bucketStart });
  }

  /** Scorecards of calls that started in [start, end), by call start then id, after a keyset position. */
  async scorecards(accountId: string, q: { start?: string; end?: string; limit: number; after?: { s: string; id: string } }): Promise<Scorecard[]> {
    let query = this.db.selectFrom('store_scorecards').select(['id', 'call_start_at', 'record']).where('account_id', '=', accountId);
    if (q.start !== undefined) query = query.where('call_start_at', '>=', q.start);
    if (q.end !== undefined) query = query.where('call_start_at', '<', q.end);
    if (q.after) {
      const { s, id } = q.after;
      query = query.where((eb) => eb.or([eb('call_start_at', '>', s), eb.and([eb('call_start_at', '=', s), eb('id', '>', id)])]));
    }
    const rows = await query.orderBy('call_start_at').orderBy('id').limit(q.limit).execute();
    return rows.map((r) => JSON.parse(r.record) as Scorecard);
  }

  async templates(accountId: string): Promise<ScorecardTemplate[]> {
    const rows = await this.db.selectFrom('store_scorecard_templates').select('record').where('account_id', '=', accountId).orderBy('id').execute();
    return rows.map((r) => JSON.parse(r.record) as ScorecardTemplate);
  }

  async counts(accountId: string): Promise<{ activity: number; scorecards: number; scorecard_templates: number }> {
    const count = async (table: 'store_activity' | 'store_scorecards' | 'store_scorecard_templates') =>
      Number((await this.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('account_id', '=', accountId).executeTakeFirst())?.n ?? 0);
    return { activity: await count('store_activity'), scorecards: await count('store_scorecards'), scorecard_templates: await count('store_scorecard_templates') };
  }
}
