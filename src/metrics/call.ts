import { z } from 'zod';
import { isValidUtcOffset } from './buckets.js';

/**
 * The normalized call that the metrics engine reads (shared METRICS.md "Input"). Connectors turn a
 * vendor transcript into this shape; `parley compute` and the compute route accept it directly.
 *
 * Two levels of "wrong" are kept apart on purpose:
 * - structurally wrong input (a field of the wrong type, a missing id, …) is rejected with an error
 *   naming the call and the field, because it means the producer is broken;
 * - utterances with impossible timing (negative, start after end, non-finite) are accepted here and
 *   dropped by the engine, because METRICS.md says so and real transcripts contain them.
 */

export const SPEAKER_SIDES = ['internal', 'external'] as const;
export type SpeakerSide = (typeof SPEAKER_SIDES)[number];

export const CallParticipant = z.object({
  speaker_id: z.string().describe('The speaker id used by the utterances of this call'),
  side: z
    .enum(SPEAKER_SIDES)
    .optional()
    .describe('internal = someone of the company; anything else (or absent) counts as external'),
  user_id: z.string().optional().describe('The vendor user id; only internal participants with one get metrics'),
});
export type CallParticipant = z.infer<typeof CallParticipant>;

/**
 * Times and durations a producer may send, in seconds. Beyond 10^7 s (about 116 days) a number can
 * only come from a broken producer, and rounding or summing it overflows to Infinity (a record no
 * JSON can carry); below 10^-6 s a non-zero duration makes a per-minute rate overflow. Negative
 * times inside the bound stay "impossible timing": dropped by the engine, as METRICS.md says.
 */
export const MAX_SECONDS = 1e7;
export const MIN_NONZERO_SECONDS = 1e-6;
const SECONDS_RANGE = `0 or between ${MIN_NONZERO_SECONDS} and ${MAX_SECONDS} seconds in magnitude`;

function isBoundedSeconds(v: number): boolean {
  const a = Math.abs(v);
  return a === 0 || (a >= MIN_NONZERO_SECONDS && a <= MAX_SECONDS);
}

const seconds = (what: string) =>
  z
    .number()
    .min(-MAX_SECONDS)
    .max(MAX_SECONDS)
    .refine(isBoundedSeconds, { error: `expected ${SECONDS_RANGE}` })
    .describe(`${what}; ${SECONDS_RANGE}`);

export const CallUtterance = z.object({
  speaker_id: z.string(),
  start_s: seconds('seconds from the start of the call'),
  end_s: seconds('seconds from the start of the call'),
  text: z.string().optional(),
  questions: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('questions the vendor detected in this utterance; replaces the text rule'),
});
export type CallUtterance = z.infer<typeof CallUtterance>;

const DATE_TIME_EXPECTED = 'expected an ISO 8601 date-time (e.g. 2024-03-04T15:00:00Z)';
// The date-times parseBoundary (buckets.ts) accepts: seconds, fraction and offset optional.
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2})(?::?(\d{2}))?)?$/i;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch milliseconds of an ISO 8601 date-time (no offset = UTC, as CONTRACT.md says for
 * boundaries), or NaN when it is not one. Hand-written because it runs once per call on the hot
 * path, where luxon would cost more than the metrics of a short call.
 */
export function instantMillis(value: string): number {
  const m = ISO_DATE_TIME.exec(value);
  if (m === null) return NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const sec = m[6] === undefined ? 0 : Number(m[6]);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH[mo - 1]! + (mo === 2 && leap ? 1 : 0)) return NaN;
  if (h > 23 || mi > 59 || sec > 59) return NaN;
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  let t = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  if (y < 100) t = new Date(t).setUTCFullYear(y); // Date.UTC maps years 0–99 to 1900–1999
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = m[10] === undefined ? 0 : Number(m[10]);
    if (!isValidUtcOffset(oh, om)) return NaN;
    t -= (m[8] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  return t;
}

const callFields = {
  id: z.string().min(1),
  started_at: z
    .string()
    .refine((v) => !Number.isNaN(instantMillis(v)), { error: DATE_TIME_EXPECTED })
    .describe('ISO 8601 date-time (YYYY-MM-DDTHH:MM[:SS[.fff]][Z|±HH[:MM]]); without an offset it is UTC'),
  duration_s: z
    .number()
    .nonnegative()
    .max(MAX_SECONDS)
    .refine(isBoundedSeconds, { error: `expected ${SECONDS_RANGE}` })
    .optional()
    .describe(`seconds, ${SECONDS_RANGE}; default: the largest end_s of the valid utterances`),
  participants: z.array(CallParticipant),
};

export const NormalizedCall = z.object({ ...callFields, utterances: z.array(CallUtterance) }).meta({ id: 'NormalizedCall' });
export type NormalizedCall = z.infer<typeof NormalizedCall>;

// Everything but the utterances goes through zod (a handful of fields per call); the utterances,
// which are the bulk of the input, are checked by `checkUtterance` below with the same rules.
const CallHeader = z.object(callFields);

/** Input that does not have the shape the metrics engine needs; `field` is the path of the culprit. */
export class MetricsInputError extends Error {
  override name = 'MetricsInputError';
  constructor(
    readonly field: string,
    readonly problem: string,
    message = `${field}: ${problem}`,
  ) {
    super(message);
  }
}

