import { z } from 'zod';
import type { ProviderInfo, RateLimit } from '../types.js';
import { baseUrlField, credentialsObject, credentialString, rateLimitField } from '../credential-fields.js';

// https://chorus.ai/api/openapi.json (info.description, "Authentication"): one API token per Chorus
// user, from Personal Settings, sent as the raw header value — `Authorization:<token>`, no scheme.
// The token's user's data-access controls apply, and private recordings are never returned.
const ChorusCredentials = credentialsObject('chorus', {
  api_token: credentialString().meta({ title: 'API token' }),
  base_url: baseUrlField(),
  /**
   * Chorus publishes no rate limit (no 429, no rate-limit headers in its spec). A tenant that knows
   * its allowance may raise the default pace here; see docs/connectors/chorus.md.
   */
  rate_limit_per_minute: rateLimitField('minute'),
}).meta({ id: 'ChorusCredentials' });
type ChorusCredentials = z.infer<typeof ChorusCredentials>;

export const DEFAULT_CHORUS_BASE_URL = 'https://chorus.ai';

/**
 * Assumed, not documented: the only public hint is a third-party client that logs "Rate Limit of
 * 10/min" when Chorus answers 429. Until a tenant says otherwise we pace at that, evenly spaced.
 */
export const DEFAULT_CHORUS_REQUESTS_PER_MINUTE = 10;

export function chorusRateLimit(c: Record<string, unknown>): RateLimit {
  const perMinute = (c as ChorusCredentials).rate_limit_per_minute ?? DEFAULT_CHORUS_REQUESTS_PER_MINUTE;
  return { perSecond: perMinute / 60 };
}

export const chorusProvider: ProviderInfo = {
  slug: 'chorus',
  name: 'Chorus',
  // the first source is the default of metrics_source
  resources: { users: ['native'], meetings: ['native'], transcripts: ['native'], interactions: ['computed'], activity: ['computed'] },
  auth: ['api_key'],
  credentialsHelp: 'In Chorus, open Personal settings → API Access and generate an API token.',
  // one cheap read that needs no extra scope
  verification: { method: 'GET', path: '/v3/users' },
  docsUrl: 'https://api-docs.chorus.ai',
  defaultBaseUrl: DEFAULT_CHORUS_BASE_URL,
  credentials: ChorusCredentials as z.ZodType<Record<string, unknown>>,
  rateLimit: chorusRateLimit,
  authHeaders(c) {
    return { authorization: (c as ChorusCredentials).api_token };
  },
  baseUrl(c) {
    return (c as ChorusCredentials).base_url ?? DEFAULT_CHORUS_BASE_URL;
  },
};
