import { z } from 'zod';
import type { ProviderInfo, RateLimit } from '../types.js';
import { baseUrlField, credentialsObject, credentialString, rateLimitField } from '../credential-fields.js';

// https://developers.fathom.ai/quickstart: a per-user API key from Settings → API Access, sent as
// `X-Api-Key: <key>`. It reaches the meetings its user recorded or that were shared with them or
// their team. (OAuth apps send `Authorization: Bearer`; Parley's OAuth flow is not built for Fathom.)
const FathomCredentials = credentialsObject('fathom', {
  api_key: credentialString().meta({ title: 'API key' }),
  base_url: baseUrlField(),
  /**
   * Not a secret: the key's request budget when Fathom granted more (or, under load, less) than the
   * published 60 calls per minute. Absent, Parley paces at the published limit.
   */
  rate_limit_per_minute: rateLimitField('minute'),
}).meta({ id: 'FathomCredentials' });
type FathomCredentials = z.infer<typeof FathomCredentials>;

/** The API's origin and path prefix: every route is under `/external/v1`. */
export const DEFAULT_FATHOM_BASE_URL = 'https://api.fathom.ai/external/v1';

/** "Currently, you are able to make a maximum of 60 calls to the API in a 60 second window." */
export const FATHOM_REQUESTS_PER_MINUTE = 60;

/**
 * Evenly spaced (one request a second at the published limit) rather than bursts of 60: Fathom
 * does not say how its window is cut, and even spacing satisfies fixed and sliding windows alike.
 */
export function fathomRateLimit(credentials: Record<string, unknown>): RateLimit {
  const perMinute = (credentials as FathomCredentials).rate_limit_per_minute ?? FATHOM_REQUESTS_PER_MINUTE;
  return { perSecond: perMinute / 60, windows: [{ limit: perMinute, windowMs: 60_000 }] };
}

export const fathomProvider: ProviderInfo = {
  slug: 'fathom',
  name: 'Fathom',
  // the first source is the default of metrics_source
  resources: { users: ['native'], meetings: ['native'], transcripts: ['native'], interactions: ['computed'], activity: ['computed'] },
  auth: ['api_key'],
  credentialsHelp: 'In Fathom, open Settings → API Access and create an API key.',
  // one cheap read that needs no extra scope
  verification: { method: 'GET', path: '/team_members' },
  docsUrl: 'https://developers.fathom.ai',
  defaultBaseUrl: DEFAULT_FATHOM_BASE_URL,
  credentials: FathomCredentials as z.ZodType<Record<string, unknown>>,
  rateLimit: fathomRateLimit,
  authHeaders(c) {
    return { 'x-api-key': (c as FathomCredentials).api_key };
  },
  baseUrl(c) {
    return (c as FathomCredentials).base_url ?? DEFAULT_FATHOM_BASE_URL;
  },
};
