import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from '../domain/errors.js';

/**
 * Opaque list cursors: the position plus a digest of the filters it was issued for, signed with a
 * key derived from PARLEY_SECRET_KEY. A forged, truncated or edited cursor fails the signature; a
 * cursor replayed with other filters fails the digest. Both are the client's error (400).
 */
export class CursorCodec {
  private readonly key: Buffer;

  constructor(secretKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'parley list cursor v1', 32));
  }

  encode(filters: unknown, position: Record<string, unknown>): string {
    const body = Buffer.from(JSON.stringify({ v: 1, f: digest(filters), p: position })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  decode<P extends Record<string, unknown>>(cursor: string, filters: unknown): P {
    const dot = cursor.indexOf('.');
    const body = cursor.slice(0, dot);
    const sig = cursor.slice(dot + 1);
    const expected = this.sign(body);
    if (dot < 1 || sig.length !== expected.length || !timingSafeEqual(Buffer.from(sig), Buffer.from(expected))) {
      throw new BadRequestError('next_cursor is not a cursor this server issued (was it truncated or edited?); pass it back unchanged');
    }
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { v: number; f: string; p: P };
    if (parsed.f !== digest(filters)) {
      throw new BadRequestError('next_cursor was issued for different filters; repeat the query parameters of the first page with it');
    }
    return parsed.p;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 22);
  }
}

/** Canonical JSON (sorted keys) so the same filters always give the same digest. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function digest(filters: unknown): string {
  return createHash('sha256').update(canonical(filters)).digest('base64url').slice(0, 16);
}
