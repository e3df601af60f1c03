import { JSONParser } from '@streamparser/json';
import { MetricsInputError } from '../metrics/index.js';

/** The input is not JSON, or is cut short. */
export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(
    /** e.g. `in calls[3]`, `after the array`, `at its start` */
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
  }
}

/** The input holds nothing but whitespace. */
export class EmptyJsonError extends Error {
  override name = 'EmptyJsonError';
}

/** How a root value that is not an array starts, in the words `describeValue` uses for values. */
const ROOT_KINDS: Record<string, string> = {
  '{': 'an object',
  '"': 'a string',
  t: 'a boolean',
  f: 'a boolean',
  n: 'null',
};

const WHITESPACE = ' \t\n\r';
// A byte order mark, which the parser skips: one character in text, three bytes in UTF-8.
const BOM_TEXT = '\uFEFF';
const BOM_BYTES = [0xef, 0xbb, 0xbf];

function firstSignificant(chunk: string | Uint8Array): string | undefined {
  for (let i = 0; i < chunk.length; i++) {
    if (typeof chunk === 'string') {
      if (!WHITESPACE.includes(chunk[i]!) && chunk[i] !== BOM_TEXT) return chunk[i];
    } else if (!WHITESPACE.includes(String.fromCharCode(chunk[i]!)) && !BOM_BYTES.includes(chunk[i]!)) {
      return String.fromCharCode(chunk[i]!);
    }
  }
  return undefined;
}

/**
 * The elements of a top-level JSON array, parsed one at a time as the text arrives: memory holds the
 * element being parsed and the chunk being read, never the whole input. Throws `JsonSyntaxError`
 * (naming the element it broke in), `EmptyJsonError`, or `MetricsInputError` on `listName` when the
 * root is not an array; errors of reading `chunks` pass through unchanged.
 */
export async function* jsonArrayElements(chunks: AsyncIterable<string | Uint8Array>, listName: string): AsyncGenerator<unknown, void, undefined> {
  // Typed-array buffers for strings and numbers took about three quarters of the time of string
  // appends on 100 MB of generated calls, for 64 KiB of scratch.
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false, stringBufferSize: 64 * 1024, numberBufferSize: 64 });
  const parsed: unknown[] = [];
  let delivered = 0;
  let at: 'start' | 'array' | 'end' = 'start';
  parser.onValue = ({ value }) => void parsed.push(value);
  parser.onEnd = () => {
    at = 'end';
  };
  const where = () => (at === 'start' ? 'at its start' : at === 'end' ? 'after the array' : `in ${listName}[${delivered + parsed.length}]`);

  for await (const chunk of chunks) {
    if (at === 'start') {
      const first = firstSignificant(chunk);
      if (first === '[') at = 'array';
      const kind = first === undefined ? undefined : (ROOT_KINDS[first] ?? (/[-0-9]/.test(first) ? 'a number' : undefined));
      if (kind !== undefined) throw new MetricsInputError(listName, `expected an array of calls, got ${kind}`);
    }
    try {
      parser.write(chunk);
    } catch (e) {
      throw new JsonSyntaxError(where(), e instanceof Error ? e.message : String(e));
    }
    // Elements completed by this chunk; a chunk is at most a few hundred KiB, so this list stays small.
    for (const value of parsed.splice(0)) {
      delivered += 1;
      yield value;
    }
  }
  if (at === 'start') throw new EmptyJsonError('no JSON value');
  if (at === 'array') throw new JsonSyntaxError(where(), 'the input ends before the array is closed');
}
