import { z } from 'zod';
import type { ProviderInfo } from '../types.js';
import { parseJsonKeepingBigIntegers } from '../../upstream/lossless-json.js';
import { baseUrlField, credentialsObject, credentialString } from '../credential-fields.js';

// https://gong.app.gong.io/settings/api/documentation ("Cursors", "Limits"): Basic auth with an
// access key and secret; the base URL is per customer (Settings > API shows it).
const GongCredentials = credentialsObject('gong', {
  access_key: credentialString(),
  access_key_secret: credentialString(),
  base_url: baseUrlField(),
}).meta({ id: 'GongCredentials' });

export const DEFAULT_GONG_BASE_URL = 'https://api.gong.io';

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
  docsUrl: 'https://gong.app.gong.io/settings/api/documentation',
  defaultBaseUrl: DEFAULT_GONG_BASE_URL,
  credentials: GongCredentials as z.ZodType<Record<string, unknown>>,
  // "3 API calls per second, and 10,000 API calls per day" per company.
  rateLimit: { perSecond: 3, windows: [{ limit: 10_000, windowMs: 24 * 60 * 60 * 1000 }] },
  authHeaders(c) {
    const { access_key, access_key_secret } = c as z.infer<typeof GongCredentials>;
    return { authorization: `Basic ${Buffer.from(`${access_key}:${access_key_secret}`).toString('base64')}` };
  },
  baseUrl(c) {
    return (c as z.infer<typeof GongCredentials>).base_url ?? DEFAULT_GONG_BASE_URL;
  },
};
