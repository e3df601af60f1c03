import { companyDomains, emailDomain } from './company-domains.js';

/**
 * Who the company's users are, for vendors that name a meeting's people by address and display
 * name only (Fathom, Grain): a person is a company user by email first, then by name, and the
 * company's domains decide the side of everyone else the vendor gives no side for. Pure.
 */

/** "Maya Chen", "maya.chen" and "MAYA-CHEN" compare equal; accents are ignored. */
export function nameKey(name: string | null | undefined): string | undefined {
  const k = name
    ?.normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
  return k ? k : undefined;
}

/** A trimmed, lower-cased address; undefined when it is not one. */
export function normalizedEmail(email: string | null | undefined): string | undefined {
  const e = email?.trim().toLowerCase();
  return e && /^[^\s@]+@[^\s@]+$/.test(e) ? e : undefined;
}

export interface CompanyUser {
  id: string;
  email?: string | null;
  name?: string | null;
}

export interface CompanyDirectory {
  /** normalized email → user id */
  userIdByEmail: ReadonlyMap<string, string>;
  /** nameKey → user id; a name two users share is ambiguous and absent */
  userIdByName: ReadonlyMap<string, string>;
  /** the domains of the users' addresses, public mailbox providers left out */
  domains: ReadonlySet<string>;
}

export function companyDirectory(users: readonly CompanyUser[]): CompanyDirectory {
  const userIdByEmail = new Map<string, string>();
  const userIdByName = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const u of users) {
    const email = normalizedEmail(u.email);
    if (email) userIdByEmail.set(email, u.id);
    const key = nameKey(u.name);
    if (!key) continue;
    if (userIdByName.has(key) && userIdByName.get(key) !== u.id) ambiguous.add(key);
    userIdByName.set(key, u.id);
  }
  for (const key of ambiguous) userIdByName.delete(key);
  return { userIdByEmail, userIdByName, domains: companyDomains(users.map((u) => normalizedEmail(u.email))) };
}

/**
 * The company user a person is: by address; by name only when the vendor gave no address (a
 * display name that merely equals a user's must not turn a customer with an address into a user).
 */
export function companyUserOf(dir: CompanyDirectory, person: { email?: string | null; name?: string | null }): string | undefined {
  const email = normalizedEmail(person.email);
  if (email) return dir.userIdByEmail.get(email);
  const key = nameKey(person.name);
  return key ? dir.userIdByName.get(key) : undefined;
}

/** Whether an address is at one of the company's domains. */
export function atCompanyDomain(dir: CompanyDirectory, email: string | null | undefined): boolean {
  const domain = emailDomain(normalizedEmail(email));
  return domain !== undefined && dir.domains.has(domain);
}
