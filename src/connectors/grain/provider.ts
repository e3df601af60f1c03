import { z } from 'zod';
import type { ProviderInfo, RateLimit } from '../types.js';
import { baseUrlField, credentialsObject, credentialString, rateLimitField } from '../credential-fields.js';

// https://developers.grain.com ("Authentication"): a Personal Access Token (the user's own access)
// or a Workspace Access Token (all of the workspace's data; Business and Enterprise plans), both
// generated at grain.com/app/settings/integrations?tab=api, sent as `Authorization: Bearer <token>`.
const GrainCredentials = credentialsObject('grain', {
  api_token: credentialString().meta({ title: 'API token' }),
  base_url: baseUrlField(),
  /** Not a secret: the workspace's request budget if Grain granted more than the published 300 per minute. */
  rate_limit_per_minute: rateLimitField('minute'),
}).meta({ id: 'GrainCredentials' });
type GrainCredentials = z.infer<typeof GrainCredentials>;

export const DEFAULT_GRAIN_BASE_URL = 'https://api.grain.com';

/**
 * Every request names the API version it is written for (`Public-Api-Version`, required: "Versions
 * in the Grain-API will be used to introduce and/or deprecate fields"). This connector's mappers
 * read the fields of this version, so it is fixed here rather than a setting.
 */
export const GRAIN_API_VERSION = '2025-10-31';

/** "Grain allows a total of 300 requests per minute." */
export const GRAIN_REQUESTS_PER_MINUTE = 300;

/** Evenly spaced (one request per 200 ms at the published limit): Grain does not say how its minute is cut. */
export function grainRateLimit(credentials: Record<string, unknown>): RateLimit {
  const perMinute = (credentials as GrainCredentials).rate_limit_per_minute ?? GRAIN_REQUESTS_PER_MINUTE;
  return { perSecond: perMinute / 60, windows: [{ limit: perMinute, windowMs: 60_000 }] };
}

export const grainProvider: ProviderInfo = {
  slug: 'grain',
  name: 'Grain',
  // the first source is the default of metrics_source
  resources: { users: ['native'], meetings: ['native'], transcripts: ['native'], interactions: ['computed'], activity: ['computed'] },
  auth: ['api_key'],
  credentialsHelp: 'In Grain, open Settings → Integrations → API and create a Personal Access Token.',
  // one cheap read that needs no extra scope
  verification: { method: 'POST', path: '/_/public-api/v2/users', body: {} },
  docsUrl: 'https://developers.grain.com',
  defaultBaseUrl: DEFAULT_GRAIN_BASE_URL,
  credentials: GrainCredentials as z.ZodType<Record<string, unknown>>,
  rateLimit: grainRateLimit,
  authHeaders(c) {
    return { authorization: `Bearer ${(c as GrainCredentials).api_token}`, 'public-api-version': GRAIN_API_VERSION };
  },
  baseUrl(c) {
    return (c as GrainCredentials).base_url ?? DEFAULT_GRAIN_BASE_URL;
  },
};
