import type { DateTime } from 'luxon';
import { BadRequestError, NotFoundError } from '../domain/errors.js';
import type { Meeting, Transcript, User } from '../domain/resources.js';
import { parseBoundary, type InvalidTimeError } from '../metrics/buckets.js';
import type { ConnectorSession } from '../connectors/types.js';
import type { AccountsService } from './accounts.js';
import type { CursorCodec } from './cursor.js';
import { pageOverVendor } from './paging.js';

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

function instant(value: string | undefined, name: string): DateTime | undefined {
  if (value === undefined) return undefined;
  try {
    return parseBoundary(value, 'UTC');
  } catch (e) {
    throw new BadRequestError(`${name}: ${(e as InvalidTimeError).message}`);
  }
}

export class ResourcesService {
  constructor(private readonly deps: { accounts: AccountsService; cursors: CursorCodec }) {}

  async listUsers(tenantId: string, q: ListQuery) {
    const { account, session } = await this.deps.accounts.open(tenantId, q.integrated_account_id);
    const users = reader(session, 'users', account.integration);
    return pageOverVendor<User>({
      codec: this.deps.cursors,
      filters: { r: 'users', a: account.id },
      cacheKey: `users|${account.id}`,
      limit: q.limit,
      cursor: q.next_cursor,
      fetch: (next) => users.list(next),
    });
  }

  async getUser(tenantId: string, accountId: string, id: string): Promise<User> {
    const { account, session } = await this.deps.accounts.open(tenantId, accountId);
    const user = await reader(session, 'users', account.integration).get(id);
    if (!user) throw new NotFoundError(`user "${id}" not found in integrated account ${account.id}`);
    return user;
  }

  async listMeetings(tenantId: string, q: ListQuery & { start_time?: string; end_time?: string }) {
    const start = instant(q.start_time, 'start_time');
    const end = instant(q.end_time, 'end_time');
    if (start && end && start.toMillis() >= end.toMillis()) {
      throw new BadRequestError('start_time must be before end_time (the range is [start_time, end_time))');
    }
    const { account, session } = await this.deps.accounts.open(tenantId, q.integrated_account_id);
    const meetings = reader(session, 'meetings', account.integration);
    const filters = { r: 'meetings', a: account.id, s: q.start_time, e: q.end_time };
    return pageOverVendor<Meeting>({
      codec: this.deps.cursors,
      filters,
      cacheKey: `meetings|${account.id}|${start?.toMillis() ?? ''}|${end?.toMillis() ?? ''}`,
      limit: q.limit,
      cursor: q.next_cursor,
      fetch: (next) => meetings.list({ start, end }, next),
    });
  }

  async getMeeting(tenantId: string, accountId: string, id: string): Promise<Meeting> {
    const { account, session } = await this.deps.accounts.open(tenantId, accountId);
    const meeting = await reader(session, 'meetings', account.integration).get(id);
    if (!meeting) throw new NotFoundError(`meeting "${id}" not found in integrated account ${account.id}`);
    return meeting;
  }

  async listTranscripts(tenantId: string, q: ListQuery & { meeting_id: string }) {
    const { account, session } = await this.deps.accounts.open(tenantId, q.integrated_account_id);
    const transcripts = reader(session, 'transcripts', account.integration);
    // a meeting has at most one transcript: the list is one page
    if (q.next_cursor) this.deps.cursors.decode(q.next_cursor, { r: 'transcripts', a: account.id, m: q.meeting_id });
    const t: Transcript | undefined = await transcripts.forMeeting(q.meeting_id);
    return { result: t ? [t] : [], next_cursor: null };
  }
}
