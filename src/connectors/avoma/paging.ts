import type { z } from 'zod';
import { RemoteError } from '../../domain/errors.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { parseVendorBody } from '../vendor-body.js';

/**
 * Avoma's list endpoints answer DRF-style pages `{count, next, previous, results}` where `next` is
 * the absolute URL of the following page (filters included) and null on the last one. Parley
 * follows `next` as given, but only on the account's own origin and under its base path, and always
 * sends it through the account's HTTP client (auth, pacing, retries): a vendor answer must never
 * redirect our credentials to another host.
 */
export interface AvomaListRequest {
  path: string;
  query: Record<string, string | undefined>;
}

export function parseAvoma<S extends z.ZodType>(schema: S, body: unknown, where: string): z.infer<S> {
  return parseVendorBody('Avoma', schema, body, where);
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

/**
 * A `next` URL → the request to send on the account's base URL, or a reason to refuse it. The host
 * and port must be the base URL's; an `http:` next from an `https:` base on the default port is
 * accepted (a proxy that forgot the scheme) because the request still goes to the base URL.
 */
export function nextPageRequest(baseUrl: string, next: string): AvomaListRequest | { refused: string } {
  let base: URL;
  let url: URL;
  try {
    base = new URL(baseUrl);
    url = new URL(next, base);
  } catch {
    return { refused: 'it is not a URL' };
  }
  const port = (u: URL) => u.port || DEFAULT_PORTS[u.protocol] || '';
  const sameScheme = url.protocol === base.protocol && port(url) === port(base);
  const downgradedOnly = url.protocol === 'http:' && base.protocol === 'https:' && url.port === '' && base.port === '';
  if (url.hostname.toLowerCase() !== base.hostname.toLowerCase() || !(sameScheme || downgradedOnly)) {
    return { refused: `it points to ${url.origin}, not the account's ${base.origin}` };
  }
  if (url.username || url.password) return { refused: 'it carries credentials' };
  const prefix = base.pathname.replace(/\/+$/, '');
  if (!url.pathname.startsWith(`${prefix}/`)) return { refused: `its path is outside ${prefix || '/'}` };
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  return { path: url.pathname.slice(prefix.length), query };
}

function followable(baseUrl: string, next: string, body: unknown, where: string): AvomaListRequest {
  const req = nextPageRequest(baseUrl, next);
  if ('refused' in req) {
    throw new RemoteError(502, `Avoma returned a next page URL Parley will not follow (${where}): ${req.refused}`, body);
  }
  return req;
}

/**
 * One page: the first (`next` undefined) or the one at a `next` URL Avoma gave earlier. The page's
 * own `next` is checked here, so a foreign URL fails the page that carries it, with that body.
 */
export async function fetchAvomaPage<S extends z.ZodType<{ next?: string | null }>>(
  http: UpstreamClient,
  baseUrl: string,
  first: AvomaListRequest,
  schema: S,
  next?: string,
): Promise<z.infer<S>> {
  const req = next === undefined ? first : followable(baseUrl, next, { next }, `GET ${first.path}`);
  const res = await http.request({ method: 'GET', path: req.path, query: req.query });
  const where = `GET ${first.path}`;
  const page = parseAvoma(schema, res.body, where);
  if (page.next) followable(baseUrl, page.next, res.body, where);
  return page;
}

/** Every page of a listing, `next` followed to the end. */
export async function* avomaPages<S extends z.ZodType<{ next?: string | null }>>(
  http: UpstreamClient,
  baseUrl: string,
  first: AvomaListRequest,
  schema: S,
): AsyncGenerator<z.infer<S>> {
  const seen = new Set<string>();
  let next: string | undefined;
  for (;;) {
    const page = await fetchAvomaPage(http, baseUrl, first, schema, next);
    yield page;
    if (!page.next) return;
    if (seen.has(page.next)) {
      throw new RemoteError(502, `Avoma repeated a next page URL on GET ${first.path}; stopped to avoid a loop`, page);
    }
    seen.add(page.next);
    next = page.next;
  }
}

/** Avoma's ids are UUIDs; anything else cannot exist and is not sent upstream (nor into a path). */
export const AVOMA_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
