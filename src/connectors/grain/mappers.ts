import { DateTime } from 'luxon';
import type { Meeting, MeetingAttendee, Side, Transcript, TranscriptEntry, User } from '../../domain/resources.js';
import { formatInstant } from '../../metrics/buckets.js';
import { atCompanyDomain, companyUserOf, nameKey, type CompanyDirectory } from '../company-directory.js';
import type { GrainParticipant, GrainRecording, GrainTranscriptSection, GrainUser } from './schemas.js';

/**
 * Pure mapping Grain → unified. Who is who: a participant (or speaker) is a company user by email,
 * else — when Grain gives no address and does not call them external — by name; a company user is
 * internal; anyone else is on the side Grain's `scope` says (`internal` | `external`), and where
 * Grain says `unknown` (or nothing), internal when their address is at one of the company's
 * domains, else external.
 */

export function mapGrainUser(u: GrainUser): User {
  const name = u.name?.trim();
  const email = u.email?.trim();
  return { id: u.id, ...(name ? { name } : {}), emails: email ? [{ email, is_primary: true }] : [], remote_data: u };
}

export interface GrainPerson {
  side: Side;
  userId?: string;
}

export function grainPerson(dir: CompanyDirectory, p: { email?: string | null; name?: string | null; scope?: string | null }): GrainPerson {
  // someone Grain calls external is never a user by name alone (a customer may share a rep's name)
  const userId = companyUserOf(dir, p.scope === 'external' ? { email: p.email } : p);
  if (userId) return { side: 'internal', userId };
  if (p.scope === 'internal' || p.scope === 'external') return { side: p.scope };
  return { side: atCompanyDomain(dir, p.email) ? 'internal' : 'external' };
}

function instant(value: string | null | undefined): DateTime | undefined {
  const t = value ? DateTime.fromISO(value, { setZone: true }) : undefined;
  return t?.isValid ? t : undefined;
}

/**
 * A recording → unified Meeting: the recording's own window (`start_datetime` is when Grain started
 * recording; transcript offsets count from it). Grain names no host: no `host_user_id`, no
 * `is_host`. Each participant is an attendee whose `speaker_id` is its id, as transcripts use it.
 */
export function mapGrainRecording(r: GrainRecording, dir: CompanyDirectory): Meeting | undefined {
  const start = instant(r.start_datetime);
  if (!start) return undefined;
  const end = instant(r.end_datetime);
  const durationS = typeof r.duration_ms === 'number' && Number.isFinite(r.duration_ms) && r.duration_ms >= 0 ? r.duration_ms / 1000 : end && end >= start ? end.diff(start).as('seconds') : undefined;
  const attendees: MeetingAttendee[] = (r.participants ?? []).map((p) => {
    const who = grainPerson(dir, p);
    return {
      id: p.id,
      ...(p.name ? { name: p.name } : {}),
      ...(p.email ? { email: p.email } : {}),
      side: who.side,
      ...(who.userId ? { user_id: who.userId } : {}),
      speaker_id: p.id,
    };
  });
  const title = r.title?.trim();
  return {
    id: r.id,
    ...(title ? { title } : {}),
    start_time: formatInstant(start.toUTC()),
    ...(end && end >= start ? { end_time: formatInstant(end.toUTC()) } : {}),
    ...(durationS !== undefined ? { duration: durationS } : {}),
    attendees,
    ...(r.url ? { meeting_url: r.url } : {}),
    remote_data: r,
  };
}

/** The id transcript entries use for a speaker: the participant id, else the name, else "unknown". */
export function grainSpeakerId(s: GrainTranscriptSection): string {
  if (s.participant_id) return s.participant_id;
  const key = nameKey(s.speaker);
  return key ? `name:${key}` : 'unknown';
}

/**
 * A recording's transcript sections → entries, milliseconds → seconds from the recording start.
 * `participants` are the recording's (its `include: {participants: true}`): a section's
 * `participant_id` joins them. Undefined when there are no sections (not transcribed yet).
 */
export function mapGrainTranscript(
  recordingId: string,
  sections: readonly GrainTranscriptSection[],
  participants: readonly GrainParticipant[],
  dir: CompanyDirectory,
): Transcript | undefined {
  if (sections.length === 0) return undefined;
  const byId = new Map(participants.map((p) => [p.id, p]));
  const entries: TranscriptEntry[] = sections.map((s) => {
    const participant = s.participant_id ? byId.get(s.participant_id) : undefined;
    const who = grainPerson(dir, participant ?? { name: s.speaker });
    const name = (s.speaker ?? participant?.name)?.trim();
    return {
      speaker_id: grainSpeakerId(s),
      ...(name ? { speaker_name: name } : {}),
      speaker_side: who.side,
      ...(who.userId ? { user_id: who.userId } : {}),
      text: s.text ?? '',
      start_time: s.start / 1000,
      end_time: s.end / 1000,
    };
  });
  return { id: recordingId, meeting: { id: recordingId }, entries, remote_data: sections };
}
