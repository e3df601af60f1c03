/**
 * The dashboard's only way to the API: same origin, the bearer token on every call, the contract's
 * error body turned into an ApiError that carries its status and message.
 */

export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Pages followed at most per listing: a guard against a server that never ends a listing. */
const MAX_PAGES = 500;

/** @param {string} token */
export function createClient(token) {
  /** @param {string} path @param {Record<string, string | number | boolean | undefined>} [params] */
  async function get(path, params = {}) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v));
    const url = query.size ? `${path}?${query}` : path;
    let res;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    } catch (e) {
      throw new ApiError(0, `The server did not answer (${e instanceof Error ? e.message : String(e)}).`);
    }
    const body = await res.json().catch(() => undefined);
    if (!res.ok) throw new ApiError(res.status, body && typeof body.message === 'string' ? body.message : `${res.status} ${res.statusText}`);
    return body;
  }

  /**
   * Every record of a list route, following next_cursor (a page may be short, even empty, and still
   * have a next one when the server's time for it ran out).
   * @param {string} path @param {Record<string, string | number | boolean | undefined>} [params]
   */
  async function listAll(path, params = {}) {
    const all = [];
    let cursor;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const page = await get(path, { ...params, limit: 1000, next_cursor: cursor });
      all.push(...page.result);
      cursor = page.next_cursor;
      if (!cursor) return all;
    }
    throw new ApiError(0, `${path} did not end after ${MAX_PAGES} pages.`);
  }

  return { get, listAll };
}
