import { loadOpenApiValidator, type OpenApiValidator, type ValidationIssue, type ValidationResult } from '../shared/openapi-validator.js';

/**
 * Gong's own OpenAPI document (a copy in reference/, see reference/README.md) as the judge of what
 * the simulator accepts and serves.
 */

export const GONG_OPENAPI_URL = new URL('../../reference/gong-openapi.json', import.meta.url);

/** The validator for Gong's document, loaded and compiled once per process. */
export function gongOpenApi(): OpenApiValidator {
  return loadOpenApiValidator(GONG_OPENAPI_URL);
}

/**
 * Places where the document contradicts itself and the simulator follows the prose, not the
 * schema. GET /v2/calls marks `fromDateTime`/`toDateTime` required while describing them as
 * "if not provided, list starts with earliest call" / "…ends with most recent call".
 */
const REQUEST_ERRATA: ReadonlyArray<{ method: string; pathTemplate: string; ignore: (issue: ValidationIssue) => boolean }> = [
  {
    method: 'GET',
    pathTemplate: '/v2/calls',
    ignore: (issue) => issue.in === 'query' && issue.keyword === 'required' && ['fromDateTime', 'toDateTime'].includes(issue.location),
  },
];

/** Validates a request the way the simulator does before serving it (400 when invalid). */
export function validateGongRequest(
  method: string,
  path: string,
  input: { query?: Record<string, unknown>; body?: unknown } = {},
): ValidationResult {
  const result = gongOpenApi().validateRequest({ method, path, ...input });
  const errata = REQUEST_ERRATA.filter((e) => e.method === method.toUpperCase() && e.pathTemplate === result.operation?.pathTemplate);
  if (errata.length === 0) return result;
  const kept = result.issues.filter((issue) => !errata.some((e) => e.ignore(issue)));
  const keptIndexes = result.issues.map((issue, i) => (kept.includes(issue) ? i : -1)).filter((i) => i >= 0);
  return { valid: kept.length === 0, issues: kept, errors: keptIndexes.map((i) => result.errors[i] as string) };
}

/**
 * Whether a response body conforms to what Gong documents for this operation and status, e.g.
 * `validateGongResponse('POST', '/v2/stats/interaction', 200, body)`. `path` may be concrete
 * (`/v2/users/123`). A status the document does not list for the operation is invalid.
 */
export function validateGongResponse(method: string, path: string, status: number, body: unknown): ValidationResult {
  return gongOpenApi().validateResponse(method, path, status, body);
}
