import { z } from 'zod';

/**
 * Sync settings of an integrated account (CONTRACT.md "Sync and the store"), given at create or
 * changed with PATCH. Bounds keep one account from asking a vendor for decades of data or from
 * re-reading its whole history every few minutes.
 */
export const SyncSettings = z
  .object({
    enabled: z.boolean({ error: 'must be true or false' }).default(true),
    backfill_days: z
      .number({ error: 'must be a whole number of days from 1 to 3650' })
      .int('must be a whole number of days from 1 to 3650')
      .min(1, 'must be a whole number of days from 1 to 3650')
      .max(3650, 'must be a whole number of days from 1 to 3650')
      .default(90),
    interval_minutes: z
      .number({ error: 'must be a whole number of minutes from 1 to 10080' })
      .int('must be a whole number of minutes from 1 to 10080')
      .min(1, 'must be a whole number of minutes from 1 to 10080')
      .max(10_080, 'must be a whole number of minutes from 1 to 10080')
      .default(60),
    lookback_days: z
      .number({ error: 'must be a whole number of days from 0 to 90' })
      .int('must be a whole number of days from 0 to 90')
      .min(0, 'must be a whole number of days from 0 to 90')
      .max(90, 'must be a whole number of days from 0 to 90')
      .default(3),
  })
  .meta({ id: 'SyncSettings' });
export type SyncSettings = z.infer<typeof SyncSettings>;

export const DEFAULT_SYNC_SETTINGS: SyncSettings = SyncSettings.parse({});

export const SYNC_STATUSES = ['idle', 'running', 'failed', 'disabled'] as const;
export type SyncStatusName = (typeof SYNC_STATUSES)[number];

export const SyncStatus = z
  .object({
    status: z.enum(SYNC_STATUSES),
    settings: SyncSettings,
    last_started_at: z.string().nullable(),
    last_finished_at: z.string().nullable(),
    next_run_at: z.string().nullable().describe('when the next scheduled run starts (null while disabled)'),
    synced_from: z.string().nullable().describe('the store holds this account\'s data from this instant…'),
    synced_through: z.string().nullable().describe('…up to this one (the end of the last completed run\'s window)'),
    counts: z.object({
      users: z.number().int(),
      meetings: z.number().int(),
      transcripts: z.number().int(),
      call_metrics: z.number().int().describe('per-call metrics rows (one per call and internal user)'),
      native_interactions: z.number().int().describe('vendor-native interaction rows (one per user and synced bucket)'),
      activity: z.number().int().describe('vendor-native activity rows (one per user and synced bucket)'),
      scorecards: z.number().int(),
      scorecard_templates: z.number().int(),
    }),
    progress: z
      .object({
        stream: z.string().describe('what the run is reading now: users, meetings, native:day, …'),
        pages: z.number().int().describe('vendor pages committed by this run so far'),
        records: z.number().int().describe('records committed by this run so far'),
      })
      .nullable()
      .describe('while running'),
    last_error: z.string().nullable().describe('why the last run failed, in words'),
  })
  .meta({ id: 'SyncStatus' });
export type SyncStatus = z.infer<typeof SyncStatus>;
