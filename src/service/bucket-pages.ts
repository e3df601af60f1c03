import { BadRequestError } from '../domain/errors.js';
import type { Interaction } from '../domain/interaction.js';
import type { CursorCodec } from './cursor.js';

/**
 * Paging over bucketed records (Interactions, native or computed): bucket after bucket, each
 * bucket's records by user id. The cursor holds the bucket and the last user id given out in it
 * (a keyset: a record is never repeated or skipped, even when a bucket is reloaded between pages),
 * and what the first page fixed for the whole listing: the zone and the instant buckets are clipped
 * at, so a listing keeps one zone, one set of buckets and one set of ids across pages.
 */

export interface Page<T> {
  result: T[];
  next_cursor: string | null;
}

export interface BucketPosition extends Record<string, unknown> {
  /** bucket index */
  b: number;
  /** last user id given out in bucket `b` */
  u?: string;
  /** epoch ms the buckets are clipped at; absent until a page has fixed it */
  t?: number;
  /** the zone the buckets are cut in; absent until a page has fixed it */
  z?: string;
}

export function decodeBucketPosition(codec: CursorCodec, cursor: string, filters: object): BucketPosition {
  const p = codec.decode<BucketPosition>(cursor, filters);
  const ok =
    Number.isInteger(p.b) &&
    p.b >= 0 &&
    (p.u === undefined || typeof p.u === 'string') &&
    (p.t === undefined || Number.isFinite(p.t)) &&
    (p.z === undefined || typeof p.z === 'string');
  if (!ok) throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
  return p;
}

/** When a page stops early: it ran out of time (a cursor to continue), never because it is full. */
export async function pageThroughBuckets<T extends { user: { id: string } } = Interaction>(opts: {
  bucketCount: number;
  from: BucketPosition;
  limit: number;
  /** only these users (records are filtered after loading) */
  wanted?: ReadonlySet<string>;
  /** a bucket's records sorted by user id; undefined when the page's time ran out first */
  recordsOf(b: number): Promise<readonly T[] | undefined>;
  encode(pos: BucketPosition): string;
}): Promise<Page<T>> {
  const out: T[] = [];
  let { b, u } = opts.from;
  while (b < opts.bucketCount && out.length < opts.limit) {
    const records = await opts.recordsOf(b);
    if (!records) break;
    const rest = records.filter((r) => (u === undefined || r.user.id > u) && (!opts.wanted || opts.wanted.has(r.user.id)));
    const take = rest.slice(0, opts.limit - out.length);
    out.push(...take);
    if (take.length < rest.length) {
      u = take[take.length - 1]!.user.id;
      break;
    }
    b += 1;
    u = undefined;
  }
  if (b >= opts.bucketCount) return { result: out, next_cursor: null };
  const pos: BucketPosition = { b, t: opts.from.t, z: opts.from.z };
  if (u !== undefined) pos.u = u;
  return { result: out, next_cursor: opts.encode(pos) };
}
