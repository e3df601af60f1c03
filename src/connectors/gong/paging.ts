import type { z } from 'zod';
import { RemoteError } from '../../domain/errors.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { parseVendorBody } from '../vendor-body.js';

/**
 * Gong's cursor pagination: `records.cursor` is present only while more pages remain; the next
 * call repeats the request with that cursor (query parameter for GET, top-level body field for
 * POST) and "all other request inputs should remain the same". A 404 on list and stats endpoints
 * means "no records" and ends the listing.
 */
export interface GongListRequest {
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string | undefined>;
  body?: Record<string, unknown>;
}

/** One page at `cursor`; undefined when Gong answers 404 "no records". */
export async function fetchGongPage<S extends z.ZodType<{ records?: { cursor?: string } }>>(
  http: UpstreamClient,
  req: GongListRequest,
  schema: S,
  cursor?: string,
): Promise<z.infer<S> | undefined> {
  const res = await http.request({
    method: req.method,
    path: req.path,
    query: req.method === 'GET' ? { ...req.query, cursor } : req.query,
    body: req.method === 'POST' ? { ...(cursor ? { cursor } : {}), ...req.body } : undefined,
    passStatuses: [404],
  });
  if (res.status === 404) return undefined;
  return parseGong(schema, res.body, `${req.method} ${req.path}`);
}

export async function* gongPages<S extends z.ZodType<{ records?: { cursor?: string } }>>(
  http: UpstreamClient,
  req: GongListRequest,
  schema: S,
): AsyncGenerator<z.infer<S>> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchGongPage(http, req, schema, cursor);
    if (!page) return;
    yield page;
    cursor = page.records?.cursor;
    if (!cursor) return;
    if (seen.has(cursor)) {
      throw new RemoteError(502, `Gong repeated a pagination cursor on ${req.method} ${req.path}; stopped to avoid a loop`, page);
    }
    seen.add(cursor);
  }
}

export function parseGong<S extends z.ZodType>(schema: S, body: unknown, where: string): z.infer<S> {
  return parseVendorBody('Gong', schema, body, where);
}
