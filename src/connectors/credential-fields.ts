import { z } from 'zod';

/**
 * The building blocks of every vendor's `credentials` schema, so that every field of every vendor
 * is bounded the same way and a wrong value is answered the same way: what is expected, and what
 * kind of value came instead (never the value itself: it may be a secret).
 */

/** A credential string (key, secret, token, URL): vendors issue tokens of a few hundred characters. */
export const MAX_CREDENTIAL_STRING_LENGTH = 2048;
/** The credentials object as the client sent it, in bytes of JSON (checked at the API edge). */
export const MAX_CREDENTIALS_JSON_BYTES = 8 * 1024;

export type RateLimitUnit = 'second' | 'minute' | 'day';

/**
 * The range a tenant may claim for a vendor budget. Below 1 a request per unit, a paced client would
 * wait minutes to hours between requests and answer every client request with a Retry-After of that
 * size; the upper bounds are far above any published vendor limit.
 */
export const RATE_LIMIT_RANGES: Record<RateLimitUnit, { min: number; max: number }> = {
  second: { min: 1, max: 100 },
  minute: { min: 1, max: 6000 },
  day: { min: 1, max: 1_000_000 },
};

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const t = typeof value;
  return t === 'object' ? 'an object' : t === 'string' ? 'a string' : t === 'number' ? 'a number' : t === 'boolean' ? 'a boolean' : t;
}

/** The message of every issue of a field: required, or expected X (got a Y). */
function expected(what: string) {
  return (issue: { code: string; input?: unknown }) => {
    if (issue.input === undefined) return `is required (${what})`;
    if (issue.code === 'invalid_type') return `expected ${what}, got ${kindOf(issue.input)}`;
    return `expected ${what}`;
  };
}

/** A key, secret or token, as the vendor issued it. */
export function credentialString() {
  const what = `a non-empty string of at most ${MAX_CREDENTIAL_STRING_LENGTH} characters`;
  return z.string({ error: expected(what) }).min(1, { error: expected(what) }).max(MAX_CREDENTIAL_STRING_LENGTH, { error: expected(what) });
}

/** The vendor's API origin, when it is not the default (Gong: per customer; tests: a simulator). */
export function baseUrlField() {
  const what = `an absolute URL such as https://api.example.com, at most ${MAX_CREDENTIAL_STRING_LENGTH} characters`;
  return z
    .string({ error: expected(what) })
    .max(MAX_CREDENTIAL_STRING_LENGTH, { error: expected(what) })
    .url({ error: expected(what) })
    .meta({ title: 'API base URL', description: 'Only when your vendor account lives at another address than the default.' })
    .optional();
}

/** A whole number in a documented range, e.g. a page size. */
export function wholeNumberField(min: number, max: number, of: string) {
  const what = `a whole number of ${of} from ${min} to ${max}`;
  return z.number({ error: expected(what) }).int({ error: expected(what) }).min(min, { error: expected(what) }).max(max, { error: expected(what) });
}

/** The vendor budget a tenant claims for its plan, in requests per `unit`. */
export function rateLimitField(unit: RateLimitUnit) {
  const { min, max } = RATE_LIMIT_RANGES[unit];
  return wholeNumberField(min, max, `requests per ${unit}`)
    .meta({ title: `Requests per ${unit}`, description: `Your plan's API budget, if it differs from the vendor's published default (${min}–${max}).` })
    .optional();
}

/** The credentials object of one integration; unknown keys are dropped (never stored). */
export function credentialsObject<T extends z.core.$ZodLooseShape>(integration: string, shape: T) {
  return z.object(shape, { error: expected(`an object of the ${integration} credential fields`) });
}
