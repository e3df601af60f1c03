import type { UpstreamClient } from '../../upstream/client.js';
import { TtlCache } from '../../store/memory-cache.js';
import type { UsersReader } from '../types.js';
import { AVOMA_UUID, parseAvoma } from './paging.js';
import { AvomaUser, AvomaUsersList } from './schemas.js';
import { companyDirectory, mapAvomaUser, type CompanyDirectory } from './mappers.js';

// Every meeting and transcript needs the company's users (who is internal, which user a speaker
// is). They change rarely: one listing per account per hour keeps the 60 requests a minute for data.
const directories = new TtlCache<CompanyDirectory>(60 * 60 * 1000, 500);

/** GET /v1/users/ — https://dev.avoma.com/#tag/Users — the whole organization in one bare array. */
export async function listAvomaUsers(http: UpstreamClient): Promise<AvomaUser[]> {
  const res = await http.request({ method: 'GET', path: '/v1/users/' });
  return parseAvoma(AvomaUsersList, res.body, 'GET /v1/users/');
}

export function cachedAvomaDirectory(accountId: string, http: UpstreamClient): Promise<CompanyDirectory> {
  return directories.getOrLoad(accountId, async () => companyDirectory(await listAvomaUsers(http)));
}

export function avomaUsers(accountId: string, http: UpstreamClient): UsersReader {
  return {
    // Not paginated: one vendor page holds everyone.
    async list() {
      const users = await listAvomaUsers(http);
      directories.set(accountId, companyDirectory(users));
      return { records: users.map(mapAvomaUser) };
    },
    /** GET /v1/users/{uuid}/ — https://dev.avoma.com/#tag/Users; 404 {"detail": …} when unknown. */
    async get(id) {
      if (!AVOMA_UUID.test(id)) return undefined;
      const res = await http.request({ method: 'GET', path: `/v1/users/${id}/`, passStatuses: [404] });
      if (res.status === 404) return undefined;
      return mapAvomaUser(parseAvoma(AvomaUser, res.body, 'GET /v1/users/{uuid}/'));
    },
  };
}
