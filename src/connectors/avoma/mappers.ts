import { companyDomains, emailDomain } from '../company-domains.js';
import type { Meeting, MeetingAttendee, Side, Transcript, TranscriptEntry, User } from '../../domain/resources.js';
import { deriveEndTimes, type StartOnlyParagraph } from '../end-times.js';
import type { AvomaMeeting, AvomaParagraph, AvomaSpeaker, AvomaTranscription, AvomaUser } from './schemas.js';

/**
 * Pure mapping Avoma → unified. Who is a company user: the Avoma users list (by email). Which side
 * a speaker is on: a company user is internal; otherwise Avoma's own `is_rep` on transcript
 * speakers; otherwise (attendees, or a speaker without `is_rep`) the email domain against the
 * company's domains, derived from its users' addresses.
 */

export interface CompanyDirectory {
  /** lower-cased email → Avoma user uuid */
  userIdByEmail: ReadonlyMap<string, string>;
  /** lower-cased domains of the company's users */
  domains: ReadonlySet<string>;
}

function normalizeEmail(email: string | null | undefined): string | undefined {
  const e = email?.trim().toLowerCase();
  return e ? e : undefined;
}

export function companyDirectory(users: readonly AvomaUser[]): CompanyDirectory {
  const userIdByEmail = new Map<string, string>();
  for (const u of users) {
    const email = normalizeEmail(u.user.email);
    if (email) userIdByEmail.set(email, u.uuid);
  }
  return { userIdByEmail, domains: companyDomains(users.map((u) => u.user.email)) };
}

export interface Resolved {
  side: Side;
  user_id?: string;
}

export function resolveParticipant(dir: CompanyDirectory, email: string | null | undefined, isRep?: boolean | null): Resolved {
  const e = normalizeEmail(email);
  const userId = e ? dir.userIdByEmail.get(e) : undefined;
  if (userId) return { side: 'internal', user_id: userId };
  if (typeof isRep === 'boolean') return { side: isRep ? 'internal' : 'external' };
  const domain = emailDomain(e);
  return { side: domain && dir.domains.has(domain) ? 'internal' : 'external' };
}

export function mapAvomaUser(u: AvomaUser): User {
  const name = [u.user.first_name, u.user.last_name].filter((p) => p && p.trim()).join(' ').trim();
  const email = u.user.email?.trim();
  return {
    id: u.uuid,
    ...(name ? { name } : {}),
    emails: email ? [{ email, is_primary: true }] : [],
    remote_data: u,
  };
}

/**
 * Avoma's `start_at`/`end_at` are the SCHEDULED window (UTC); `duration` is the ACTUAL length in
 * seconds ("may not match the scheduled window"). Both are passed through as Avoma gives them.
 */
export function mapAvomaMeeting(m: AvomaMeeting, dir: CompanyDirectory): Meeting | undefined {
  // A meeting without a scheduled start (none seen, but the field is optional) is placed at its
  // creation; with neither it cannot be placed in time and is left out.
  const start = m.start_at ?? m.created;
  if (!start) return undefined;
  const organizer = normalizeEmail(m.organizer_email);
  const host = organizer ? dir.userIdByEmail.get(organizer) : undefined;
  const attendees: MeetingAttendee[] = (m.attendees ?? []).map((a) => {
    const who = resolveParticipant(dir, a.email);
    const email = normalizeEmail(a.email);
    return {
      ...(a.uuid ? { id: a.uuid } : {}),
      ...(a.name ? { name: a.name } : {}),
      ...(a.email ? { email: a.email } : {}),
      side: who.side,
      ...(who.user_id ? { user_id: who.user_id } : {}),
      ...(organizer && email ? { is_host: email === organizer } : {}),
    };
  });
  return {
    id: m.uuid,
    ...(m.subject ? { title: m.subject } : {}),
    start_time: start,
    ...(m.end_at ? { end_time: m.end_at } : {}),
    ...(typeof m.duration === 'number' && Number.isFinite(m.duration) ? { duration: m.duration } : {}),
    ...(host ? { host_user_id: host } : {}),
    attendees,
    ...(m.url ? { meeting_url: m.url } : {}),
    ...(m.created ? { created_at: m.created } : {}),
    ...(m.modified ? { updated_at: m.modified } : {}),
    remote_data: m,
  };
}

function wordCount(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}

/**
 * Paragraphs → entries in Avoma's order, with derived end times (see end-times.ts). A paragraph
 * without timestamps cannot be placed in time and is left out (it stays in remote_data).
 * `meetingDuration` (seconds, the meeting's actual length) bounds the last end.
 */
export function mapAvomaTranscript(t: AvomaTranscription, dir: CompanyDirectory, meetingDuration?: number | null): Transcript {
  const speakers = new Map<string, AvomaSpeaker>();
  for (const s of t.speakers ?? []) speakers.set(String(s.id), s);
  const timed: { p: AvomaParagraph; speakerId: string; timestamps: number[] }[] = [];
  for (const p of t.transcript) {
    const timestamps = (p.timestamps ?? []).filter((x) => Number.isFinite(x));
    if (timestamps.length === 0) continue;
    timed.push({ p, speakerId: p.speaker_id === undefined || p.speaker_id === null ? 'unknown' : String(p.speaker_id), timestamps });
  }
  const input: StartOnlyParagraph[] = timed.map((x) => ({ speakerId: x.speakerId, timestamps: x.timestamps, wordCount: wordCount(x.p.transcript ?? '') }));
  const spans = deriveEndTimes(input, typeof meetingDuration === 'number' ? meetingDuration : undefined);
  const entries: TranscriptEntry[] = timed.map((x, i) => {
    const speaker = speakers.get(x.speakerId);
    const who = speaker ? resolveParticipant(dir, speaker.email, speaker.is_rep) : { side: 'external' as const };
    return {
      speaker_id: x.speakerId,
      ...(speaker?.name ? { speaker_name: speaker.name } : {}),
      speaker_side: who.side,
      ...(who.user_id ? { user_id: who.user_id } : {}),
      text: x.p.transcript ?? '',
      start_time: spans[i]!.start,
      end_time: spans[i]!.end,
      end_time_derived: true,
    };
  });
  return { id: t.uuid, meeting: { id: t.meeting_uuid }, entries, remote_data: t };
}
