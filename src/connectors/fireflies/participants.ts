import type { MeetingAttendee, Side } from '../../domain/resources.js';
import type { FfTranscript, FfUser } from './schemas.js';
import { companyDomains, emailDomain } from '../company-domains.js';
import { nameKey, normalizedEmail } from '../company-directory.js';

export { nameKey };

/**
 * Who is who in a Fireflies meeting. Fireflies gives no side (rep/customer) and its speakers carry
 * only a per-meeting number and a display name (https://docs.fireflies.ai/schema/speaker), so:
 * - a speaker is matched by name to the meeting's invitees (`meeting_attendees`, `participants`,
 *   `organizer_email`, the recording `user`), then to the company's users (the `users` query);
 * - a person is internal when their email is a company user's, or is at one of the company's email
 *   domains (derived from the users list); everyone else is external.
 * Pure: no I/O, tested with plain inputs.
 */

export interface CompanyDirectory {
  byEmail: ReadonlyMap<string, FfUser>;
  /** by normalized name; a name two users share is ambiguous and absent */
  byName: ReadonlyMap<string, FfUser>;
  domains: ReadonlySet<string>;
}

export const normalizeEmail = normalizedEmail;

export function companyDirectory(users: readonly FfUser[]): CompanyDirectory {
  const byEmail = new Map<string, FfUser>();
  const byName = new Map<string, FfUser>();
  const ambiguous = new Set<string>();
  for (const u of users) {
    const email = normalizeEmail(u.email);
    if (email) byEmail.set(email, u);
    const key = nameKey(u.name);
    if (key) {
      if (byName.has(key) && byName.get(key) !== u) ambiguous.add(key);
      byName.set(key, u);
    }
  }
  for (const key of ambiguous) byName.delete(key);
  return { byEmail, byName, domains: companyDomains(users.map((u) => normalizeEmail(u.email))) };
}

export function sideOfEmail(email: string | undefined, dir: CompanyDirectory): Side {
  if (!email) return 'external';
  return dir.byEmail.has(email) || dir.domains.has(emailDomain(email)!) ? 'internal' : 'external';
}

export interface ResolvedSpeaker {
  speakerId: string;
  name?: string;
  side: Side;
  userId?: string;
}

export interface MeetingParties {
  attendees: MeetingAttendee[];
  /** by the speaker id transcript entries use */
  speakers: ReadonlyMap<string, ResolvedSpeaker>;
  /** the company user who organized (else recorded) the meeting */
  hostUserId?: string;
}

interface Person {
  email?: string;
  name?: string;
  speakerId?: string;
}

/**
 * `participants` is documented only as [String] of emails; an entry holding several addresses
 * ("a@x.com,b@y.com") would otherwise hide people, so every entry is split on separators.
 */
function splitAddresses(values: readonly (string | null)[] | null | undefined): string[] {
  return (values ?? []).flatMap((v) => (v ?? '').split(/[\s,;]+/)).filter(Boolean);
}

/** The speaker id transcript entries use: Fireflies' number, else the name, else "unknown". */
export function speakerKey(id: string | null | undefined, name: string | null | undefined): string {
  if (id !== null && id !== undefined && id !== '') return String(id);
  const key = nameKey(name);
  return key ? `name:${key}` : 'unknown';
}

