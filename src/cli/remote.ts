/**
 * The CLI's connection to a Parley server: `PARLEY_URL` (default http://localhost:8080) and
 * `PARLEY_TOKEN`. Every non-2xx answer becomes an ApiError carrying Parley's own message, so
 * commands print what the server said and exit 1.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Not the server's fault: missing configuration (exit 2, like a usage error). */
export class SetupError extends Error {}

/** A list of ids (`users`) is sent as `users[0][id]=…&users[1][id]=…`, the API's bracket notation. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface ListPage<T> {
  result: T[];
  next_cursor: string | null;
  result_count: number;
}

export class ParleyRemote {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv, fetchImpl?: typeof fetch): ParleyRemote {
    const base = env.PARLEY_URL?.trim() || 'http://localhost:8080';
    try {
      new URL(base);
    } catch {
      throw new SetupError(`PARLEY_URL ${JSON.stringify(base)} is not a URL (like http://localhost:8080)`);
    }
    const token = env.PARLEY_TOKEN?.trim();
    if (!token) throw new SetupError('PARLEY_TOKEN is not set: export PARLEY_TOKEN=<an API token> (npm start prints one)');
    return new ParleyRemote(base.replace(/\/+$/, ''), token, fetchImpl);
  }

  url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) v.forEach((item, i) => params.append(`${k}[${i}][id]`, String(item)));
      else params.append(k, String(v));
    }
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.url(path, options.query), {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (e) {
      const c = (e as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (e as Error).message;
      throw new ApiError(undefined, `cannot reach Parley at ${this.baseUrl} (${cause}); is PARLEY_URL right and the server running?`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    if (!res.ok) {
      const message = (body as { message?: unknown } | undefined)?.message;
      throw new ApiError(res.status, `${method} ${path}: ${res.status} ${typeof message === 'string' ? message : res.statusText}`);
    }
    return body as T;
  }

  /** Every record of a list route, following `next_cursor`; stops after `max` records when given. */
  async listAll<T>(path: string, query: Query, options: { limit?: number; max?: number } = {}): Promise<T[]> {
    const all: T[] = [];
    let cursor: string | null = null;
    do {
      const page: ListPage<T> = await this.request<ListPage<T>>('GET', path, {
        query: { ...query, limit: options.limit, next_cursor: cursor ?? undefined },
      });
      all.push(...page.result);
      cursor = page.next_cursor;
    } while (cursor && (options.max === undefined || all.length < options.max));
    return options.max === undefined ? all : all.slice(0, options.max);
  }
}
