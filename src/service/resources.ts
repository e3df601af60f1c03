import { DateTime } from 'luxon';
import { BadRequestError, NotFoundError } from '../domain/errors.js';
import type { Meeting, Transcript, User } from '../domain/resources.js';
import type { ConnectorSession } from '../connectors/types.js';
import type { AccountsService } from './accounts.js';
import type { CursorCodec } from './cursor.js';
import { pageOverVendor } from './paging.js';
import { clipListingRange } from './time-range.js';
import type { SyncedStore } from '../store/synced-store.js';
import { StoreResources } from './store-resources.js';
import { readThrough, type ReadFrom, type ReadSourceName } from './coverage.js';
import type { AccountRecord } from '../store/repositories.js';
import type { TtlCache } from '../store/memory-cache.js';

/**
 * Unified Users, Meetings and Transcripts, from the synced store or from the vendor (`read_from`):
 * vendor pages behind one cursor, the same for every vendor; store pages by the store's keyset.
 */
export interface ListQuery {
  integrated_account_id: string;
  limit: number;
  next_cursor?: string;
  read_from?: ReadFrom;
  modified_after?: string;
}

/** A page, and when it came from the store, the instant of the sync that produced it. */
export interface SourcedPage<T> {
  result: T[];
  next_cursor: string | null;
  data_as_of?: string;
}

function reader<K extends 'users' | 'meetings' | 'transcripts'>(
  session: ConnectorSession,
  key: K,
  integration: string,
): NonNullable<ConnectorSession[K]> {
  const r = session[key];
  if (!r) throw new BadRequestError(`${integration} does not provide ${key}`);
  return r as NonNullable<ConnectorSession[K]>;
}

/** The HTTP request's abort signal: a client that left stops the vendor calls made for it. */
export interface RequestContext {
  signal?: AbortSignal;
}

export class ResourcesService {
  private readonly store: StoreResources;

  constructor(
    private readonly deps: {
      accounts: AccountsService;
      cursors: CursorCodec;
      synced: SyncedStore;
      now: () => DateTime;
      /** store answers kept until the next sync (shared with the other read paths) */
      storePages?: TtlCache<unknown>;
    },
  ) {
    this.store = new StoreResources({ synced: deps.synced, cursors: deps.cursors });
  }

  /** The listing's filters, and where its earlier pages came from (a store cursor says so). */
  private listing(account: AccountRecord, q: ListQuery, filters: Record<string, unknown>) {
    const all = { ...filters, a: account.id, rf: q.read_from ?? 'auto', ma: q.modified_after };
    let cursorSource: ReadSourceName | undefined;
    if (q.next_cursor) cursorSource = this.deps.cursors.decode<Record<string, unknown>>(q.next_cursor, all).src === 'store' ? 'store' : 'live';
    const storeCache = this.deps.storePages ? { cache: this.deps.storePages, key: JSON.stringify([all, q.next_cursor ?? null, q.limit]) } : undefined;
    return { filters: all, cursorSource, storeCache };
  }

  private async decide<T>(
    account: AccountRecord,
    q: ListQuery,
    range: { start?: number; end?: number },
    cursorSource: ReadSourceName | undefined,
    live: () => Promise<{ result: T[]; next_cursor: string | null }>,
    store: () => Promise<{ result: T[]; next_cursor: string | null }>,
    storeCache?: { cache: TtlCache<unknown>; key: string },
  ): Promise<SourcedPage<T>> {
    const { page, dataAsOf } = await readThrough(
      {
        readFrom: q.read_from ?? 'auto',
        state: await this.deps.synced.state(account.id),
        range,
        nowMs: this.deps.now().toMillis(),
        modifiedAfter: q.modified_after !== undefined,
        cursorSource,
        ...(storeCache ? { storeCache } : {}),
      },
      live,
      store,
    );
    return dataAsOf ? { ...page, data_as_of: dataAsOf } : page;
  }

