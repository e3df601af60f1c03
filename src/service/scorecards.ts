import { DateTime } from 'luxon';
import { BadRequestError } from '../domain/errors.js';
import type { Scorecard, ScorecardTemplate } from '../domain/scorecard.js';
import type { ConnectorSession, ScorecardsQuery, ScorecardsReader } from '../connectors/types.js';
import type { AccountRecord } from '../store/repositories.js';
import type { SyncedStore } from '../store/synced-store.js';
import { TtlCache } from '../store/memory-cache.js';
import { InvalidTimeError, parseBoundary } from '../metrics/buckets.js';
import type { AccountsService } from './accounts.js';
import type { CursorCodec } from './cursor.js';
import { readThrough, type ReadFrom, type Range } from './coverage.js';
import { pageOverVendor } from './paging.js';
import type { RequestContext, SourcedPage } from './resources.js';
import { loadShared } from './shared-load.js';

/**
 * Scorecards and Scorecard templates (CONTRACT.md "Scorecards"), live from the vendor or from the
 * synced store. The vendor takes dates (Gong: days in the company zone), so date-times are widened
 * to the days that hold them when asking, and the exact instants are applied to what comes back;
 * `reviewers` is applied by Parley too (Gong has no such filter). Filtering happens inside each
 * vendor page before it is cached and paged, so a cursor never skips or repeats a record.
 */
export interface ListScorecardsQuery {
  integrated_account_id: string;
  start_time?: string;
  end_time?: string;
  review_start_time?: string;
  review_end_time?: string;
  reviewee_ids?: string[];
  reviewer_ids?: string[];
  scorecard_template_ids?: string[];
  review_method?: 'manual' | 'automatic' | 'both';
  limit: number;
  next_cursor?: string;
  read_from?: ReadFrom;
}

export interface ScorecardsServiceOptions {
  accounts: AccountsService;
  synced: SyncedStore;
  cursors: CursorCodec;
  now: () => DateTime;
}

interface Bounds {
  start?: DateTime;
  end?: DateTime;
}

const STORE_CHUNK = 500;

export class ScorecardsService {
  private readonly sourceZones = new TtlCache<string | undefined>(5 * 60 * 1000, 1000);

  constructor(private readonly opts: ScorecardsServiceOptions) {}

  async list(tenantId: string, q: ListScorecardsQuery, ctx: RequestContext = {}): Promise<SourcedPage<Scorecard>> {
    const { account, session } = await this.opts.accounts.open(tenantId, q.integrated_account_id, ctx);
    const reader = this.reader(account, session);
    const zone = await this.zone(account, session, ctx.signal);
    const call = bounds(q.start_time, q.end_time, zone, 'start_time', 'end_time');
    const review = bounds(q.review_start_time, q.review_end_time, zone, 'review_start_time', 'review_end_time');
    const set = (ids?: string[]) => (ids && ids.length > 0 ? [...new Set(ids)].sort() : undefined);
    const reviewees = set(q.reviewee_ids);
    const reviewers = set(q.reviewer_ids);
    const templates = set(q.scorecard_template_ids);
    const method = q.review_method ?? 'both';
    const readFrom = q.read_from ?? 'auto';
    const filters = { r: 'scorecards', a: account.id, s: q.start_time, e: q.end_time, rs: q.review_start_time, re: q.review_end_time, ee: reviewees, er: reviewers, t: templates, m: method, rf: readFrom };
    const keep = (s: Scorecard) =>
      within(s.meeting.start_time, call) &&
      within(s.reviewed_at, review) &&
      (!reviewees || (s.reviewee !== undefined && reviewees.includes(s.reviewee.id))) &&
      (!reviewers || (s.reviewer !== undefined && reviewers.includes(s.reviewer.id))) &&
      (!templates || templates.includes(s.scorecard_template.id)) &&
      (method === 'both' || s.review_method === method);
    const cursorSource = q.next_cursor ? (this.opts.cursors.decode<Record<string, unknown>>(q.next_cursor, filters).src === 'store' ? 'store' : 'live') : undefined;
    const range: Range = { ...(call.start ? { start: call.start.toMillis() } : {}), ...(call.end ? { end: call.end.toMillis() } : {}) };
    const query: ScorecardsQuery = {
      zone,
      ...(call.start ? { callFrom: call.start.startOf('day') } : {}),
      ...(call.end ? { callTo: ceilDay(call.end) } : {}),
      ...(review.start ? { reviewFrom: review.start.startOf('day') } : {}),
      ...(review.end ? { reviewTo: ceilDay(review.end) } : {}),
      ...(reviewees ? { revieweeIds: reviewees } : {}),
      ...(templates ? { templateIds: templates } : {}),
      reviewMethod: method,
    };
    const { page, dataAsOf } = await readThrough(
      { readFrom, state: await this.opts.synced.state(account.id), range, nowMs: this.opts.now().toMillis(), cursorSource },
      () =>
        pageOverVendor<Scorecard>({
          codec: this.opts.cursors,
          filters,
          limit: q.limit,
          cursor: q.next_cursor,
          signal: ctx.signal,
          listing: () => ({
            cacheKey: `scorecards|${account.id}|${JSON.stringify(filters)}`,
            fetch: async (next) => {
              const p = await reader.list(query, next);
              return { records: p.records.filter(keep), ...(p.next ? { next: p.next } : {}) };
            },
          }),
        }),
      () => this.fromStore(account.id, call, keep, q.limit, q.next_cursor, filters),
    );
    return dataAsOf ? { ...page, data_as_of: dataAsOf } : page;
  }

