import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isInteger, isSafeNumber, parse } from 'lossless-json';
import { parseJsonKeepingBigIntegers } from '../../src/upstream/lossless-json.js';

/** Gong's 64-bit JSON ids reach Parley digit for digit; everything else parses as JSON.parse does. */
const reference = (text: string) => parse(text, null, (d: string) => (isInteger(d) && !isSafeNumber(d) ? d : Number(d)));

describe('parseJsonKeepingBigIntegers', () => {
  it('keeps integers above 2^53 as digit strings; other numbers, strings and escapes as JSON.parse', () => {
    const text =
      '{"id": 9223372036854775807, "neg": -12345678901234567890, "safe": 9007199254740991, "f": 0.1, "e": 1e3, ' +
      '"big_float": 12345678901234567890.5, "exp": 1e1234567890123456, "s": "12345678901234567890", "esc": "a\\\\", "q": "\\"1234567890123456789\\"", "arr": [11111111111111111111,2]}';
    expect(parseJsonKeepingBigIntegers(text)).toEqual({
      id: '9223372036854775807',
      neg: '-12345678901234567890',
      safe: 9007199254740991,
      f: 0.1,
      e: 1000,
      big_float: 12345678901234567890.5,
      exp: Infinity,
      s: '12345678901234567890',
      esc: 'a\\',
      q: '"1234567890123456789"',
      arr: ['11111111111111111111', 2],
    });
  });

  it('agrees with lossless-json on arbitrary JSON with 64-bit integers', () => {
    const big = fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }).map((b) => ({ big: b }));
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        big,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    const toText = (v: unknown): string =>
      v && typeof v === 'object' && 'big' in (v as object) && typeof (v as { big: unknown }).big === 'bigint'
        ? String((v as { big: bigint }).big)
        : Array.isArray(v)
          ? `[${v.map(toText).join(',')}]`
          : v && typeof v === 'object'
            ? `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${toText(x)}`).join(',')}}`
            : JSON.stringify(v);
    fc.assert(
      fc.property(value, (v) => {
        const text = toText(v);
        expect(parseJsonKeepingBigIntegers(text)).toEqual(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('a malformed body still throws (the client reports it as the vendor\'s)', () => {
    expect(() => parseJsonKeepingBigIntegers('{"a": "unterminated')).toThrow();
    expect(() => parseJsonKeepingBigIntegers('{"a": 12345678901234567890')).toThrow();
  });
});
