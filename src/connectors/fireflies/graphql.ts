import { z } from 'zod';
import { RemoteError } from '../../domain/errors.js';
import { MalformedBody, type UpstreamClient } from '../../upstream/client.js';
import { parseVendorBody } from '../vendor-body.js';

/**
 * Every Fireflies request is a GraphQL document POSTed to /graphql. Errors come back as an `errors`
 * array (https://docs.fireflies.ai/fundamentals/errors), often on an HTTP 200 — rate limiting and
 * authentication included — so a 200 is only a success when it carries `data` and no `errors`.
 * Each error has a `code` (https://docs.fireflies.ai/miscellaneous/error-codes) and usually
 * `extensions.status`, the HTTP status it stands for.
 */
export const GRAPHQL_PATH = '/graphql';

export interface FirefliesOperation {
  /** the operation name in `query` (also sent as `operationName`) */
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const FirefliesError = z.looseObject({
  message: z.string().nullish(),
  code: z.string().nullish(),
  extensions: z
    .looseObject({
      code: z.string().nullish(),
      status: z.number().nullish(),
      metadata: z.looseObject({ retryAfter: z.number().nullish() }).nullish(),
    })
    .nullish(),
});
type FirefliesError = z.infer<typeof FirefliesError>;

const ErrorEnvelope = z.looseObject({ errors: z.array(FirefliesError).min(1) });

/** When an error carries no `extensions.status`: the statuses the error-codes page gives them. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  invalid_arguments: 400,
  args_required: 400,
  auth_failed: 401,
  paid_required: 402,
  require_ai_credits: 402,
  forbidden: 403,
  not_in_team: 403,
  require_elevated_privilege: 403,
  account_cancelled: 403,
  object_not_found: 404,
  too_many_requests: 429,
};

const TOO_MANY_REQUESTS = 'too_many_requests';
/**
 * A body-level rate limit bypasses the HTTP client's 429 handling, so it is reported to the
 * account's budget here — but only briefly: a longer wait (an exhausted daily quota) is the client's to decide (429 + Retry-After).
 */
const MAX_INLINE_WAIT_MS = 10_000;
const MAX_INLINE_RETRIES = 3;
const RETRY_MARGIN_MS = 50;
/** no hint at all: what Fireflies' SDK waits */
const FALLBACK_RETRY_MS = 1_000;

// Every client error except 429 comes back to us, so its GraphQL `errors` can be read; the shared
// client still handles 429 (Retry-After) and retries 5xx.
const CLIENT_ERRORS = Array.from({ length: 100 }, (_, i) => 400 + i).filter((s) => s !== 429);

type Outcome<T> = { found: true; data: T } | { found: false };

async function run<S extends z.ZodType>(
  http: UpstreamClient,
  op: FirefliesOperation,
  dataSchema: S,
  notFoundIsEmpty: boolean,
): Promise<Outcome<z.infer<S>>> {
  const where = `query ${op.name}`;
  for (let attempt = 1; ; attempt++) {
    const res = await http.request({
      method: 'POST',
      path: GRAPHQL_PATH,
      body: { operationName: op.name, query: op.query, variables: op.variables ?? {} },
      passStatuses: CLIENT_ERRORS,
    });
    const raw = res.body instanceof MalformedBody ? res.body.text : res.body;
    const errors = ErrorEnvelope.safeParse(raw);
    if (errors.success) {
      const failure = classify(errors.data.errors, res.status);
      // not_in_team: "a userId that is not a part of your team" — for a get, as good as missing
      if (notFoundIsEmpty && (failure.status === 404 || failure.code === 'not_in_team')) return { found: false };
      if (failure.status === 429) {
        const waitMs = failure.retryAtMs !== undefined ? Math.max(0, failure.retryAtMs - Date.now()) : FALLBACK_RETRY_MS;
        if (waitMs <= MAX_INLINE_WAIT_MS && attempt <= MAX_INLINE_RETRIES) {
          // the account's budget holds this and every concurrent request until then, plus a margin:
          // a retry landing on the very millisecond the vendor's window frees may still be counted
          http.pauseUntil(Date.now() + waitMs + RETRY_MARGIN_MS);
          continue;
        }
        throw new RemoteError(
          429,
          `Fireflies is rate limiting this account (${where}): ${failure.message}; retry after the time in Retry-After`,
          raw,
          Math.max(1, Math.ceil(waitMs / 1000)),
        );
      }
      throw new RemoteError(failure.status, `Fireflies refused ${where} (${failure.code ?? 'error'}): ${failure.message}${hint(failure.status)}`, raw);
    }
    if (res.status >= 400) {
      throw new RemoteError(res.status, `Fireflies refused ${where} with HTTP ${res.status}${hint(res.status)}`, raw);
    }
    const body = parseVendorBody('Fireflies', z.looseObject({ data: dataSchema }), raw, where);
    return { found: true, data: body.data as z.infer<S> };
  }
}

function hint(status: number): string {
  if (status === 401) return '; check credentials.api_key (Fireflies: Integrations > Fireflies API)';
  if (status === 403) return '; the API key lacks the permission (team admin keys see the whole team)';
  return '';
}

interface Failure {
  status: number;
  code?: string;
  message: string;
  /** epoch ms after which a rate-limited request may be retried */
  retryAtMs?: number;
}

/** The HTTP meaning of a GraphQL `errors` array: the most actionable error decides. */
export function classify(errors: readonly FirefliesError[], httpStatus: number): Failure {
  const described = errors.map((e) => {
    const code = e.extensions?.code ?? e.code ?? undefined;
    const declared = e.extensions?.status;
    let status =
      typeof declared === 'number' && Number.isInteger(declared) && declared >= 400 && declared <= 599
        ? declared
        : (code && STATUS_BY_CODE[code]) || (httpStatus >= 400 ? httpStatus : 502);
    if (code === TOO_MANY_REQUESTS) status = 429;
    // a vendor-side failure reported in a body is still the vendor's fault: 502, never a 5xx of ours
    if (status >= 500) status = 502;
    const retryAt = e.extensions?.metadata?.retryAfter;
    return {
      status,
      ...(code ? { code } : {}),
      message: e.message ?? code ?? 'unknown error',
      ...(typeof retryAt === 'number' && Number.isFinite(retryAt) ? { retryAtMs: retryAt } : {}),
    };
  });
  const rank = (f: Failure) => (f.status === 429 ? 0 : f.status === 401 ? 1 : f.status === 403 ? 2 : f.status < 500 ? 3 : 4);
  return described.sort((a, b) => rank(a) - rank(b))[0]!;
}

/** The `data` of a successful answer, validated; any GraphQL error is thrown as a RemoteError. */
export async function firefliesQuery<S extends z.ZodType>(http: UpstreamClient, op: FirefliesOperation, dataSchema: S): Promise<z.infer<S>> {
  const out = await run(http, op, dataSchema, false);
  if (!out.found) throw new RemoteError(502, `Fireflies answered "not found" to query ${op.name}`, null);
  return out.data;
}

/** As `firefliesQuery`, but Fireflies' `object_not_found` (404) is undefined: the get of a missing id. */
export async function firefliesQueryOrMissing<S extends z.ZodType>(
  http: UpstreamClient,
  op: FirefliesOperation,
  dataSchema: S,
): Promise<z.infer<S> | undefined> {
  const out = await run(http, op, dataSchema, true);
  return out.found ? out.data : undefined;
}
