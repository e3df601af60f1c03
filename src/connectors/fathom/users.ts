import type { UpstreamClient } from '../../upstream/client.js';
import { TtlCache } from '../../store/memory-cache.js';
import type { User } from '../../domain/resources.js';
import type { UsersReader, VendorPage } from '../types.js';
import { companyDirectory, type CompanyDirectory } from '../company-directory.js';
import { fathomGet, nextFathomCursor } from './requests.js';
import { FathomTeamMembersPage, type FathomTeamMember } from './schemas.js';
import { fathomUserId, mapFathomTeamMember } from './mappers.js';

/**
 * GET /team_members — https://developers.fathom.ai/api-reference/team-members/list-team-members:
 * every member of the teams the key's user can see, `{limit, next_cursor, items: [{name, email,
 * created_at}]}`. A member has no id: the address is the unified user id.
 */
const PATH = '/team_members';
const WHERE = `GET ${PATH}`;
/** a team larger than this many pages is not read in full for the directory (bounded work) */
const MAX_DIRECTORY_PAGES = 200;

async function membersPage(http: UpstreamClient, cursor?: string): Promise<{ members: FathomTeamMember[]; next?: string }> {
  const page = (await fathomGet(http, { path: PATH, query: { cursor } }, FathomTeamMembersPage))!;
  return { members: page.items, next: nextFathomCursor(cursor, page.next_cursor, WHERE, page) };
}

async function allMembers(http: UpstreamClient): Promise<FathomTeamMember[]> {
  const out: FathomTeamMember[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < MAX_DIRECTORY_PAGES; i++) {
    const page = await membersPage(http, cursor);
    out.push(...page.members);
    if (!page.next) break;
    cursor = page.next;
  }
  return out;
}

// Every meeting and transcript needs the company's users; they change rarely, and one listing an
// hour per account keeps Fathom's 60 calls a minute for meetings.
const membersByAccount = new TtlCache<FathomTeamMember[]>(60 * 60 * 1000, 500);

function cachedMembers(accountId: string, http: UpstreamClient): Promise<FathomTeamMember[]> {
  return membersByAccount.getOrLoad(accountId, () => allMembers(http));
}

export async function fathomDirectory(accountId: string, http: UpstreamClient): Promise<CompanyDirectory> {
  const members = await cachedMembers(accountId, http);
  return companyDirectory(members.flatMap((m) => {
    const id = fathomUserId(m.email);
    return id ? [{ id, email: m.email, name: m.name }] : [];
  }));
}

export function fathomUsers(accountId: string, http: UpstreamClient): UsersReader {
  return {
    async list(next): Promise<VendorPage<User>> {
      const page = await membersPage(http, next);
      return { records: page.members.map(mapFathomTeamMember).filter((u): u is User => u !== undefined), ...(page.next ? { next: page.next } : {}) };
    },
    // Fathom has no read of one member: the (cached) team answers.
    async get(id) {
      const members = await cachedMembers(accountId, http);
      const found = members.find((m) => fathomUserId(m.email) === id);
      return found ? mapFathomTeamMember(found) : undefined;
    },
  };
}
