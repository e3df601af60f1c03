import { companyDomains, emailDomain } from '../company-domains.js';
import { DateTime } from 'luxon';
import type { AdditionalMetric, InteractionMetrics } from '../../domain/interaction.js';
import type { Meeting, MeetingAttendee, Side, Transcript, TranscriptEntry, User } from '../../domain/resources.js';
import { formatInstant } from '../../metrics/buckets.js';
import type { InteractionDraft } from '../types.js';
import type { ClariCall, ClariCallDetails, ClariCallMetrics, ClariParticipant, ClariUser } from './schemas.js';

/**
 * Pure Clari Copilot → unified mapping. No I/O: everything a mapping needs (the workspace's users)
 * comes in as arguments.
 */

/** The workspace's users, and the email domains that make a non-user participant "internal". */
export interface ClariDirectory {
  byId: ReadonlyMap<string, ClariUser>;
  byEmail: ReadonlyMap<string, ClariUser>;
  domains: ReadonlySet<string>;
}

export function clariDirectory(users: readonly ClariUser[]): ClariDirectory {
  const byId = new Map<string, ClariUser>();
  const byEmail = new Map<string, ClariUser>();
  for (const u of users) {
    byId.set(String(u.id), u);
    if (u.email) byEmail.set(u.email.trim().toLowerCase(), u);
  }
  return { byId, byEmail, domains: companyDomains(users.map((u) => u.email)) };
}

export function mapClariUser(u: ClariUser): User {
  return {
    id: String(u.id),
    ...(u.name?.trim() ? { name: u.name.trim() } : {}),
    emails: u.email ? [{ email: u.email, is_primary: true }] : [],
    remote_data: u,
  };
}

/** Someone on a call, with the side and Copilot user Parley resolved for them. */
export interface ClariPerson {
  personId?: string;
  name?: string;
  email?: string;
  side: Side;
  userId?: string;
  isHost?: boolean;
}

/**
 * Everyone on a call, keyed by `personId` where Clari gives one. `users[]` are Copilot users
 * (internal, with their user id): Clari's own signal. Invited and joined participants are the
 * rest; one of them is still internal when their email is a Copilot user's, or at a company domain
 * (a colleague without a Copilot seat). The same person often appears both invited and joined.
 */
export function callPeople(call: ClariCall, dir: ClariDirectory): ClariPerson[] {
  const out: ClariPerson[] = [];
  const byPerson = new Map<string, ClariPerson>();
  const byEmail = new Map<string, ClariPerson>();
  const remember = (p: ClariPerson): void => {
    out.push(p);
    if (p.personId) byPerson.set(p.personId, p);
    if (p.email) byEmail.set(p.email.toLowerCase(), p);
  };
  const existing = (personId: string | undefined, email: string | undefined): ClariPerson | undefined =>
    (personId ? byPerson.get(personId) : undefined) ?? (email ? byEmail.get(email.toLowerCase()) : undefined);

  for (const u of call.users ?? []) {
    const personId = u.personId != null ? String(u.personId) : undefined;
    const email = u.userEmail ?? undefined;
    const user = (u.userId != null ? dir.byId.get(String(u.userId)) : undefined) ?? (email ? dir.byEmail.get(email.toLowerCase()) : undefined);
    const userId = u.userId != null ? String(u.userId) : user ? String(user.id) : undefined;
    if (existing(personId, email)) continue;
    remember({
      ...(personId ? { personId } : {}),
      ...(user?.name ? { name: user.name } : {}),
      ...(email ? { email } : user?.email ? { email: user.email } : {}),
      side: 'internal',
      ...(userId ? { userId } : {}),
      ...(u.isOrganizer != null ? { isHost: u.isOrganizer } : {}),
    });
  }
  const participants: ClariParticipant[] = [...(call.externalParticipants ?? []), ...(call.joinedParticipants ?? [])];
  for (const p of participants) {
    const personId = p.personId != null ? String(p.personId) : undefined;
    const email = p.email ?? undefined;
    const known = existing(personId, email);
    if (known) {
      // joined and invited entries complete each other
      if (!known.name && p.name) known.name = p.name;
      if (!known.email && email) known.email = email;
      if (!known.personId && personId) {
        known.personId = personId;
        byPerson.set(personId, known);
      }
      continue;
    }
    if (!personId && !email && !p.name) continue;
    const user = email ? dir.byEmail.get(email.toLowerCase()) : undefined;
    const domain = emailDomain(email);
    const internal = Boolean(user) || (domain !== undefined && dir.domains.has(domain));
    remember({
      ...(personId ? { personId } : {}),
      ...(p.name ? { name: p.name } : user?.name ? { name: user.name } : {}),
      ...(email ? { email } : {}),
      side: internal ? 'internal' : 'external',
      ...(user ? { userId: String(user.id) } : {}),
    });
  }
  return out;
}

