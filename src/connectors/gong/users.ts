import type { UpstreamClient } from '../../upstream/client.js';
import { TtlCache } from '../../store/memory-cache.js';
import { gongPages } from './paging.js';
import { GongUsersPage, type GongUser } from './schemas.js';

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

export function cachedGongUsers(accountId: string, http: UpstreamClient): Promise<Map<string, GongUser>> {
  return usersByAccount.getOrLoad(accountId, async () => {
    const users = await listGongUsers(http);
    return new Map(users.map((u) => [String(u.id), u]));
  });
}

export function forgetGongAccount(accountId: string): void {
  usersByAccount.deletePrefix(accountId);
}
