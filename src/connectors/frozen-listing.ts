import type { DateTime } from 'luxon';
import { BadRequestError } from '../domain/errors.js';

/**
 * The continuation of a vendor listing whose upper time bound Parley fixes on its first page, never
 * after that page's now, so that records created while a client pages (newest-first lists, page
 * numbers) cannot shift the vendor's pages: the vendor's own cursor and that bound, as one string
 * (inside Parley's signed cursor, never in a client's hands unsigned).
 */
export interface FrozenPosition {
  /** the vendor's cursor of the next page; absent on the first */
  cursor?: string;
  /** the upper bound every page of the listing sends, ISO 8601 UTC */
  before: string;
}

export function isoSeconds(t: DateTime): string {
  return t.toUTC().toISO({ suppressMilliseconds: true }) as string;
}

/** The first page's position: `bound` (the range's end, or later), but never after `now`. */
export function firstPosition(bound: DateTime | undefined, now: DateTime): FrozenPosition {
  return { before: isoSeconds(bound && bound < now ? bound : now) };
}

export function readPosition(next: string | undefined, first: () => FrozenPosition): FrozenPosition {
  if (next === undefined) return first();
  try {
    const p = JSON.parse(next) as Partial<FrozenPosition>;
    if (typeof p.before === 'string' && (p.cursor === undefined || typeof p.cursor === 'string')) return p as FrozenPosition;
  } catch {
    // answered below
  }
  throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
}

/** The continuation after a page: undefined when the vendor gave no cursor (the last page). */
export function nextPosition(cursor: string | undefined, pos: FrozenPosition): string | undefined {
  return cursor ? JSON.stringify({ cursor, before: pos.before }) : undefined;
}