function hostUserId(people: readonly ClariPerson[]): string | undefined {
  return people.find((p) => p.isHost && p.userId)?.userId;
}

/** A call's length: `metrics.call_duration`, in seconds (the unit Clari uses for filterDuration*). */
export function callDurationSeconds(call: ClariCall): number | undefined {
  const d = call.metrics?.call_duration;
  return typeof d === 'number' && Number.isFinite(d) && d >= 0 ? d : undefined;
}

/**
 * A Clari call → unified meeting. `time` is the scheduled start (the actual start for dialer and
 * ad-hoc calls), as Clari writes it. A call without a time has no place on a timeline: undefined.
 * The transcript of a call-details answer is left out of remote_data: Transcripts carry it.
 */
export function mapClariCall(call: ClariCall | ClariCallDetails, dir: ClariDirectory): Meeting | undefined {
  if (!call.time) return undefined;
  const started = DateTime.fromISO(call.time, { setZone: true });
  if (!started.isValid) return undefined;
  const people = callPeople(call, dir);
  const duration = callDurationSeconds(call);
  const host = hostUserId(people);
  const { transcript: _transcript, ...raw } = call as ClariCallDetails;
  const attendees: MeetingAttendee[] = people.map((p) => ({
    ...(p.personId ? { id: p.personId } : {}),
    ...(p.name ? { name: p.name } : {}),
    ...(p.email ? { email: p.email } : {}),
    side: p.side,
    ...(p.userId ? { user_id: p.userId } : {}),
    ...(p.isHost !== undefined ? { is_host: p.isHost } : {}),
    ...(p.personId ? { speaker_id: p.personId } : {}),
  }));
  return {
    id: String(call.id),
    ...(call.title ? { title: call.title } : {}),
    start_time: call.time,
    ...(duration !== undefined ? { end_time: formatInstant(started.toUTC().plus({ seconds: duration })), duration } : {}),
    ...(host ? { host_user_id: host } : {}),
    attendees,
    ...(call.call_review_page_url ? { meeting_url: call.call_review_page_url } : {}),
    ...(call.last_modified_time ? { updated_at: call.last_modified_time } : {}),
    remote_data: raw,
  };
}

/**
 * The transcript of a call-details answer; undefined when Clari has none (not processed yet, or
 * nothing was recorded). Turn `start`/`end` are taken as seconds from the start of the recording
 * (Clari documents seconds for the turns of uploaded transcripts; the returned ones are plain
 * numbers). Speakers are `personId`s, resolved like the call's people; an unknown one is external.
 */
export function mapClariTranscript(call: ClariCallDetails, dir: ClariDirectory): Transcript | undefined {
  const turns = call.transcript ?? [];
  if (turns.length === 0) return undefined;
  const people = new Map<string, ClariPerson>();
  for (const p of callPeople(call, dir)) if (p.personId) people.set(p.personId, p);
  const entries: TranscriptEntry[] = turns.map((t) => {
    const speakerId = t.personId != null ? String(t.personId) : 'unknown';
    const person = people.get(speakerId);
    return {
      speaker_id: speakerId,
      ...(person?.name ? { speaker_name: person.name } : {}),
      speaker_side: person?.side ?? 'external',
      ...(person?.userId ? { user_id: person.userId } : {}),
      text: t.text ?? '',
      start_time: t.start,
      end_time: t.end,
    };
  });
  return { id: String(call.id), meeting: { id: String(call.id) }, entries, remote_data: { id: call.id, transcript: turns } };
}

// ------------------------------------------------------------------ native interaction metrics

