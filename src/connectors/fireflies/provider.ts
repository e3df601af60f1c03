import { z } from 'zod';
import type { ProviderInfo, RateLimit } from '../types.js';

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

const FirefliesCredentials = z.object({
  api_key: z.string().min(1),
  base_url: z.string().url().optional(),
  rate_limit_per_minute: z.number().positive().max(100_000).optional(),
  rate_limit_per_day: z.number().int().positive().optional(),
  /** transcripts per page (1–50, default 50): smaller pages for very long meetings */
  page_size: z.number().int().min(1).max(FIREFLIES_PAGE_SIZE_MAX).optional(),
});
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

export const firefliesProvider: ProviderInfo = {
  slug: 'fireflies',
  name: 'Fireflies',
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
