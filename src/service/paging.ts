import { BadRequestError } from '../domain/errors.js';
import type { VendorPage } from '../connectors/types.js';
import { TtlCache } from '../store/memory-cache.js';
import type { CursorCodec } from './cursor.js';

/**
 * The one pagination abstraction: a unified page of `limit` records over vendor pages of any size.
 * The position is (vendor continuation, offset within that vendor page), inside a signed cursor, so
 * the vendor's raw cursor never reaches a client. Vendor pages are cached briefly: a client reading
 * with a small limit walks through one vendor page without asking the vendor for it again.
 */
interface Position extends Record<string, unknown> {
  /** the vendor continuation that produced the current vendor page; null for the first */
  vc: string | null;
  o: number;
}

const vendorPages = new TtlCache<VendorPage<unknown>>(5 * 60 * 1000, 2000);

export async function pageOverVendor<T>(opts: {
  codec: CursorCodec;
  filters: Record<string, unknown>;
  cacheKey: string;
  limit: number;
  cursor?: string;
  fetch: (next?: string) => Promise<VendorPage<T>>;
}): Promise<{ result: T[]; next_cursor: string | null }> {
  let pos: Position = opts.cursor ? opts.codec.decode<Position>(opts.cursor, opts.filters) : { vc: null, o: 0 };
  if (!(pos.vc === null || typeof pos.vc === 'string') || !Number.isInteger(pos.o) || pos.o < 0) {
    throw new BadRequestError('next_cursor is malformed; pass back the value of the previous page unchanged');
  }
  const out: T[] = [];
  for (let guard = 0; guard < 1000; guard++) {
    const key = `${opts.cacheKey}|${pos.vc ?? ''}`;
    const page = (vendorPages.get(key) as VendorPage<T> | undefined) ?? (await opts.fetch(pos.vc ?? undefined));
    vendorPages.set(key, page);
    const take = page.records.slice(pos.o, pos.o + (opts.limit - out.length));
    out.push(...take);
    const o = pos.o + take.length;
    if (o < page.records.length) return { result: out, next_cursor: opts.codec.encode(opts.filters, { vc: pos.vc, o }) };
    if (!page.next) return { result: out, next_cursor: null };
    pos = { vc: page.next, o: 0 };
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
