import { z } from 'zod';
import { MAX_FILTER_IDS, MAX_ID_LENGTH } from './limits.js';
import { READ_FROM } from '../service/coverage.js';
import { parseBoundary } from '../metrics/buckets.js';

/** Shapes every route shares: the error body, the list envelope, pagination parameters. */

export const ErrorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    is_remote_error: z.boolean().optional(),
    raw_response: z.unknown().optional(),
  })
  .meta({ id: 'Error' });

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  404: ErrorBody,
  429: ErrorBody,
  502: ErrorBody,
};

/** An id as the vendor (or Parley) spells it, in a path or a filter. */
export function idString() {
  const bounded = `a non-empty string of at most ${MAX_ID_LENGTH} characters`;
  return z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : `expected ${bounded}`) })
    .min(1, { error: `expected ${bounded}` })
    .max(MAX_ID_LENGTH, { error: `at most ${MAX_ID_LENGTH} characters` });
}

export const IdParams = z.object({ id: idString() });

/**
 * A "list of {id}" filter in the query string (`users[][id]=…`, and the reviewers, reviewees and
 * templates of later routes): bracket notation (query.ts reads every form), at most
 * MAX_FILTER_IDS ids, each an `idString`.
 */
export function idListFilter(name: string, what: string) {
  const form = `write ${name}[][id]=<id>, repeated for each (at most ${MAX_FILTER_IDS})`;
  return z
    .array(z.object({ id: idString() }, { error: form }), { error: form })
    .min(1, { error: form })
    .max(MAX_FILTER_IDS, { error: `at most ${MAX_FILTER_IDS} ids` })
    .optional()
    .describe(what);
}

export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({
    result: z.array(item),
    next_cursor: z.string().nullable().describe('pass back unchanged, with the same filters, to get the next page; null on the last page'),
    result_count: z.number().int(),
  });
}

export const PaginationQuery = {
  limit: z.coerce
    .number({ error: 'limit must be an integer from 1 to 1000' })
    .int('limit must be an integer from 1 to 1000')
    .min(1, 'limit must be an integer from 1 to 1000')
    .max(1000, 'limit must be an integer from 1 to 1000')
    .default(100),
  next_cursor: z.string().min(1).optional().describe('the next_cursor of the previous page, unchanged'),
};

export const BooleanParam = z
  .enum(['true', 'false'], { error: 'must be true or false' })
  .transform((v) => v === 'true');

export const IncludeRemoteData = {
  include_remote_data: BooleanParam.default(true).describe('false leaves remote_data out of every record'),
};

/** Where a read is answered from (CONTRACT.md "Reads"); store answers carry `parley-data-as-of`. */
export const ReadFromQuery = {
  read_from: z
    .enum(READ_FROM, { error: `must be one of ${READ_FROM.join(', ')}` })
    .default('auto')
    .describe(
      'auto (default): from the synced store when the account\'s sync covers the request, else from the vendor (and from the store after all when the vendor is down); store: from the store, or 409 naming what is not synced; live: from the vendor. Store answers carry the header parley-data-as-of.',
    ),
};

/** An ISO 8601 instant (a date alone is midnight UTC), as the store compares it with its own times. */
export const ModifiedAfterQuery = {
  modified_after: z
    .string()
    .min(1)
    .max(40)
    .refine((v) => {
      try {
        parseBoundary(v, 'UTC');
        return true;
      } catch {
        return false;
      }
    }, 'must be an ISO 8601 date or date-time, e.g. 2024-06-01T00:00:00Z')
    .optional()
    .describe('only records the synced store saw created or changed after this instant (answered from the store)'),
};

/** The header of answers that came from the synced store: the instant of the sync that produced them. */
export const DATA_AS_OF_HEADER = 'parley-data-as-of';
