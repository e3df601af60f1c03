import { z } from 'zod';
import type { ProviderInfo, RateLimit } from '../types.js';
import { baseUrlField, credentialsObject, credentialString, rateLimitField } from '../credential-fields.js';

// https://dev.avoma.com ("Authorization"): an API key generated under Settings > Organization >
// Developer (admins only), sent as `Authorization: Bearer <key>`; one public host for every customer.
const AvomaCredentials = credentialsObject('avoma', {
  api_key: credentialString().meta({ title: 'API key' }),
  base_url: baseUrlField(),
  /**
   * Not a secret: the workspace's request budget when Avoma granted it more than the published 60
   * requests per minute. Absent, Parley paces at the published limit.
   */
  rate_limit_per_minute: rateLimitField('minute'),
}).meta({ id: 'AvomaCredentials' });
type AvomaCredentials = z.infer<typeof AvomaCredentials>;

export const DEFAULT_AVOMA_BASE_URL = 'https://api.avoma.com';

/** "We Rate Limit our APIs to 60 request in 1 minute period." (dev.avoma.com, "Rate Limits") */
export const AVOMA_REQUESTS_PER_MINUTE = 60;

/**
 * Paced evenly (one request per second at the published limit) rather than in bursts of 60: the
 * docs do not say whether the minute is a fixed window, a sliding one or a token bucket, and even
 * spacing is safe under all three.
 */
export function avomaRateLimit(credentials: Record<string, unknown>): RateLimit {
  const perMinute = (credentials as AvomaCredentials).rate_limit_per_minute ?? AVOMA_REQUESTS_PER_MINUTE;
  return { perSecond: perMinute / 60, windows: [{ limit: perMinute, windowMs: 60_000 }] };
}

export const avomaProvider: ProviderInfo = {
  slug: 'avoma',
  name: 'Avoma',
  // the first source is the default of metrics_source
  resources: { users: ['native'], meetings: ['native'], transcripts: ['native'], interactions: ['computed'], activity: ['computed'] },
  auth: ['api_key'],
  credentialsHelp: 'In Avoma, an admin generates an API key under Settings → Organization → Developer.',
  // one cheap read that needs no extra scope
  verification: { method: 'GET', path: '/v1/users/' },
  docsUrl: 'https://dev.avoma.com',
  defaultBaseUrl: DEFAULT_AVOMA_BASE_URL,
  credentials: AvomaCredentials as z.ZodType<Record<string, unknown>>,
  rateLimit: avomaRateLimit,
  authHeaders(c) {
    return { authorization: `Bearer ${(c as AvomaCredentials).api_key}` };
  },
  baseUrl(c) {
    return (c as AvomaCredentials).base_url ?? DEFAULT_AVOMA_BASE_URL;
  },
};
