import type { z } from 'zod';
import type { UpstreamClient } from '../../upstream/client.js';
import { nextContinuation as nextVendorContinuation, parseVendorBody, vendorRequest } from '../vendor-body.js';
import { ChorusErrorBody } from './schemas.js';

/**
 * Requests to Chorus: one GET, its body validated, and Chorus's JSON:API error envelope
 * (`{"errors": [{status, code, title, detail, source}]}`, schema `Error` of the spec) turned into a
 * readable message while the body itself stays the raw_response.
 */
export interface ChorusGet {
  path: string;
  query?: Record<string, string | undefined>;
  /** statuses answered as `undefined` instead of thrown (404 on a single conversation) */
  passStatuses?: readonly number[];
}

export async function chorusGet<S extends z.ZodType>(http: UpstreamClient, req: ChorusGet, schema: S): Promise<z.infer<S> | undefined> {
  const where = `GET ${req.path.replace(/\/[0-9A-Za-z]{16,}$/, '/{id}')}`;
  return vendorRequest(http, { vendor: 'Chorus', reasonOf: chorusReason }, where, { method: 'GET', ...req }, schema);
}

export function parseChorus<S extends z.ZodType>(schema: S, body: unknown, where: string): z.infer<S> {
  return parseVendorBody('Chorus', schema, body, where);
}

/** Chorus's JSON:API error list in one line. */
function chorusReason(body: unknown): string | undefined {
  const parsed = ChorusErrorBody.safeParse(body);
  if (!parsed.success || parsed.data.errors.length === 0) return undefined;
  return parsed.data.errors
    .map((e) => [e.title, e.detail].filter((s) => s && s.trim()).join(': ') || e.code || e.status || 'error')
    .join('; ');
}

/**
 * v3 continuation pagination: the page carries `continuation_key` while more remain; the next
 * request repeats the same filters plus `continuation_key=<that value>`.
 */
export function nextContinuation(sent: string | undefined, received: string | null | undefined, where: string, body: unknown): string | undefined {
  return nextVendorContinuation('Chorus', 'continuation_key', sent, received, where, body);
}
