import type { z } from 'zod';
import type { UpstreamClient, UpstreamRequest } from '../../upstream/client.js';
import { nextContinuation, vendorRequest, type VendorDialect } from '../vendor-body.js';
import { GrainErrorBody } from './schemas.js';

/** Every v2 route is under this path on `https://api.grain.com`. */
export const GRAIN_API_PATH = '/_/public-api/v2';

const GRAIN: VendorDialect = {
  vendor: 'Grain',
  reasonOf: (body) => {
    const parsed = GrainErrorBody.safeParse(body);
    return parsed.success ? (parsed.data.errors?.detail ?? parsed.data.error) : undefined;
  },
};

/**
 * One request to Grain's v2 API, its body validated. Grain reads with POST (a JSON body of
 * `filter`/`include`) except for transcripts; `route` is the path under GRAIN_API_PATH, `where` the
 * same with ids as placeholders.
 */
export function grainRequest<S extends z.ZodType>(
  http: UpstreamClient,
  where: string,
  req: Omit<UpstreamRequest, 'path'> & { route: string },
  schema: S,
): Promise<z.infer<S> | undefined> {
  const { route, ...rest } = req;
  return vendorRequest(http, GRAIN, `${req.method} ${GRAIN_API_PATH}${where}`, { ...rest, path: `${GRAIN_API_PATH}${route}` }, schema);
}

/** The `cursor` of a page, sent back as the body's `cursor`; undefined on the last page. */
export function nextGrainCursor(sent: string | undefined, received: string | null | undefined, where: string, body: unknown): string | undefined {
  return nextContinuation('Grain', 'cursor', sent, received, where, body);
}

/** Grain's ids are UUIDs; anything else cannot exist and is not sent upstream (nor into a path). */
export const GRAIN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
