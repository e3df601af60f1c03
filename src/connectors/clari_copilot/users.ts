import type { UpstreamClient } from '../../upstream/client.js';
import { TtlCache } from '../../store/memory-cache.js';
import type { UsersReader } from '../types.js';
import { parseClari } from './paging.js';
import { ClariUsersResponse, type ClariUser } from './schemas.js';
import { clariDirectory, mapClariUser, type ClariDirectory } from './mappers.js';

// Meetings, transcripts and native metrics all need the users (sides, names, company domains);
// one listing per account per hour is enough for that, and keeps the weekly budget for calls.
const directories = new TtlCache<ClariDirectory>(60 * 60 * 1000, 500);

/**
 * GET /users — https://api-doc.copilot.clari.com/#tag/user/paths/~1users/get
 * "Returns current users in Copilot system", all in one answer: the route has no paging.
 * Users who left are not listed, though their past calls still name them.
 */
export async function listClariUsers(http: UpstreamClient): Promise<ClariUser[]> {
  const res = await http.request({ method: 'GET', path: '/users' });
  return parseClari(ClariUsersResponse, res.body, 'GET /users').users;
}

export function cachedClariDirectory(accountId: string, http: UpstreamClient): Promise<ClariDirectory> {
  return directories.getOrLoad(accountId, async () => clariDirectory(await listClariUsers(http)));
}

export function clariUsers(accountId: string, http: UpstreamClient): UsersReader {
  const fresh = async (): Promise<ClariUser[]> => {
    const users = await listClariUsers(http);
    directories.set(accountId, clariDirectory(users));
    return users;
  };
  return {
    async list() {
      return { records: (await fresh()).map(mapClariUser) };
    },
    // Clari has no single-user route: the listing answers.
    async get(id) {
      const user = (await fresh()).find((u) => String(u.id) === id);
      return user ? mapClariUser(user) : undefined;
    },
  };
}
