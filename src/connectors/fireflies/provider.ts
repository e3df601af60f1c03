import { z } from 'zod';
import type { ProviderInfo, RateLimit } from '../types.js';
import { baseUrlField, credentialsObject, credentialString, rateLimitField, wholeNumberField } from '../credential-fields.js';

/**
 * Fireflies.ai: one GraphQL endpoint, `POST https://api.fireflies.ai/graphql`, authenticated with
 * `Authorization: Bearer <api key>` (https://docs.fireflies.ai/fundamentals/authorization).
 *
 * Limits depend on the plan (https://docs.fireflies.ai/fundamentals/limits): "Free / Pro: 50
 * requests per day; Business / Enterprise: 60 requests per min". The budget is therefore a per-account
 * setting. The default is the Business plan's 60 per minute: the most restrictive plan on which the
 * API is usable for Parley (50 a day cannot list a month of meetings); Free/Pro accounts set
 * `rate_limit_per_day: 50`.
 */
export const FIREFLIES_PAGE_SIZE_MAX = 50;
export const DEFAULT_REQUESTS_PER_MINUTE = 60;

const FirefliesCredentials = credentialsObject('fireflies', {
  api_key: credentialString().meta({ title: 'API key' }),
  base_url: baseUrlField(),
  rate_limit_per_minute: rateLimitField('minute'),
  rate_limit_per_day: rateLimitField('day'),
  /** transcripts per page (1–50, default 50): smaller pages for very long meetings */
  page_size: wholeNumberField(1, FIREFLIES_PAGE_SIZE_MAX, 'transcripts per page').optional(),
}).meta({ id: 'FirefliesCredentials' });
export type FirefliesCredentials = z.infer<typeof FirefliesCredentials>;

export const DEFAULT_FIREFLIES_BASE_URL = 'https://api.fireflies.ai';

export function firefliesRateLimit(c: Record<string, unknown>): RateLimit {
  const { rate_limit_per_minute, rate_limit_per_day } = c as FirefliesCredentials;
  const perMinute = rate_limit_per_minute ?? DEFAULT_REQUESTS_PER_MINUTE;
  const windows = [{ limit: Math.max(1, Math.floor(perMinute)), windowMs: 60_000 }];
  if (rate_limit_per_day) windows.push({ limit: rate_limit_per_day, windowMs: 24 * 60 * 60 * 1000 });
  return { perSecond: perMinute / 60, windows };
}

export function firefliesPageSize(c: Record<string, unknown>): number {
  return (c as FirefliesCredentials).page_size ?? FIREFLIES_PAGE_SIZE_MAX;
}

/** Fireflies answers a wrong key with 200 and a GraphQL error `auth_failed` (or a 401/403 status). */
function graphqlAuthFailed(body: unknown): boolean {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors)) return false;
  return errors.some((e) => {
    const err = e as { code?: unknown; extensions?: { code?: unknown; status?: unknown } } | null;
    return err?.code === 'auth_failed' || err?.extensions?.code === 'auth_failed' || err?.extensions?.status === 401;
  });
}

export const firefliesProvider: ProviderInfo = {
  slug: 'fireflies',
  name: 'Fireflies',
  // the first source is the default of metrics_source
  resources: { users: ['native'], meetings: ['native'], transcripts: ['native'], interactions: ['computed', 'native'], activity: ['computed'] },
  auth: ['api_key'],
  credentialsHelp: 'In Fireflies, open Integrations → Fireflies API (or Settings → Developer settings) and copy your API key.',
  // one cheap read that needs no extra scope
  verification: { method: 'POST', path: '/graphql', body: { operationName: 'Users', query: 'query Users { users { user_id } }', variables: {} }, rejected: graphqlAuthFailed },
  docsUrl: 'https://docs.fireflies.ai/',
  defaultBaseUrl: DEFAULT_FIREFLIES_BASE_URL,
  credentials: FirefliesCredentials as z.ZodType<Record<string, unknown>>,
  rateLimit: firefliesRateLimit,
  authHeaders(c) {
    return { authorization: `Bearer ${(c as FirefliesCredentials).api_key}` };
  },
  baseUrl(c) {
    // Requests go to `<base>/graphql`; a base_url copied with the endpoint path must not double it.
    const base = (c as FirefliesCredentials).base_url ?? DEFAULT_FIREFLIES_BASE_URL;
    return base.replace(/\/+$/, '').replace(/\/graphql$/i, '');
  },
};
