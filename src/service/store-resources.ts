import { BadRequestError, NotFoundError } from '../domain/errors.js';
import type { Meeting, Transcript, User } from '../domain/resources.js';
import { storeInstant, type Stored, type SyncedStore } from '../store/synced-store.js';
import type { CursorCodec } from './cursor.js';

/**
 * Users, Meetings and Transcripts answered from the synced store: keyset pages over the store's own
 * order (users by id, meetings by start_time then id, anything asked `modified_after` by the time the
 * store saw it change, then id). The cursor's position says it is a store position, so a listing
 * keeps reading from where it started even if the sync changes coverage between pages.
 */
export interface StorePage<T> {
  result: T[];
  next_cursor: string | null;
}

interface KeysetPosition extends Record<string, unknown> {
  src: 'store';
  id: string;
  s?: string;
  m?: string;
}

function position(codec: CursorCodec, cursor: string | undefined, filters: Record<string, unknown>): KeysetPosition | undefined {
  if (!cursor) return undefined;
  const p = codec.decode<KeysetPosition>(cursor, filters);
  if (p.src !== 'store' || typeof p.id !== 'string' || (p.s !== undefined && typeof p.s !== 'string') || (p.m !== undefined && typeof p.m !== 'string')) {
    throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
  }
  return p;
}

/** One more row than asked tells whether another page exists without a count. */
function page<T>(
  codec: CursorCodec,
  filters: Record<string, unknown>,
  rows: Stored<T>[],
  limit: number,
  key: (row: Stored<T>) => Omit<KeysetPosition, 'src'>,
): StorePage<T> {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    result: shown.map((r) => r.record),
    next_cursor: rows.length > limit && last ? codec.encode(filters, { src: 'store', ...key(last) }) : null,
  };
}

export class StoreResources {
  constructor(private readonly deps: { synced: SyncedStore; cursors: CursorCodec }) {}

  async listUsers(accountId: string, q: { limit: number; next_cursor?: string; modified_after?: string; filters: Record<string, unknown> }): Promise<StorePage<User>> {
    const after = position(this.deps.cursors, q.next_cursor, q.filters);
    const modifiedAfter = q.modified_after === undefined ? undefined : storeInstant(q.modified_after);
    const rows = await this.deps.synced.users(accountId, { limit: q.limit + 1, modifiedAfter, after });
    return page(this.deps.cursors, q.filters, rows, q.limit, (r) => (modifiedAfter ? { m: r.modifiedAt, id: r.record.id } : { id: r.record.id }));
  }

  async getUser(accountId: string, id: string): Promise<User> {
    const user = await this.deps.synced.user(accountId, id);
    if (!user) throw new NotFoundError(`user "${id}" not found in integrated account ${accountId}`);
    return user;
  }

  async listMeetings(
    accountId: string,
    q: { start?: number; end?: number; limit: number; next_cursor?: string; modified_after?: string; filters: Record<string, unknown> },
  ): Promise<StorePage<Meeting>> {
    const after = position(this.deps.cursors, q.next_cursor, q.filters);
    const modifiedAfter = q.modified_after === undefined ? undefined : storeInstant(q.modified_after);
    const rows = await this.deps.synced.meetings(accountId, {
      limit: q.limit + 1,
      ...(q.start !== undefined ? { start: storeInstant(q.start) } : {}),
      ...(q.end !== undefined ? { end: storeInstant(q.end) } : {}),
      modifiedAfter,
      after,
    });
    return page(this.deps.cursors, q.filters, rows, q.limit, (r) =>
      modifiedAfter ? { m: r.modifiedAt, id: r.record.id } : { s: storeInstant(r.record.start_time), id: r.record.id },
    );
  }

  async getMeeting(accountId: string, id: string): Promise<Meeting> {
    const m = await this.deps.synced.meeting(accountId, id);
    if (!m) throw new NotFoundError(`meeting "${id}" not found in integrated account ${accountId}`);
    return m.record;
  }

  /** The transcript of one meeting (a known meeting without one: an empty list; an unknown meeting: 404). */
  async transcriptsOf(accountId: string, meetingId: string): Promise<StorePage<Transcript>> {
    const t = await this.deps.synced.transcript(accountId, meetingId);
    if (t) return { result: [t.record], next_cursor: null };
    if (!(await this.deps.synced.meeting(accountId, meetingId))) {
      throw new NotFoundError(`meeting "${meetingId}" not found in integrated account ${accountId}`);
    }
    return { result: [], next_cursor: null };
  }

  /** Every transcript the store saw created or changed after `modifiedAfter`. */
  async transcriptsModifiedAfter(
    accountId: string,
    q: { modified_after: string; limit: number; next_cursor?: string; filters: Record<string, unknown> },
  ): Promise<StorePage<Transcript>> {
    const after = position(this.deps.cursors, q.next_cursor, q.filters);
    const rows = await this.deps.synced.transcriptsModifiedAfter(
      accountId,
      storeInstant(q.modified_after),
      q.limit + 1,
      after?.m !== undefined ? { m: after.m, id: after.id } : undefined,
    );
    return page(this.deps.cursors, q.filters, rows, q.limit, (r) => ({ m: r.modifiedAt, id: r.record.meeting.id }));
  }
}