  async listTemplates(tenantId: string, q: { integrated_account_id: string; limit: number; next_cursor?: string; read_from?: ReadFrom }, ctx: RequestContext = {}): Promise<SourcedPage<ScorecardTemplate>> {
    const { account, session } = await this.opts.accounts.open(tenantId, q.integrated_account_id, ctx);
    const reader = this.reader(account, session);
    const readFrom = q.read_from ?? 'auto';
    const filters = { r: 'scorecard_templates', a: account.id, rf: readFrom };
    const cursorSource = q.next_cursor ? (this.opts.cursors.decode<Record<string, unknown>>(q.next_cursor, filters).src === 'store' ? 'store' : 'live') : undefined;
    const { page, dataAsOf } = await readThrough(
      // ordered by id, from either source; templates have no time range: the store covers them once a sync completed and is current
      { readFrom, state: await this.opts.synced.state(account.id), range: { start: Number.POSITIVE_INFINITY }, nowMs: this.opts.now().toMillis(), cursorSource },
      () =>
        pageOverVendor<ScorecardTemplate>({
          codec: this.opts.cursors,
          filters,
          limit: q.limit,
          cursor: q.next_cursor,
          signal: ctx.signal,
          listing: () => ({ cacheKey: `scorecard_templates|${account.id}`, fetch: async () => ({ records: (await reader.templates()).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) }) }),
        }),
      async () => {
        const all = await this.opts.synced.activity.templates(account.id);
        const o = q.next_cursor ? offsetOf(this.opts.cursors.decode<Record<string, unknown>>(q.next_cursor, filters)) : 0;
        const result = all.slice(o, o + q.limit);
        const next = o + result.length < all.length ? this.opts.cursors.encode(filters, { o: o + result.length, src: 'store' }) : null;
        return { result, next_cursor: next };
      },
    );
    return dataAsOf ? { ...page, data_as_of: dataAsOf } : page;
  }

  /** Stored scorecards by call start then id, filtered, `limit` at a time (keyset in the cursor). */
  private async fromStore(accountId: string, call: Bounds, keep: (s: Scorecard) => boolean, limit: number, cursor: string | undefined, filters: object): Promise<{ result: Scorecard[]; next_cursor: string | null }> {
    let after: { s: string; id: string } | undefined;
    if (cursor) {
      const p = this.opts.cursors.decode<Record<string, unknown>>(cursor, filters);
      if (typeof p.s !== 'string' || typeof p.id !== 'string') throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
      after = { s: p.s, id: p.id };
    }
    const result: Scorecard[] = [];
    for (;;) {
      const rows = await this.opts.synced.activity.scorecards(accountId, {
        ...(call.start ? { start: call.start.toUTC().toISO()! } : {}),
        ...(call.end ? { end: call.end.toUTC().toISO()! } : {}),
        limit: STORE_CHUNK,
        ...(after ? { after } : {}),
      });
      for (const s of rows) {
        after = { s: new Date(Date.parse(s.meeting.start_time ?? '')).toISOString(), id: s.id };
        if (!keep(s)) continue;
        result.push(s);
        if (result.length === limit) return { result, next_cursor: this.opts.cursors.encode(filters, { ...after, src: 'store' }) };
      }
      if (rows.length < STORE_CHUNK) return { result, next_cursor: null };
    }
  }

  private reader(account: AccountRecord, session: ConnectorSession): ScorecardsReader {
    if (!session.scorecards) throw new BadRequestError(`${account.integration} does not provide scorecards (see docs/connectors/${account.integration}.md)`);
    return session.scorecards;
  }

  private async zone(account: AccountRecord, session: ConnectorSession, signal?: AbortSignal): Promise<string> {
    const zone = session.sourceZone ? await loadShared(this.sourceZones, account.id, () => session.sourceZone!(), signal) : undefined;
    return zone ?? 'UTC';
  }
}

function offsetOf(p: Record<string, unknown>): number {
  if (!Number.isInteger(p.o) || (p.o as number) < 0) throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
  return p.o as number;
}

function bounds(start: string | undefined, end: string | undefined, zone: string, startName: string, endName: string): Bounds {
  const parse = (v: string, name: string) => {
    try {
      return parseBoundary(v, zone);
    } catch (e) {
      throw new BadRequestError(`${name}: ${(e as InvalidTimeError).message}`);
    }
  };
  const s = start === undefined ? undefined : parse(start, startName);
  const e = end === undefined ? undefined : parse(end, endName);
  if (s && e && s.toMillis() >= e.toMillis()) throw new BadRequestError(`${startName} must be before ${endName} (the range is [${startName}, ${endName}))`);
  return { ...(s ? { start: s } : {}), ...(e ? { end: e } : {}) };
}

function within(value: string | undefined, b: Bounds): boolean {
  if (!b.start && !b.end) return true;
  if (value === undefined) return false;
  const t = Date.parse(value);
  return (!b.start || t >= b.start.toMillis()) && (!b.end || t < b.end.toMillis());
}

/** The start of the day after the one holding `t`, unless `t` is a midnight itself. */
function ceilDay(t: DateTime): DateTime {
  const d = t.startOf('day');
  return d.toMillis() === t.toMillis() ? d : d.plus({ days: 1 });
}
