import { isInteger, isSafeNumber, parse } from 'lossless-json';

/**
 * JSON.parse, except that an integer beyond what a double holds exactly (above 2^53) becomes the
 * string of its digits. Gong declares many ids as 64-bit integers in JSON (`answeredScorecardId`,
 * `callId`, `questionId`, …): JSON.parse would round a 19-digit id to another id. Every other
 * number (fractions, small integers) is the same number JSON.parse gives.
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  return parse(text, null, (digits: string) => (isInteger(digits) && !isSafeNumber(digits) ? digits : Number(digits)));
}
