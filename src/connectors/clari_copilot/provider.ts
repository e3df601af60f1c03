import { z } from 'zod';
import type { ProviderInfo, RateLimit } from '../types.js';
import { baseUrlField, credentialsObject, credentialString, rateLimitField } from '../credential-fields.js';

// https://api-doc.copilot.clari.com ("Authentication"): every request carries both the API key and
// the API password, in two headers; either alone is a 401. Workspace settings > Integrations >
// Clari Copilot API shows both.
const ClariCopilotCredentials = credentialsObject('clari_copilot', {
  api_key: credentialString().meta({ title: 'API key' }),
  api_password: credentialString().meta({ title: 'API password' }),
  base_url: baseUrlField(),
  /**
   * Clari: "Default rate limit is 10 per second". A workspace whose limit Clari raised may say so
   * here; anything above the default is the account owner's claim, not something Parley can check.
   */
  rate_limit_per_second: rateLimitField('second'),
}).meta({ id: 'ClariCopilotCredentials' });
type ClariCopilotCredentials = z.infer<typeof ClariCopilotCredentials>;

export const DEFAULT_CLARI_COPILOT_BASE_URL = 'https://rest-api.copilot.clari.com';
export const CLARI_DEFAULT_PER_SECOND = 10;
/**
 * "Also 100k requests per week is also imposed. Week starts every Sunday 0 GMT." Clari's week is a
 * calendar week; pacing it as a sliding 7-day window is stricter, so never over Clari's count.
 */
export const CLARI_WEEKLY_LIMIT = 100_000;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export const clariCopilotProvider: ProviderInfo = {
  slug: 'clari_copilot',
  name: 'Clari Copilot',
  // the first source is the default of metrics_source
  resources: { users: ['native'], meetings: ['native'], transcripts: ['native'], interactions: ['computed', 'native'], activity: ['computed'] },
  auth: ['api_key'],
  credentialsHelp: 'In Clari Copilot, an admin finds the API key and password under Settings → Integrations → Clari Copilot API.',
  // one cheap read that needs no extra scope
  verification: { method: 'GET', path: '/users' },
  docsUrl: 'https://api-doc.copilot.clari.com',
  defaultBaseUrl: DEFAULT_CLARI_COPILOT_BASE_URL,
  credentials: ClariCopilotCredentials as z.ZodType<Record<string, unknown>>,
  rateLimit(c): RateLimit {
    const perSecond = (c as ClariCopilotCredentials).rate_limit_per_second ?? CLARI_DEFAULT_PER_SECOND;
    return { perSecond, windows: [{ limit: CLARI_WEEKLY_LIMIT, windowMs: WEEK_MS }] };
  },
  authHeaders(c) {
    const { api_key, api_password } = c as ClariCopilotCredentials;
    return { 'x-api-key': api_key, 'x-api-password': api_password };
  },
  baseUrl(c) {
    return (c as ClariCopilotCredentials).base_url ?? DEFAULT_CLARI_COPILOT_BASE_URL;
  },
};
