import type { SyncSettings } from '../domain/sync.js';
import { storeInstant } from '../store/synced-store.js';

/**
 * What one sync run reads (pure: no clock, no I/O). The first run backfills `backfill_days`; later
 * runs re-read the last `lookback_days` (vendors finish transcripts hours after a call) and fill any
 * gap since the last run; a `backfill_days` raised later extends the store backwards once.
 */

export interface SyncWindow {
  /** inclusive, ISO UTC */
  start: string;
  /** exclusive, ISO UTC */
  end: string;
}

export interface RunPlan {
  /** the run's "now": every window ends here, and resumed runs keep it */
  at: string;
  windows: SyncWindow[];
  /** after the run, the store covers [coversFrom, at) */
  coversFrom: string;
}

const DAY_MS = 86_400_000;

/** The start of the UTC day `days` before `nowMs`: backfills begin on a whole day. */
function daysBefore(nowMs: number, days: number): number {
  const t = nowMs - days * DAY_MS;
  return t - (((t % DAY_MS) + DAY_MS) % DAY_MS);
}

export function planRun(
  covered: { syncedFrom: string | null; syncedThrough: string | null },
  settings: Pick<SyncSettings, 'backfill_days' | 'lookback_days'>,
  nowMs: number,
): RunPlan {
  const at = storeInstant(nowMs);
  const target = storeInstant(daysBefore(nowMs, settings.backfill_days));
  if (!covered.syncedFrom || !covered.syncedThrough) {
    return { at, windows: [{ start: target, end: at }], coversFrom: target };
  }
  const windows: SyncWindow[] = [];
  if (target < covered.syncedFrom) windows.push({ start: target, end: covered.syncedFrom });
  // Re-read the look-back, and everything since the last run if it ended before the look-back.
  const lookback = storeInstant(nowMs - settings.lookback_days * DAY_MS);
  let start = covered.syncedThrough < lookback ? covered.syncedThrough : lookback;
  if (start < covered.syncedFrom) start = covered.syncedFrom;
  if (start < at) windows.push({ start, end: at });
  return { at, windows, coversFrom: target < covered.syncedFrom ? target : covered.syncedFrom };
}