/** A call that is structurally wrong, e.g. `calls[3] (id "c9"): utterances[2].start_s: expected a number`. */
export class CallValidationError extends MetricsInputError {
  override name = 'CallValidationError';
  constructor(
    readonly callIndex: number,
    readonly callId: string | undefined,
    /** path inside the call, e.g. `utterances[2].start_s` (empty for the call itself) */
    readonly path: string,
    problem: string,
    listName = 'calls',
  ) {
    const where = `${listName}[${callIndex}]${callId === undefined ? '' : ` (id ${JSON.stringify(callId)})`}`;
    super(path === '' ? `${listName}[${callIndex}]` : `${listName}[${callIndex}].${path}`, problem, `${where}: ${path === '' ? '' : `${path}: `}${problem}`);
  }
}

/** The time of a call's `started_at` in epoch milliseconds. */
export function startedAtMillis(call: Pick<NormalizedCall, 'started_at'>): number {
  return instantMillis(call.started_at);
}

/**
 * Validate a JSON value as a list of normalized calls. Throws `CallValidationError` on the first
 * structural problem. Utterance objects are checked in place and returned as they are (not copied):
 * copying a million small objects would double the cost of this parse.
 */
export function parseCalls(input: unknown, listName = 'calls'): NormalizedCall[] {
  if (!Array.isArray(input)) {
    throw new MetricsInputError(listName, input === undefined ? 'required (expected an array of calls)' : `expected an array of calls, got ${describeValue(input)}`);
  }
  const out: NormalizedCall[] = new Array(input.length);
  for (let i = 0; i < input.length; i++) out[i] = parseCall(input[i], i, listName);
  return out;
}

/** Validate one call; `index` and `listName` only shape the error message. */
export function parseCall(input: unknown, index = 0, listName = 'calls'): NormalizedCall {
  const raw = input as Record<string, unknown> | null;
  const id = raw !== null && typeof raw === 'object' && typeof raw.id === 'string' ? raw.id : undefined;
  const fail = (path: string, problem: string): never => {
    throw new CallValidationError(index, id, path, problem, listName);
  };
  const header = CallHeader.safeParse(input);
  if (!header.success) {
    const issue = header.error.issues[0]!;
    fail(formatPath(issue.path), describeIssue(issue, valueAt(input, issue.path)));
  }
  const utterances = raw!.utterances;
  if (!Array.isArray(utterances)) {
    fail('utterances', utterances === undefined ? 'required (expected an array)' : `expected an array, got ${describeValue(utterances)}`);
  }
  const list = utterances as unknown[];
  for (let u = 0; u < list.length; u++) {
    const problem = checkUtterance(list[u]);
    if (problem !== undefined) fail(`utterances[${u}]${problem.field === '' ? '' : `.${problem.field}`}`, problem.problem);
  }
  const call = header.data! as NormalizedCall;
  call.utterances = list as CallUtterance[];
  return call;
}

/**
 * The rules of `CallUtterance`, by hand (zod per element costs several times more on a million
 * utterances). start_s/end_s must be within `MAX_SECONDS` and not denormal-small (see there);
 * negative times and start after end are left to the engine, which drops the utterance.
 */
export function checkUtterance(value: unknown): { field: string; problem: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { field: '', problem: `expected an object, got ${describeValue(value)}` };
  }
  const u = value as Record<string, unknown>;
  if (typeof u.speaker_id !== 'string') return typeProblem('speaker_id', u.speaker_id, 'a string');
  if (typeof u.start_s !== 'number') return typeProblem('start_s', u.start_s, 'a number');
  if (typeof u.end_s !== 'number') return typeProblem('end_s', u.end_s, 'a number');
  if (!isBoundedSeconds(u.start_s)) return { field: 'start_s', problem: `expected ${SECONDS_RANGE}, got ${describeValue(u.start_s)}` };
  if (!isBoundedSeconds(u.end_s)) return { field: 'end_s', problem: `expected ${SECONDS_RANGE}, got ${describeValue(u.end_s)}` };
  if (u.text !== undefined && typeof u.text !== 'string') return typeProblem('text', u.text, 'a string');
  const q = u.questions;
  if (q !== undefined) {
    if (typeof q !== 'number') return typeProblem('questions', q, 'a number');
    if (!Number.isSafeInteger(q) || q < 0) return { field: 'questions', problem: `expected a whole number ≥ 0, got ${describeValue(q)}` };
  }
  return undefined;
}

function typeProblem(field: string, value: unknown, expected: string): { field: string; problem: string } {
  return {
    field,
    problem: value === undefined ? `required (expected ${expected})` : `expected ${expected}, got ${describeValue(value)}`,
  };
}

/** `utterances[2].start_s` from zod's path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** The value at a zod issue path inside `root` (undefined when the path does not exist). */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  array: 'an array',
  object: 'an object',
  boolean: 'a boolean',
};

/** A short, human message for the first zod issue (zod's own messages vary between versions). */
export function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = ARTICLE[issue.expected] ?? issue.expected;
      return value === undefined ? `required (expected ${expected})` : `expected ${expected}, got ${describeValue(value)}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(value)}`;
    case 'invalid_format':
      return issue.format === 'datetime'
        ? `expected an ISO 8601 date-time (e.g. 2024-03-04T15:00:00Z), got ${describeValue(value)}`
        : `expected the ${issue.format} format, got ${describeValue(value)}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `must be ≥ ${String(issue.minimum)}, got ${describeValue(value)}`;
    case 'custom':
      return `${issue.message}, got ${describeValue(value)}`;
    case 'too_big':
      return `must be ≤ ${String(issue.maximum)}, got ${describeValue(value)}`;
    default:
      return issue.message;
  }
}

/** A value as it may appear in an error message: short, and never a whole transcript. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
