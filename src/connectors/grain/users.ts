import type { UpstreamClient } from '../../upstream/client.js';
import { TtlCache } from '../../store/memory-cache.js';
import type { UsersReader } from '../types.js';
import { companyDirectory, type CompanyDirectory } from '../company-directory.js';
import { GRAIN_ID, grainRequest } from './requests.js';
import { GrainUsersBody, type GrainUser } from './schemas.js';
import { mapGrainUser } from './mappers.js';

/** POST /_/public-api/v2/users — https://developers.grain.com ("List Users"): `{users: [{id, name, email}]}`, one page. */
export async function listGrainUsers(http: UpstreamClient): Promise<GrainUser[]> {
  return (await grainRequest(http, '/users', { method: 'POST', route: '/users', body: {} }, GrainUsersBody))!.users;
}

// Meetings and transcripts need the workspace's users; they change rarely: one listing an hour.
const usersByAccount = new TtlCache<GrainUser[]>(60 * 60 * 1000, 500);

function cachedUsers(accountId: string, http: UpstreamClient): Promise<GrainUser[]> {
  return usersByAccount.getOrLoad(accountId, () => listGrainUsers(http));
}

export async function grainDirectory(accountId: string, http: UpstreamClient): Promise<CompanyDirectory> {
  return companyDirectory(await cachedUsers(accountId, http));
}

export function grainUsers(accountId: string, http: UpstreamClient): UsersReader {
  return {
    // not paginated: one answer holds the workspace
    async list() {
      const users = await listGrainUsers(http);
      usersByAccount.set(accountId, users);
      return { records: users.map(mapGrainUser) };
    },
    // Grain has no read of one user: the (cached) list answers
    async get(id) {
      if (!GRAIN_ID.test(id)) return undefined;
      const found = (await cachedUsers(accountId, http)).find((u) => u.id === id);
      return found ? mapGrainUser(found) : undefined;
    },
  };
}
