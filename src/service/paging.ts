import { BadRequestError } from '../domain/errors.js';
import type { VendorPage } from '../connectors/types.js';
import { TtlCache } from '../store/memory-cache.js';
import type { CursorCodec } from './cursor.js';
import { loadShared } from './shared-load.js';

/**
 * The one pagination abstraction: a unified page of `limit` records over vendor pages of any size.
 * The position is (vendor continuation, offset within that vendor page), inside a signed cursor, so
 * the vendor's raw cursor never reaches a client. Vendor pages are cached briefly and loaded once
 * however many readers miss at the same moment: a client reading with a small limit walks through
 * one vendor page without asking the vendor for it again, and a crowd asks once.
 */
interface Position extends Record<string, unknown> {
  /** the vendor continuation that produced the current vendor page; null for the first */
  vc: string | null;
  o: number;
  /** the value the first page pinned (see `pin`) */
  t?: number;
}

/** One vendor listing: its cache identity and how to fetch one of its pages. */
export interface VendorListing<T> {
  cacheKey: string;
  fetch(next?: string): Promise<VendorPage<T>>;
}

const vendorPages = new TtlCache<VendorPage<unknown>>(5 * 60 * 1000, 2000);

/** The vendor page of `listing` at continuation `next`, fetched once for every concurrent reader. */
export function vendorPage<T>(listing: VendorListing<T>, next: string | null, signal?: AbortSignal): Promise<VendorPage<T>> {
  return loadShared(vendorPages, `${listing.cacheKey}|${next ?? ''}`, () => listing.fetch(next ?? undefined), signal) as Promise<VendorPage<T>>;
}

export async function pageOverVendor<T>(opts: {
  codec: CursorCodec;
  filters: Record<string, unknown>;
  limit: number;
  cursor?: string;
  signal?: AbortSignal;
  /**
   * A value the first page fixes and every later page reuses (the instant a listing is clipped at),
   * so that one listing asks the vendor the same thing on every page.
   */
  pin?: number;
  /** the listing for the pinned value; undefined when nothing can exist (an empty page, no vendor call) */
  listing(pinned: number | undefined): VendorListing<T> | undefined;
}): Promise<{ result: T[]; next_cursor: string | null }> {
  let pos: Position = opts.cursor ? opts.codec.decode<Position>(opts.cursor, opts.filters) : { vc: null, o: 0, ...(opts.pin !== undefined ? { t: opts.pin } : {}) };
  if (
    !(pos.vc === null || typeof pos.vc === 'string') ||
    !Number.isInteger(pos.o) ||
    pos.o < 0 ||
    !(pos.t === undefined || Number.isFinite(pos.t))
  ) {
    throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
  }
  const listing = opts.listing(pos.t);
  if (!listing) return { result: [], next_cursor: null };
  const pinned = pos.t !== undefined ? { t: pos.t } : {};
  const out: T[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const page = await vendorPage(listing, pos.vc, opts.signal);
    const take = page.records.slice(pos.o, pos.o + (opts.limit - out.length));
    out.push(...take);
    const o = pos.o + take.length;
    if (o < page.records.length) return { result: out, next_cursor: opts.codec.encode(opts.filters, { vc: pos.vc, o, ...pinned }) };
    if (!page.next) return { result: out, next_cursor: null };
    pos = { vc: page.next, o: 0, ...pinned };
    if (out.length >= opts.limit) return { result: out, next_cursor: opts.codec.encode(opts.filters, pos) };
  }
  return { result: out, next_cursor: opts.codec.encode(opts.filters, pos) };
}

/** Every record of a vendor listing (the users behind computed records, say). */
export async function allVendorRecords<T>(fetch: (next?: string) => Promise<VendorPage<T>>, maxPages = 10_000): Promise<T[]> {
  const out: T[] = [];
  let next: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = await fetch(next);
    out.push(...page.records);
    if (!page.next) return out;
    next = page.next;
  }
  return out;
}