  async listUsers(tenantId: string, q: ListQuery, ctx: RequestContext = {}): Promise<SourcedPage<User>> {
    const account = await this.deps.accounts.get(tenantId, q.integrated_account_id);
    const { filters, cursorSource, storeCache } = this.listing(account, q, { r: 'users' });
    // Users have no time range: the store covers them once a sync has completed and is current.
    return this.decide(
      account,
      q,
      { start: Number.POSITIVE_INFINITY },
      cursorSource,
      async () => {
        const { session } = await this.deps.accounts.open(tenantId, account.id, ctx);
        const users = reader(session, 'users', account.integration);
        return pageOverVendor<User>({
          codec: this.deps.cursors,
          filters,
          limit: q.limit,
          cursor: q.next_cursor,
          signal: ctx.signal,
          listing: () => ({ cacheKey: `users|${account.id}`, fetch: (next) => users.list(next) }),
        });
      },
      () => this.store.listUsers(account.id, { limit: q.limit, next_cursor: q.next_cursor, modified_after: q.modified_after, filters }),
      storeCache,
    );
  }

  async getUser(tenantId: string, accountId: string, id: string, ctx: RequestContext & { read_from?: ReadFrom } = {}): Promise<SourcedRecord<User>> {
    const account = await this.deps.accounts.get(tenantId, accountId);
    // a user the store does not hold (yet) is asked of the vendor unless the client insists on the store
    const held = ctx.read_from === 'live' ? undefined : await this.deps.synced.user(account.id, id);
    const readFrom = !held && (ctx.read_from ?? 'auto') === 'auto' ? 'live' : ctx.read_from;
    return this.one(account, readFrom, { start: Number.POSITIVE_INFINITY }, async () => {
      const { session } = await this.deps.accounts.open(tenantId, account.id, ctx);
      const user = await reader(session, 'users', account.integration).get(id);
      if (!user) throw new NotFoundError(`user "${id}" not found in integrated account ${account.id}`);
      return user;
    }, () => this.store.getUser(account.id, id));
  }

  /** A single record through the same read_from rule as lists (the store answers when it is current). */
  private async one<T>(
    account: AccountRecord,
    readFrom: ReadFrom | undefined,
    range: { start?: number; end?: number },
    live: () => Promise<T>,
    store: () => Promise<T>,
  ): Promise<SourcedRecord<T>> {
    const { page, dataAsOf } = await readThrough(
      { readFrom: readFrom ?? 'auto', state: await this.deps.synced.state(account.id), range, nowMs: this.deps.now().toMillis() },
      live,
      store,
    );
    return { record: page, ...(dataAsOf ? { data_as_of: dataAsOf } : {}) };
  }

  /**
   * Meetings that started in [start_time, end_time), clipped before the vendor is asked: not before
   * the floor, not after now (pinned by the first page, so every page asks the vendor the same).
   */
  async listMeetings(tenantId: string, q: ListQuery & { start_time?: string; end_time?: string }, ctx: RequestContext = {}): Promise<SourcedPage<Meeting>> {
    const clipped = clipListingRange(q.start_time, q.end_time, this.deps.now()); // a bad range is a 400 before any vendor work
    const account = await this.deps.accounts.get(tenantId, q.integrated_account_id);
    const { filters, cursorSource, storeCache } = this.listing(account, q, { r: 'meetings', s: q.start_time, e: q.end_time });
    const range = { ...(q.start_time !== undefined ? { start: clipped.start?.toMillis() } : {}), end: clipped.end?.toMillis() };
    return this.decide(
      account,
      q,
      range,
      cursorSource,
      async () => {
        const { session } = await this.deps.accounts.open(tenantId, account.id, ctx);
        const meetings = reader(session, 'meetings', account.integration);
        return pageOverVendor<Meeting>({
          codec: this.deps.cursors,
          filters,
          limit: q.limit,
          cursor: q.next_cursor,
          signal: ctx.signal,
          pin: this.deps.now().toMillis(),
          listing: (pinnedNow) => {
            const { start, end, empty } = clipListingRange(q.start_time, q.end_time, DateTime.fromMillis(pinnedNow ?? this.deps.now().toMillis(), { zone: 'UTC' }));
            if (empty) return undefined;
            return {
              cacheKey: `meetings|${account.id}|${start?.toMillis() ?? ''}|${end?.toMillis() ?? ''}`,
              fetch: (next) => meetings.list({ start, end }, next),
            };
          },
        });
      },
      () =>
        clipped.empty
          ? Promise.resolve({ result: [], next_cursor: null })
          : this.store.listMeetings(account.id, {
              ...(clipped.start ? { start: clipped.start.toMillis() } : {}),
              ...(clipped.end ? { end: clipped.end.toMillis() } : {}),
              limit: q.limit,
              next_cursor: q.next_cursor,
              modified_after: q.modified_after,
              filters,
            }),
      storeCache,
    );
  }

