import { DateTime } from 'luxon';
import { BadRequestError, NotFoundError } from '../domain/errors.js';
import type { Meeting, Transcript, User } from '../domain/resources.js';
import type { ConnectorSession } from '../connectors/types.js';
import type { AccountsService } from './accounts.js';
import type { CursorCodec } from './cursor.js';
import { pageOverVendor } from './paging.js';
import { clipListingRange } from './time-range.js';

/** Unified Users, Meetings and Transcripts: vendor pages behind one cursor, the same for every vendor. */
export interface ListQuery {
  integrated_account_id: string;
  limit: number;
  next_cursor?: string;
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
  constructor(private readonly deps: { accounts: AccountsService; cursors: CursorCodec; now: () => DateTime }) {}

  async listUsers(tenantId: string, q: ListQuery, ctx: RequestContext = {}) {
    const { account, session } = await this.deps.accounts.open(tenantId, q.integrated_account_id, ctx);
    const users = reader(session, 'users', account.integration);
    return pageOverVendor<User>({
      codec: this.deps.cursors,
      filters: { r: 'users', a: account.id },
      limit: q.limit,
      cursor: q.next_cursor,
      signal: ctx.signal,
      listing: () => ({ cacheKey: `users|${account.id}`, fetch: (next) => users.list(next) }),
    });
  }

  async getUser(tenantId: string, accountId: string, id: string, ctx: RequestContext = {}): Promise<User> {
    const { account, session } = await this.deps.accounts.open(tenantId, accountId, ctx);
    const user = await reader(session, 'users', account.integration).get(id);
    if (!user) throw new NotFoundError(`user "${id}" not found in integrated account ${account.id}`);
    return user;
  }

  /**
   * Meetings that started in [start_time, end_time), clipped before the vendor is asked: not before
   * the floor, not after now (pinned by the first page, so every page asks the vendor the same).
   */
  async listMeetings(tenantId: string, q: ListQuery & { start_time?: string; end_time?: string }, ctx: RequestContext = {}) {
    clipListingRange(q.start_time, q.end_time, this.deps.now()); // a bad range is a 400 before any vendor work
    const { account, session } = await this.deps.accounts.open(tenantId, q.integrated_account_id, ctx);
    const meetings = reader(session, 'meetings', account.integration);
    return pageOverVendor<Meeting>({
      codec: this.deps.cursors,
      filters: { r: 'meetings', a: account.id, s: q.start_time, e: q.end_time },
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
  }

  async getMeeting(tenantId: string, accountId: string, id: string, ctx: RequestContext = {}): Promise<Meeting> {
    const { account, session } = await this.deps.accounts.open(tenantId, accountId, ctx);
    const meeting = await reader(session, 'meetings', account.integration).get(id);
    if (!meeting) throw new NotFoundError(`meeting "${id}" not found in integrated account ${account.id}`);
    return meeting;
  }

  /**
   * The transcript of one meeting, as a list of at most one. An unknown meeting is a 404 (as
   * meetings/{id} answers); a known meeting without a transcript yet is an empty list.
   */
  async listTranscripts(tenantId: string, q: ListQuery & { meeting_id: string }, ctx: RequestContext = {}) {
    const { account, session } = await this.deps.accounts.open(tenantId, q.integrated_account_id, ctx);
    const transcripts = reader(session, 'transcripts', account.integration);
    // a meeting has at most one transcript: the list is one page
    if (q.next_cursor) this.deps.cursors.decode(q.next_cursor, { r: 'transcripts', a: account.id, m: q.meeting_id });
    const t: Transcript | undefined = await transcripts.forMeeting(q.meeting_id);
    if (!t && session.meetings && !(await session.meetings.get(q.meeting_id))) {
      throw new NotFoundError(`meeting "${q.meeting_id}" not found in integrated account ${account.id}`);
    }
    return { result: t ? [t] : [], next_cursor: null };
  }
}
