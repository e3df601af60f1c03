import type { z } from 'zod';
import { RemoteError } from '../../domain/errors.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { parseVendorBody } from '../vendor-body.js';
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
  let res;
  try {
    res = await http.request({ method: 'GET', path: req.path, query: req.query, passStatuses: req.passStatuses });
  } catch (err) {
    throw describeChorusError(err, where);
  }
  if (req.passStatuses?.includes(res.status)) return undefined;
  return parseChorus(schema, res.body, where);
}

export function parseChorus<S extends z.ZodType>(schema: S, body: unknown, where: string): z.infer<S> {
  return parseVendorBody('Chorus', schema, body, where);
}

/** A vendor 4xx with a JSON:API error list → the same error with Chorus's own words in the message. */
function describeChorusError(err: unknown, where: string): unknown {
  if (!(err instanceof RemoteError) || err.statusCode >= 500 || err.statusCode === 429) return err;
  const parsed = ChorusErrorBody.safeParse(err.rawResponse);
  if (!parsed.success || parsed.data.errors.length === 0) return err;
  const details = parsed.data.errors
    .map((e) => [e.title, e.detail].filter((s) => s && s.trim()).join(': ') || e.code || e.status || 'error')
    .join('; ');
  return new RemoteError(err.statusCode, `Chorus refused the request (${where}): ${details}`, err.rawResponse, err.retryAfterSeconds);
}

/**
 * v3 continuation pagination: the page carries `continuation_key` while more remain; the next
 * request repeats the same filters plus `continuation_key=<that value>`. A key equal to the one just
 * sent would loop forever: stop with a vendor error instead.
 */
export function nextContinuation(sent: string | undefined, received: string | null | undefined, where: string, body: unknown): string | undefined {
  if (received === undefined || received === null || received === '') return undefined;
  if (received === sent) {
    throw new RemoteError(502, `Chorus repeated a continuation_key on ${where}; stopped to avoid a loop`, body);
  }
  return received;
}