  async getMeeting(tenantId: string, accountId: string, id: string, ctx: RequestContext & { read_from?: ReadFrom } = {}): Promise<SourcedRecord<Meeting>> {
    const account = await this.deps.accounts.get(tenantId, accountId);
    const stored = ctx.read_from === 'live' ? undefined : await this.deps.synced.meeting(account.id, id);
    const at = stored ? Date.parse(stored.record.start_time) : Number.POSITIVE_INFINITY;
    const readFrom = !stored && (ctx.read_from ?? 'auto') === 'auto' ? 'live' : ctx.read_from;
    return this.one(account, readFrom, { start: at, end: at + 1 }, async () => {
      const { session } = await this.deps.accounts.open(tenantId, account.id, ctx);
      const meeting = await reader(session, 'meetings', account.integration).get(id);
      if (!meeting) throw new NotFoundError(`meeting "${id}" not found in integrated account ${account.id}`);
      return meeting;
    }, () => this.store.getMeeting(account.id, id));
  }

  /**
   * The transcript of one meeting, as a list of at most one. An unknown meeting is a 404 (as
   * meetings/{id} answers); a known meeting without a transcript yet is an empty list. With
   * `modified_after` instead of a meeting, every transcript the store saw change after it.
   */
  async listTranscripts(tenantId: string, q: ListQuery & { meeting_id?: string }, ctx: RequestContext = {}): Promise<SourcedPage<Transcript>> {
    const account = await this.deps.accounts.get(tenantId, q.integrated_account_id);
    const { filters, cursorSource } = this.listing(account, q, { r: 'transcripts', m: q.meeting_id });
    if (q.meeting_id === undefined) {
      if (q.modified_after === undefined) throw new BadRequestError('meeting_id is required (or modified_after, to list every transcript the store saw change)');
      const modifiedAfter = q.modified_after;
      return this.decide(account, q, {}, cursorSource, () => Promise.reject(new Error('unreachable: modified_after reads the store')), () =>
        this.store.transcriptsModifiedAfter(account.id, { modified_after: modifiedAfter, limit: q.limit, next_cursor: q.next_cursor, filters }),
      );
    }
    const meetingId = q.meeting_id;
    const stored = q.read_from === 'live' ? undefined : await this.deps.synced.meeting(account.id, meetingId);
    const at = stored ? Date.parse(stored.record.start_time) : Number.POSITIVE_INFINITY;
    const readFrom = !stored && (q.read_from ?? 'auto') === 'auto' ? 'live' : q.read_from;
    return this.decide(
      account,
      { ...q, read_from: readFrom, modified_after: undefined },
      { start: at, end: at + 1 },
      cursorSource,
      async () => {
        const { session } = await this.deps.accounts.open(tenantId, account.id, ctx);
        const transcripts = reader(session, 'transcripts', account.integration);
        const t: Transcript | undefined = await transcripts.forMeeting(meetingId);
        if (!t && session.meetings && !(await session.meetings.get(meetingId))) {
          throw new NotFoundError(`meeting "${meetingId}" not found in integrated account ${account.id}`);
        }
        // a meeting has at most one transcript: the list is one page
        return { result: t ? [t] : [], next_cursor: null };
      },
      () => this.store.transcriptsOf(account.id, meetingId),
    );
  }
}

export interface SourcedRecord<T> {
  record: T;
  data_as_of?: string;
}
