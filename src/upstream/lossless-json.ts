/**
 * JSON.parse, except that an integer beyond what a double holds exactly (above 2^53) becomes the
 * string of its digits. Gong declares many ids as 64-bit integers in JSON (`answeredScorecardId`,
 * `callId`, `questionId`, …): JSON.parse would round a 19-digit id to another id. Every other
 * number (fractions, small integers) is the same number JSON.parse gives.
 *
 * How: one scan outside string literals (strings are skipped with indexOf) finds integer literals
 * of 16 or more digits that are not safe integers and quotes them; the native JSON.parse reads the
 * result. A general lossless parser written in JavaScript (lossless-json) is ~14× slower than
 * JSON.parse on a 5 MB Gong transcript page; this adds a fraction of JSON.parse's own time
 * (test/upstream/lossless-json.test.ts compares both on the same inputs).
 */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  return JSON.parse(quoteBigIntegers(text));
}

const QUOTE = 34; // "
const BACKSLASH = 92;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
const DOT = 46;
const PLUS = 43;
const LOWER_E = 101;
const UPPER_E = 69;

const isDigit = (c: number) => c >= ZERO && c <= NINE;

export function quoteBigIntegers(text: string): string {
  let out: string[] | undefined;
  let copied = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // the closing quote: the next one not escaped by an odd run of backslashes
      let j = i + 1;
      for (;;) {
        j = text.indexOf('"', j);
        if (j < 0) return text; // unterminated: JSON.parse reports it
        let k = j - 1;
        while (text.charCodeAt(k) === BACKSLASH) k--;
        if ((j - 1 - k) % 2 === 0) break;
        j += 1;
      }
      i = j + 1;
      continue;
    }
    if (c === MINUS || isDigit(c)) {
      // the whole number token: integer part, then any fraction and exponent
      let j = c === MINUS ? i + 1 : i;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      const integerEnd = j;
      let integer = true;
      if (text.charCodeAt(j) === DOT) {
        integer = false;
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      if (text.charCodeAt(j) === LOWER_E || text.charCodeAt(j) === UPPER_E) {
        integer = false;
        j++;
        if (text.charCodeAt(j) === PLUS || text.charCodeAt(j) === MINUS) j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      if (integer && integerEnd - i >= 16) {
        const digits = text.slice(i, integerEnd);
        if (!Number.isSafeInteger(Number(digits))) {
          out ??= [];
          out.push(text.slice(copied, i), '"', digits, '"');
          copied = integerEnd;
        }
      }
      i = Math.max(j, i + 1);
      continue;
    }
    i++;
  }
  if (!out) return text;
  out.push(text.slice(copied));
  return out.join('');
}
