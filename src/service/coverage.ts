import { BadRequestError, ConflictError, RemoteError } from '../domain/errors.js';
import type { SyncState } from '../store/synced-store.js';
import type { TtlCache } from '../store/memory-cache.js';

/**
 * Which reads the store can answer (CONTRACT.md "Reads"): `read_from=auto` answers from the store
 * when the account's sync covers the range, `store` answers from it or 409s naming what is missing,
 * `live` asks the vendor. Pure: the caller passes the state and now.
 */
export const READ_FROM = ['auto', 'store', 'live'] as const;
export type ReadFrom = (typeof READ_FROM)[number];

export interface Range {
  /** epoch ms, inclusive; undefined: from the beginning */
  start?: number;
  /** epoch ms, exclusive; undefined: up to now */
  end?: number;
}

export type Coverage = { covered: true; dataAsOf: string } | { covered: false; why: string };

const MINUTE_MS = 60_000;

/**
 * The store covers [start, end) when it holds the account's data from before `start` and either up
 * to `end`, or up to its last run while that run is recent: a range that runs up to "now" is
 * answered as of the last sync (the response says as of when), as long as the next run is not
 * overdue. A sync that is disabled, failing for long, or never ran covers only what it holds.
 */
export function storeCoverage(state: SyncState | undefined, range: Range, nowMs: number): Coverage {
  if (!state?.syncedFrom || !state.syncedThrough) {
    const running = state?.status === 'running' ? ' (the first sync is running; see GET /integrated-accounts/{id}/sync)' : '';
    return { covered: false, why: `this account has not completed a sync yet${running}` };
  }
  const from = Date.parse(state.syncedFrom);
  const through = Date.parse(state.syncedThrough);
  if (range.start === undefined || range.start < from) {
    const start = range.start === undefined ? 'the beginning' : new Date(range.start).toISOString();
    return { covered: false, why: `[${start}, ${state.syncedFrom}) is not synced (the store holds this account from ${state.syncedFrom}; raise sync.backfill_days to hold more)` };
  }
  const end = Math.min(range.end ?? nowMs, nowMs);
  if (end > through) {
    const fresh = state.settings.enabled && nowMs - through <= (state.settings.interval_minutes * 1.5 + 5) * MINUTE_MS;
    if (!fresh) {
      return {
        covered: false,
        why: `[${state.syncedThrough}, ${new Date(end).toISOString()}) is not synced yet (the last sync read up to ${state.syncedThrough})`,
      };
    }
  }
  return { covered: true, dataAsOf: state.dataAsOf ?? state.syncedThrough };
}

/** A vendor failure that the store may stand in for: the vendor is down, unreachable or limiting us. */
export function isVendorOutage(e: unknown): boolean {
  return e instanceof RemoteError && (e.statusCode === 429 || e.statusCode >= 500);
}

export function notSynced(why: string): ConflictError {
  return new ConflictError(`read_from=store: ${why}. Use read_from=auto or live, or wait for the sync.`);
}

/** Whether the store holds anything of [start, …): the outage fallback answers from what it holds. */
export function storeHoldsStart(state: SyncState | undefined, range: Range): boolean {
  if (!state?.syncedFrom || !state.syncedThrough) return false;
  return range.start !== undefined && range.start >= Date.parse(state.syncedFrom);
}

/** Where the first page of a listing came from travels in its cursor: later pages keep to it. */
export type ReadSourceName = 'store' | 'live';

export interface ReadDecision {
  readFrom: ReadFrom;
  state: SyncState | undefined;
  range: Range;
  nowMs: number;
  /** `modified_after` was asked: only the store knows when it saw a record change */
  modifiedAfter?: boolean;
  /** the source a cursor of this listing says it came from */
  cursorSource?: ReadSourceName;
  /**
   * What the store holds, when the caller knows better than the synced range: the vendor's own
   * numbers are kept per bucket, so every bucket present means covered, one missing means not.
   */
  coverage?: Coverage;
  /**
   * A store answer depends only on the query and on what the store held as of `dataAsOf`: with a
   * key, it is kept and served again until the next sync (warm dashboard reads touch no rows).
   */
  storeCache?: { cache: TtlCache<unknown>; key: string };
}

/**
 * Answer from the store or the vendor per `read_from`: `store` from the store or 409; `live` from
 * the vendor; `auto` from the store when it covers the range, else from the vendor — and from the
 * store after all when the vendor is down or limiting us and the store holds the range's start
 * (a vendor outage is not the client's outage; the answer says as of when).
 */
export async function readThrough<T>(
  d: ReadDecision,
  live: () => Promise<T>,
  store: (dataAsOf: string) => Promise<T>,
): Promise<{ page: T; dataAsOf?: string }> {
  const fromStore = async (asOf: string) => {
    const c = d.storeCache;
    const page = c ? ((await c.cache.getOrLoad(`${c.key}|${asOf}`, () => store(asOf))) as T) : await store(asOf);
    return { page, dataAsOf: asOf };
  };
  const asOf = d.state?.dataAsOf ?? d.state?.syncedThrough ?? undefined;
  if (d.cursorSource === 'store' && asOf) return fromStore(asOf);
  if (d.cursorSource === 'live') return { page: await live() };
  if (d.modifiedAfter) {
    if (d.readFrom === 'live') throw new BadRequestError('modified_after: only the synced store knows when it saw a record change; use read_from=auto or store');
    if (!asOf) throw notSynced('this account has not completed a sync yet, so nothing is known about changes');
    return fromStore(asOf);
  }
  if (d.readFrom === 'live') return { page: await live() };
  const coverage = d.coverage ?? storeCoverage(d.state, d.range, d.nowMs);
  if (coverage.covered) return fromStore(coverage.dataAsOf);
  if (d.readFrom === 'store') throw notSynced(coverage.why);
  try {
    return { page: await live() };
  } catch (e) {
    if (asOf && !d.coverage && isVendorOutage(e) && storeHoldsStart(d.state, d.range)) return fromStore(asOf);
    throw e;
  }
}
