import { TtlCache } from '../../store/memory-cache.js';
import type { UpstreamClient } from '../../upstream/client.js';
import type { UsersReader } from '../types.js';
import { firefliesQuery, firefliesQueryOrMissing } from './graphql.js';
import { mapFfUser } from './mappers.js';
import { companyDirectory, type CompanyDirectory } from './participants.js';
import { UserData, UsersData, type FfUser } from './schemas.js';

const USER_FIELDS = 'user_id email name';

/**
 * `users` — https://docs.fireflies.ai/graphql-api/query/users: every member of the team in one
 * answer (no pagination).
 */
export async function listFfUsers(http: UpstreamClient): Promise<FfUser[]> {
  const data = await firefliesQuery(http, { name: 'Users', query: `query Users { users { ${USER_FIELDS} } }` }, UsersData);
  return data.users;
}

// Team membership changes rarely and requests are scarce (60 a minute at best): one listing per
// account per hour resolves the speakers of every meeting read meanwhile.
const directories = new TtlCache<CompanyDirectory>(60 * 60 * 1000, 500);

export function cachedFfDirectory(accountId: string, http: UpstreamClient): Promise<CompanyDirectory> {
  return directories.getOrLoad(accountId, async () => companyDirectory(await listFfUsers(http)));
}

export function firefliesUsers(accountId: string, http: UpstreamClient): UsersReader {
  return {
    async list() {
      const users = await listFfUsers(http);
      directories.set(accountId, companyDirectory(users));
      return { records: users.map(mapFfUser) };
    },
    /**
     * `user(id)` — https://docs.fireflies.ai/graphql-api/query/user. Without an id Fireflies answers
     * the API key's owner, so an empty id is never sent.
     */
    async get(id) {
      if (!id.trim()) return undefined;
      const data = await firefliesQueryOrMissing(
        http,
        { name: 'User', query: `query User($id: String) { user(id: $id) { ${USER_FIELDS} } }`, variables: { id } },
        UserData,
      );
      return data?.user ? mapFfUser(data.user) : undefined;
    },
  };
}