export function resolveParties(t: FfTranscript, dir: CompanyDirectory): MeetingParties {
  const people = new Map<string, Person>(); // by email, or `name:<key>` for people without one
  const organizer = normalizeEmail(t.organizer_email);
  const add = (emailRaw: string | null | undefined, name: string | null | undefined): Person | undefined => {
    const email = normalizeEmail(emailRaw);
    const cleanName = name?.trim() || undefined;
    if (!email && !cleanName) return undefined;
    const key = email ?? `name:${nameKey(cleanName)}`;
    const known = people.get(key);
    if (known) {
      known.name ??= cleanName;
      return known;
    }
    const person: Person = { ...(email ? { email } : {}), ...(cleanName ? { name: cleanName } : {}) };
    people.set(key, person);
    return person;
  };
  add(t.organizer_email, undefined);
  for (const a of t.meeting_attendees ?? []) if (a) add(a.email, a.displayName ?? a.name);
  for (const email of splitAddresses(t.participants)) add(email, undefined);
  if (t.user) add(t.user.email, t.user.name);
  for (const p of people.values()) {
    const user = p.email ? dir.byEmail.get(p.email) : undefined;
    if (user?.name) p.name ??= user.name.trim() || undefined;
  }

  // Speakers, from the speaker list and from the sentences (older transcripts lack the list).
  const named = new Map<string, string | undefined>();
  for (const s of t.speakers ?? []) named.set(speakerKey(s.id, s.name), s.name?.trim() || undefined);
  for (const s of t.sentences ?? []) {
    const key = speakerKey(s.speaker_id, s.speaker_name);
    if (!named.get(key)) named.set(key, s.speaker_name?.trim() || undefined);
  }

  const speakers = new Map<string, ResolvedSpeaker>();
  for (const [speakerId, name] of named) {
    const person = matchPerson(name, people, dir);
    const target = person ?? add(undefined, name ?? `Speaker ${speakerId}`)!;
    target.speakerId ??= speakerId;
    if (name && !normalizeEmail(name)) target.name ??= name;
    const user = target.email ? dir.byEmail.get(target.email) : undefined;
    speakers.set(speakerId, {
      speakerId,
      ...(name ? { name } : {}),
      side: sideOfEmail(target.email, dir),
      ...(user ? { userId: String(user.user_id) } : {}),
    });
  }

  const organizerUser = organizer ? dir.byEmail.get(organizer) : undefined;
  const hostUserId = organizerUser ? String(organizerUser.user_id) : t.user?.user_id != null ? String(t.user.user_id) : undefined;
  const attendees: MeetingAttendee[] = [...people.values()].map((p) => {
    const user = p.email ? dir.byEmail.get(p.email) : undefined;
    return {
      ...(p.name ? { name: p.name } : {}),
      ...(p.email ? { email: p.email } : {}),
      side: sideOfEmail(p.email, dir),
      ...(user ? { user_id: String(user.user_id) } : {}),
      ...(p.email && organizer ? { is_host: p.email === organizer } : {}),
      ...(p.speakerId !== undefined ? { speaker_id: p.speakerId } : {}),
    };
  });
  return { attendees, speakers, ...(hostUserId ? { hostUserId } : {}) };
}

/**
 * The person a speaker name denotes: an address written as the name, an invitee with that name, a
 * company user with that name (added to the people: they spoke, so they attended), or an invitee
 * whose address spells the name ("maya.chen@…" for "Maya Chen").
 */
function matchPerson(name: string | undefined, people: Map<string, Person>, dir: CompanyDirectory): Person | undefined {
  if (!name) return undefined;
  const asEmail = normalizeEmail(name);
  if (asEmail) return people.get(asEmail) ?? addPerson(people, { email: asEmail });
  const key = nameKey(name);
  if (!key) return undefined;
  const free = (p: Person) => p.speakerId === undefined;
  const candidates = [...people.values()];
  const byName = candidates.find((p) => free(p) && nameKey(p.name) === key) ?? candidates.find((p) => nameKey(p.name) === key);
  if (byName) return byName;
  const user = dir.byName.get(key);
  const userEmail = normalizeEmail(user?.email);
  if (user && userEmail) return people.get(userEmail) ?? addPerson(people, { email: userEmail, name: user.name?.trim() || name });
  return candidates.find((p) => p.email && nameKey(p.email.slice(0, p.email.indexOf('@'))) === key);
}

function addPerson(people: Map<string, Person>, p: Person): Person {
  people.set(p.email!, p);
  return p;
}
