import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Opaque paging cursors bound to the request that produced them. Vendors say "repeat the call
 * with the cursor; all other inputs should remain the same" — the cursor carries a hash of those
 * inputs, so a client that changes its filter mid-way is caught. It also carries the snapshot
 * time of the first page, so records that appear while a client pages (a call that just ended)
 * can neither shift pages nor show up twice. Cursors are signed: forged or truncated ones fail.
 * The token looks like a JWT, as Gong's do.
 */

export interface CursorState {
  /** which listing the cursor belongs to, e.g. `POST /v2/calls/extensive` */
  route: string;
  /** `filterFingerprint` of the inputs that must stay the same */
  filter: string;
  /** index of the first record of the page the cursor points to */
  offset: number;
  /** 0-based number of that page */
  page: number;
  /** snapshot time (epoch ms) of the first page */
  asOf: number;
}

export type CursorProblem = 'malformed' | 'other-route' | 'filter-changed';

const HEADER = Buffer.from('{"alg":"HS256"}').toString('base64url');

export class PagingCursors {
  constructor(private readonly secret: string) {}

  issue(state: CursorState): string {
    const payload = Buffer.from(JSON.stringify([state.route, state.filter, state.offset, state.page, state.asOf])).toString('base64url');
    return `${HEADER}.${payload}.${this.sign(payload)}`;
  }

  /** The state of a cursor presented with `route` and inputs of fingerprint `filter`. */
  read(token: string, route: string, filter: string): { state: CursorState } | { problem: CursorProblem } {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== HEADER) return { problem: 'malformed' };
    const [, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { problem: 'malformed' };
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return { problem: 'malformed' };
    }
    if (!Array.isArray(decoded) || decoded.length !== 5) return { problem: 'malformed' };
    const [r, f, offset, page, asOf] = decoded as [unknown, unknown, unknown, unknown, unknown];
    if (typeof r !== 'string' || typeof f !== 'string' || !Number.isInteger(offset) || !Number.isInteger(page) || typeof asOf !== 'number') {
      return { problem: 'malformed' };
    }
    if (r !== route) return { problem: 'other-route' };
    if (f !== filter) return { problem: 'filter-changed' };
    return { state: { route: r, filter: f, offset: offset as number, page: page as number, asOf } };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, 27);
  }
}

/**
 * A stable fingerprint of request inputs: key order does not matter, and arrays listed in
 * `unorderedArrays` (id sets) compare as sets.
 */
export function filterFingerprint(value: unknown, unorderedArrays: ReadonlySet<string> = new Set()): string {
  const canonical = (node: unknown, key: string | undefined): unknown => {
    if (Array.isArray(node)) {
      const items = node.map((item) => canonical(item, undefined));
      return key !== undefined && unorderedArrays.has(key)
        ? items.map((item) => JSON.stringify(item)).sort()
        : items;
    }
    if (node && typeof node === 'object') {
      return Object.fromEntries(
        Object.keys(node)
          .sort()
          .filter((k) => (node as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, canonical((node as Record<string, unknown>)[k], k)]),
      );
    }
    return node;
  };
  return createHash('sha256').update(JSON.stringify(canonical(value, undefined) ?? null)).digest('base64url').slice(0, 22);
}
