/**
 * The fallback side rule for vendors that do not say who is a colleague: a participant is internal
 * when their email is at one of the company's domains, and the company's domains are those of its
 * users' addresses. Pure; every connector that needs the rule uses this one.
 */

/** Mailbox providers anyone can use: a user signed up with one does not make its other users colleagues. */
const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'yahoo.com',
  'icloud.com', 'me.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.com', 'gmx.de', 'yandex.com',
  'mail.com', 'zoho.com',
]);

/** The lower-cased domain of an address, or undefined when it has none. */
export function emailDomain(email: string | null | undefined): string | undefined {
  const e = email?.trim().toLowerCase();
  const at = e?.lastIndexOf('@') ?? -1;
  return e && at > 0 && at < e.length - 1 ? e.slice(at + 1) : undefined;
}

/** The company's domains: those of its users' addresses, public mailbox providers left out. */
export function companyDomains(userEmails: Iterable<string | null | undefined>): Set<string> {
  const domains = new Set<string>();
  for (const email of userEmails) {
    const d = emailDomain(email);
    if (d && !PUBLIC_MAIL_DOMAINS.has(d)) domains.add(d);
  }
  return domains;
}
