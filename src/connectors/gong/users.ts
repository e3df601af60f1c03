import type { UpstreamClient } from '../../upstream/client.js';
import { TtlCache } from '../../store/memory-cache.js';
import type { UsersReader } from '../types.js';
import { RemoteError } from '../../domain/errors.js';
import { fetchGongPage, gongPages, parseGong } from './paging.js';
import { GongSingleUser, GongUser, GongUsersPage } from './schemas.js';
import type { User } from '../../domain/resources.js';
import { mapGongUser } from './mappers.js';

// Names and aliases change rarely; one listing per account per hour keeps the 10,000/day budget for stats.
const usersByAccount = new TtlCache<Map<string, GongUser>>(60 * 60 * 1000, 500);

/** GET /v2/users, every page: https://gong.app.gong.io/settings/api/documentation#get-/v2/users */
export async function listGongUsers(http: UpstreamClient): Promise<GongUser[]> {
  const out: GongUser[] = [];
  for await (const page of gongPages(http, { method: 'GET', path: '/v2/users' }, GongUsersPage)) {
    out.push(...page.users);
  }
  return out;
}

/**
 * Names and aliases for interaction records. They are a nicety there: a key without the
 * `api:users:read` scope (Gong answers 403 on GET /v2/users, 401 on some tenants) still gets its
 * stats, with the email Gong puts on each stats row; other failures are real and surface.
 */
export function cachedGongUsers(accountId: string, http: UpstreamClient): Promise<Map<string, GongUser>> {
  return usersByAccount.getOrLoad(accountId, async () => {
    try {
      const users = await listGongUsers(http);
      return new Map(users.map((u) => [String(u.id), u]));
    } catch (e) {
      if (e instanceof RemoteError && (e.statusCode === 401 || e.statusCode === 403)) return new Map();
      throw e;
    }
  });
}

/** GET /v2/users (one page) and GET /v2/users/{id} as the unified Users reader. */
export function gongUsers(http: UpstreamClient): UsersReader {
  return {
    async list(next) {
      const page = await fetchGongPage(http, { method: 'GET', path: '/v2/users' }, GongUsersPage, next);
      return { records: (page?.users ?? []).map(mapGongUser), next: page?.records?.cursor };
    },
    async get(id) {
      if (!/^\d{1,20}$/.test(id)) return undefined;
      const res = await http.request({ method: 'GET', path: `/v2/users/${id}`, passStatuses: [404] });
      if (res.status === 404) return undefined;
      return mapGongUser(parseGong(GongSingleUser, res.body, 'GET /v2/users/{id}').user);
    },
  };
}

/** Gong's own user records behind unified users this connector mapped (their remote_data): names without a listing. */
export function gongUsersOf(directory: ReadonlyMap<string, User>): Map<string, GongUser> {
  const out = new Map<string, GongUser>();
  for (const [id, u] of directory) {
    const parsed = GongUser.safeParse(u.remote_data);
    if (parsed.success) out.set(id, parsed.data);
  }
  return out;
}