/**
 * The Copilot user a call's metrics belong to. Clari's `metrics` are per call, not per user; they
 * are attributed to the call's organizer (`isOrganizer`), the rep whose call it is, or to the first
 * Copilot user listed when none is flagged. Other reps on the call get no native numbers from it.
 */
export function metricsOwner(call: ClariCall, dir: ClariDirectory): { userId: string; email?: string } | undefined {
  const users = call.users ?? [];
  const owner = users.find((u) => u.isOrganizer === true) ?? users[0];
  if (!owner) return undefined;
  const byEmail = owner.userEmail ? dir.byEmail.get(owner.userEmail.toLowerCase()) : undefined;
  const userId = owner.userId != null ? String(owner.userId) : byEmail ? String(byEmail.id) : undefined;
  if (!userId) return undefined;
  return { userId, ...(owner.userEmail ? { email: owner.userEmail } : {}) };
}

/** Clari's own metric names, in the order additional_metrics lists them. */
const KNOWN_ADDITIONAL = [
  'talk_listen_ratio',
  'num_questions_asked',
  'num_questions_asked_by_reps',
  'engaging_questions',
  'call_duration',
  'total_speak_duration',
  'longest_monologue_start_time',
] as const;
const MAPPED = new Set(['longest_monologue_duration']);

const round3 = (n: number): number => Math.round(n * 1000) / 1000;
const mean = (values: readonly number[]): number | undefined =>
  values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Questions the reps asked per hour of call: num_questions_asked_by_reps ÷ (call_duration / 3600).
 * Undefined without a positive duration.
 */
export function questionRate(m: ClariCallMetrics): number | undefined {
  const q = m.num_questions_asked_by_reps;
  const d = m.call_duration;
  return finite(q) && finite(d) && d > 0 ? (q * 3600) / d : undefined;
}

/**
 * The calls of one bucket (listBucket selects them by their `time`) → one draft per Copilot user
 * who owns at least one call with metrics. Each number is the mean over that user's calls where
 * Clari reported it (each call weighs the same, as METRICS.md averages computed metrics). Standard
 * metrics Clari lacks (interactivity, patience, longest customer story) stay absent; every other
 * Clari number keeps its name in additional_metrics, with `call_count` the number of calls behind
 * the record.
 */
export function mapClariNativeBucket(
  calls: readonly ClariCall[],
  dir: ClariDirectory,
  wanted?: ReadonlySet<string>,
): InteractionDraft[] {
  const perUser = new Map<string, { email?: string; calls: ClariCall[] }>();
  for (const call of calls) {
    if (!call.metrics) continue;
    const owner = metricsOwner(call, dir);
    if (!owner || (wanted && !wanted.has(owner.userId))) continue;
    const entry = perUser.get(owner.userId) ?? { ...(owner.email ? { email: owner.email } : {}), calls: [] };
    entry.calls.push(call);
    perUser.set(owner.userId, entry);
  }
  const records: InteractionDraft[] = [];
  for (const [userId, { email, calls: own }] of [...perUser].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const all = own.map((c) => c.metrics!);
    const metrics: InteractionMetrics = {};
    const monologue = mean(all.map((m) => m.longest_monologue_duration).filter(finite));
    if (monologue !== undefined) metrics.longest_monologue = round3(monologue);
    const rate = mean(all.map(questionRate).filter(finite));
    if (rate !== undefined) metrics.question_rate = round3(rate);

    const names = new Set<string>(KNOWN_ADDITIONAL);
    const others = new Set<string>();
    for (const m of all) for (const [k, v] of Object.entries(m)) if (finite(v) && !names.has(k) && !MAPPED.has(k)) others.add(k);
    const additional: AdditionalMetric[] = [];
    for (const name of [...KNOWN_ADDITIONAL, ...[...others].sort()]) {
      const value = mean(all.map((m) => (m as Record<string, unknown>)[name]).filter(finite));
      if (value !== undefined) additional.push({ name, value: round3(value) });
    }
    additional.push({ name: 'call_count', value: own.length });

    const user = dir.byId.get(userId);
    const primary = user?.email ?? email;
    records.push({
      user: {
        id: userId,
        ...(user?.name?.trim() ? { name: user.name.trim() } : {}),
        emails: primary ? [{ email: primary, is_primary: true }] : [],
      },
      metrics,
      additional_metrics: additional,
      remote_data: { calls: own },
    });
  }
  return records;
}
