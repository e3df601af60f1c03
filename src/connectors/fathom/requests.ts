import type { z } from 'zod';
import type { UpstreamClient } from '../../upstream/client.js';
import { nextContinuation, vendorRequest, type VendorDialect } from '../vendor-body.js';
import { FathomErrorBody } from './schemas.js';

/** Fathom's error bodies `{"error": "…"}` give the reason of a refusal. */
const FATHOM: VendorDialect = {
  vendor: 'Fathom',
  reasonOf: (body) => {
    const parsed = FathomErrorBody.safeParse(body);
    return parsed.success ? parsed.data.error : undefined;
  },
};

export interface FathomGet {
  path: string;
  query?: Record<string, string | readonly string[] | undefined>;
  /** statuses answered as `undefined` instead of thrown (404 on a recording's transcript) */
  passStatuses?: readonly number[];
}

/** One GET to Fathom, its body validated. */
export function fathomGet<S extends z.ZodType>(http: UpstreamClient, req: FathomGet, schema: S): Promise<z.infer<S> | undefined> {
  const where = `GET ${req.path.replace(/\/recordings\/\d+\//, '/recordings/{recording_id}/')}`;
  return vendorRequest(http, FATHOM, where, { method: 'GET', ...req }, schema);
}

/** `next_cursor` is repeated as `cursor` with every other parameter unchanged; null on the last page. */
export function nextFathomCursor(sent: string | undefined, received: string | null | undefined, where: string, body: unknown): string | undefined {
  return nextContinuation('Fathom', 'next_cursor', sent, received, where, body);
}
