import { z } from 'zod';
import { MAX_FILTER_IDS, MAX_ID_LENGTH } from './limits.js';

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
