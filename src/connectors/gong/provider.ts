import { z } from 'zod';
import type { ProviderInfo } from '../types.js';
import { parseJsonKeepingBigIntegers } from '../../upstream/lossless-json.js';
import { baseUrlField, credentialsObject, credentialString } from '../credential-fields.js';

// https://gong.app.gong.io/settings/api/documentation ("Cursors", "Limits"): Basic auth with an
// access key and secret; the base URL is per customer (Settings > API shows it).
const GongCredentials = credentialsObject('gong', {
  access_key: credentialString().meta({ title: 'Access key' }),
  access_key_secret: credentialString().meta({ title: 'Access key secret' }),
  base_url: baseUrlField(),
}).meta({ id: 'GongCredentials' });

export const DEFAULT_GONG_BASE_URL = 'https://api.gong.io';

/**
 * What an account connected through OAuth stores instead of an access key (never accepted from
 * clients: the connect flow writes it). `expires_at` is epoch ms; `base_url` is the token response's
 * `api_base_url_for_customer`.
 */
export interface GongOAuthCredentials {
  auth: 'oauth2';
  access_token: string;
  refresh_token: string;
  expires_at: number;
  base_url: string;
}

export const gongProvider: ProviderInfo = {
  slug: 'gong',
  name: 'Gong',
  // the first source is the default of metrics_source
  resources: {
    users: ['native'],
    meetings: ['native'],
    transcripts: ['native'],
    interactions: ['native', 'computed'],
    activity: ['native'],
    scorecards: ['native'],
    scorecard_templates: ['native'],
  },
  // ids in stats and settings bodies are 64-bit JSON numbers: keep every digit
  parseJson: parseJsonKeepingBigIntegers,
  auth: ['api_key', 'oauth2'],
  credentialsHelp: 'In Gong, a technical administrator creates an access key and secret under Company settings → Ecosystem → API (the page also shows your API base URL).',
  // one cheap read that needs no extra scope
  verification: { method: 'GET', path: '/v2/users' },
  docsUrl: 'https://gong.app.gong.io/settings/api/documentation',
  defaultBaseUrl: DEFAULT_GONG_BASE_URL,
  credentials: GongCredentials as z.ZodType<Record<string, unknown>>,
  // "3 API calls per second, and 10,000 API calls per day" per company.
  rateLimit: { perSecond: 3, windows: [{ limit: 10_000, windowMs: 24 * 60 * 60 * 1000 }] },
  // https://help.gong.io/docs/create-an-app-for-gong: authorize, then token exchange and refresh at
  // generate-customer-token with HTTP Basic client authentication
  oauth: {
    authorizeUrl: 'https://app.gong.io/oauth2/authorize',
    tokenUrl: 'https://app.gong.io/oauth2/generate-customer-token',
    scopes: ['api:users:read', 'api:calls:read:basic', 'api:calls:read:extensive', 'api:calls:read:transcript', 'api:stats:interaction'],
    baseUrlField: 'api_base_url_for_customer',
  },
  authHeaders(c) {
    if (c.auth === 'oauth2') return { authorization: `Bearer ${(c as unknown as GongOAuthCredentials).access_token}` };
    const { access_key, access_key_secret } = c as z.infer<typeof GongCredentials>;
    return { authorization: `Basic ${Buffer.from(`${access_key}:${access_key_secret}`).toString('base64')}` };
  },
  baseUrl(c) {
    return (c as z.infer<typeof GongCredentials>).base_url ?? DEFAULT_GONG_BASE_URL;
  },
};
