import type { UpstreamClient } from '../../upstream/client.js';
import { TtlCache } from '../../store/memory-cache.js';
import type { UsersReader, VendorPage } from '../types.js';
import type { User } from '../../domain/resources.js';
import { chorusGet, nextContinuation } from './paging.js';
import { ChorusUsersPage, type ChorusUser } from './schemas.js';
import { chorusUserId, companyDirectory, mapChorusUser, type CompanyDirectory } from './mappers.js';

/**
 * GET /v3/users — https://api-docs.chorus.ai ("Fetch users": "This API returns all users").
 * The response schema is undocumented: see ChorusUsersPage for the shapes accepted. The endpoint
 * documents no paging; a `continuation_key`, should one come, is followed like the engagements'.
 */
const USERS_PATH = '/v3/users';

async function fetchUsersPage(http: UpstreamClient, continuationKey?: string) {
  const page = (await chorusGet(http, { path: USERS_PATH, query: { continuation_key: continuationKey } }, ChorusUsersPage))!;
  return { users: page.users, next: nextContinuation(continuationKey, page.continuation_key, `GET ${USERS_PATH}`, page) };
}

export async function listChorusUsers(http: UpstreamClient): Promise<ChorusUser[]> {
  const out: ChorusUser[] = [];
  let key: string | undefined;
  do {
    const page = await fetchUsersPage(http, key);
    out.push(...page.users);
    key = page.next;
  } while (key);
  return out;
}

// Users change rarely and every request counts against an unknown (so conservatively paced) budget.
const usersByAccount = new TtlCache<ChorusUser[]>(60 * 60 * 1000, 500);

export function cachedChorusUsers(accountId: string, http: UpstreamClient): Promise<ChorusUser[]> {
  return usersByAccount.getOrLoad(accountId, () => listChorusUsers(http));
}

/** The company's domains and addresses, for people Chorus gives no rep/customer signal for. */
export async function chorusDirectory(accountId: string, http: UpstreamClient): Promise<CompanyDirectory> {
  return companyDirectory(await cachedChorusUsers(accountId, http));
}

export function chorusUsers(accountId: string, http: UpstreamClient): UsersReader {
  return {
    async list(next): Promise<VendorPage<User>> {
      const page = await fetchUsersPage(http, next);
      return { records: page.users.map(mapChorusUser), next: page.next };
    },
    // Chorus documents no single-user read by id: the (cached) list answers.
    async get(id) {
      const users = await cachedChorusUsers(accountId, http);
      const found = users.find((u) => chorusUserId(u) === id);
      return found ? mapChorusUser(found) : undefined;
    },
  };
}
