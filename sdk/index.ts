import createClient, { type Client } from 'openapi-fetch';
import qs from 'qs';
import type { paths } from './schema.js';

/**
 * Parley's typed SDK. `client` is openapi-fetch over the generated types (sdk/schema.ts): every
 * route, parameter and response is type-checked. Written by hand here, and only here: paging
 * (`list`: `for await` over every record, following `next_cursor`) and errors (`ParleyApiError`).
 *
 *   const parley = createParleyClient({ baseUrl: 'http://localhost:8080', token });
 *   for await (const rec of parley.list('/unified/conversational-intelligence/interactions', { integrated_account_id, start_time, end_time })) …
 *   const account = await parley.unwrap(parley.client.GET('/integrated-accounts/{id}', { params: { path: { id } } }));
 */

export type { paths, components } from './schema.js';

/** Parley's error body (every non-2xx): what is wrong, and for vendor-caused errors the vendor's answer. */
export interface ParleyErrorBody {
  statusCode: number;
  error: string;
  message: string;
  is_remote_error?: boolean;
  raw_response?: unknown;
}

export class ParleyApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ParleyErrorBody | undefined,
    /** the x-request-id of the failed request, to find it in Parley's logs */
    readonly requestId: string | null,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(body?.message ? `${status} ${body.message}` : `Parley answered ${status}`);
    this.name = 'ParleyApiError';
  }

  get isRemoteError(): boolean {
    return this.body?.is_remote_error === true;
  }
}

type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type GetOf<P extends keyof paths> = paths[P] extends { get: infer G } ? G : never;
type OkBody<P extends keyof paths> = GetOf<P> extends { responses: { 200: infer R } } ? Json<R> : never;

/** The list routes: GET answers of `{result, next_cursor, result_count}`. */
export type ListPath = {
  [P in keyof paths]: OkBody<P> extends { result: unknown[]; next_cursor: string | null } ? P : never;
}[keyof paths];
/** One record of a list route. */
export type ListItem<P extends ListPath> = OkBody<P> extends { result: (infer T)[] } ? T : never;
type QueryOf<P extends ListPath> = GetOf<P> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type PathParamsOf<P extends ListPath> = GetOf<P> extends { parameters: { path?: infer A } } ? A : never;
/** A list route's filters; paging is the SDK's job (`limit` sets the page size). */
export type ListQuery<P extends ListPath> = Omit<QueryOf<P>, 'next_cursor'>;

export interface ParleyClientOptions {
  baseUrl: string;
  token: string;
  /** a fetch to use instead of the global one (tests, proxies) */
  fetch?: typeof fetch;
  headers?: Record<string, string>;
}

export interface ParleyClient {
  /** the typed client of every route (openapi-fetch) */
  client: Client<paths>;
  /** every record of a list route, page after page, as one async iterable */
  list<P extends ListPath>(path: P, query: ListQuery<P>, options?: { path?: PathParamsOf<P>; signal?: AbortSignal }): AsyncGenerator<ListItem<P>, void, undefined>;
  /** the data of an openapi-fetch answer, or a ParleyApiError */
  unwrap<T>(answer: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T>;
}

export function createParleyClient(options: ParleyClientOptions): ParleyClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.token}`, ...options.headers },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // lists of objects in bracket notation (users[][id]=A), as the API document says
    querySerializer: (q) => qs.stringify(q, { arrayFormat: 'brackets' }),
  });

  async function unwrap<T>(answer: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const { data, error, response } = await answer;
    if (!response.ok) {
      const retryAfter = response.headers.get('retry-after');
      throw new ParleyApiError(response.status, error as ParleyErrorBody | undefined, response.headers.get('x-request-id'), retryAfter ? Number(retryAfter) : undefined);
    }
    return data as T;
  }

  async function* list<P extends ListPath>(path: P, query: ListQuery<P>, opts: { path?: PathParamsOf<P>; signal?: AbortSignal } = {}): AsyncGenerator<ListItem<P>, void, undefined> {
    let cursor: string | null = null;
    do {
      // one generic call for every list route: the route's own types are checked at the call of `list`
      const get = client.GET as unknown as (p: string, init: object) => Promise<{ data?: { result: ListItem<P>[]; next_cursor: string | null }; error?: unknown; response: Response }>;
      const page: { result: ListItem<P>[]; next_cursor: string | null } = await unwrap(get(path, { params: { query: { ...query, ...(cursor ? { next_cursor: cursor } : {}) }, path: opts.path }, signal: opts.signal }));
      yield* page.result;
      cursor = page.next_cursor;
    } while (cursor);
  }

  return { client, list, unwrap };
}
