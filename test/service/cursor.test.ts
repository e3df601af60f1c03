import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { CursorCodec } from '../../src/service/cursor.js';
import { BadRequestError } from '../../src/domain/errors.js';

const codec = new CursorCodec(randomBytes(32));
const filters = { r: 'interactions', a: 'acc', s: '2024-03-01', e: '2024-04-01', p: 'week', u: ['1', '2'] };

describe('list cursors', () => {
  it('round-trips the position under the same filters (key order does not matter)', () => {
    const c = codec.encode(filters, { b: 3, o: 7 });
    expect(codec.decode(c, { ...filters })).toEqual({ b: 3, o: 7 });
    const reordered = { u: ['1', '2'], p: 'week', e: '2024-04-01', s: '2024-03-01', a: 'acc', r: 'interactions' };
    expect(codec.decode(c, reordered)).toEqual({ b: 3, o: 7 });
  });

  it('rejects a cursor used with other filters', () => {
    const c = codec.encode(filters, { b: 1, o: 0 });
    expect(() => codec.decode(c, { ...filters, p: 'day' })).toThrow(/different filters/);
    expect(() => codec.decode(c, { ...filters, u: ['1'] })).toThrow(BadRequestError);
  });

  it('rejects every truncation and every single-character edit', () => {
    const c = codec.encode(filters, { b: 12, o: 40 });
    for (let i = 0; i < c.length; i++) expect(() => codec.decode(c.slice(0, i), filters)).toThrow(BadRequestError);
    fc.assert(
      fc.property(fc.nat({ max: c.length - 1 }), fc.constantFrom(...'ABCxyz019-_.'.split('')), (i, ch) => {
        fc.pre(c[i] !== ch);
        const edited = c.slice(0, i) + ch + c.slice(i + 1);
        expect(() => codec.decode(edited, filters)).toThrow(BadRequestError);
      }),
    );
  });

  it('rejects forged cursors, including a well-formed body signed with another key', () => {
    const other = new CursorCodec(randomBytes(32)).encode(filters, { b: 0, o: 0 });
    expect(() => codec.decode(other, filters)).toThrow(/not a cursor this server issued/);
    const body = Buffer.from(JSON.stringify({ v: 1, f: 'x', p: { b: 99, o: 0 } })).toString('base64url');
    for (const forged of [body, `${body}.`, `${body}.AAAAAAAAAAAAAAAAAAAAAA`, 'garbage', '.', '..', '%%%']) {
      expect(() => codec.decode(forged, filters)).toThrow(BadRequestError);
    }
  });
});
